-- Compare-MailFlow: this period against the one before it, per connector
-- and direction: message counts and the share sent over TLS, with deltas.
-- "The one before" has the same length and ends the day before this one
-- starts (last 7 days against the 7 days before them, by default).
RegisterCmdlet{
  Name = "Compare-MailFlow",
  Synopsis = "Compares mail flow per connector with the previous period of the same length.",
  Description = "For each connector and direction (traffic without a connector as Connector nil): " ..
    "Messages in the range and in the previous period, Delta and Change (percent; nil when the " ..
    "previous period had none), the share of messages protected by TLS in both periods and its " ..
    "change in points (TlsDelta). Counts delivered messages, as every report does.",
  -- The shared sets: -StartDate -EndDate -Days (this period), -Direction,
  -- -Connector / -NoConnector.
  Parameters = { "Range", "Direction", "Connector" },
  Outputs = { "Direction", "Connector", "Messages", "Previous", "Delta", "Change",
              "TlsPercent", "PreviousTlsPercent", "TlsDelta" },
  Examples = {
    { Command = "Compare-MailFlow",
      Explanation = "The last 7 days against the 7 days before, per connector." },
    { Command = "Compare-MailFlow -StartDate 2026-11-01 -EndDate 2026-11-30 | Where-Object TlsDelta -lt 0",
      Explanation = "Connectors whose TLS share fell in November compared with October 2 to 31." },
  },
  Run = function(p)
    if p.Connector and p.NoConnector then
      error("Compare-MailFlow: give -Connector or -NoConnector, not both")
    end
    -- The engine resolved the range: StartDate and EndDate are its days.
    local first, last, length = p.StartDate, p.EndDate, p.Days
    local prev_first, prev_last = dates.add(first, -length), dates.add(first, -1)

    -- Totals per "Direction|Connector": { Direction, Connector, Messages, Tls }.
    local function totals(a, b)
      local out = {}
      local rows = GetTlsUsage{ StartDate = a, EndDate = b, ByConnector = true, Direction = p.Direction }
      for _, row in ipairs(rows) do
        local wanted
        if p.Connector then wanted = (row.Connector or ""):lower() == p.Connector:lower()
        else wanted = not p.NoConnector or row.Connector == nil end
        if wanted then
          local key = row.Direction .. "|" .. report.connector(row.Connector)
          local t = out[key] or { Direction = row.Direction, Connector = row.Connector, Messages = 0, Tls = 0 }
          t.Messages = t.Messages + row.Messages
          if row.TlsVersion ~= "None" then t.Tls = t.Tls + row.Messages end
          out[key] = t
        end
      end
      return out
    end
    local now, before = totals(first, last), totals(prev_first, prev_last)

    local keys, listed = {}, {}
    for _, side in ipairs({ now, before }) do
      for key in pairs(side) do
        if not listed[key] then
          listed[key] = true
          keys[#keys + 1] = key
        end
      end
    end
    table.sort(keys, function(a, b) return a:lower() < b:lower() end)

    local out = {}
    for _, key in ipairs(keys) do
      local a = now[key] or { Messages = 0, Tls = 0 }
      local b = before[key] or { Messages = 0, Tls = 0 }
      local ref = now[key] or before[key]
      local tls_now, tls_before = report.percent(a.Tls, a.Messages), report.percent(b.Tls, b.Messages)
      out[#out + 1] = {
        Direction = ref.Direction,
        Connector = ref.Connector,
        Messages = a.Messages,
        Previous = b.Messages,
        Delta = a.Messages - b.Messages,
        Change = b.Messages > 0 and report.percent(a.Messages - b.Messages, b.Messages) or nil,
        TlsPercent = tls_now,
        PreviousTlsPercent = tls_before,
        TlsDelta = report.round(tls_now - tls_before, 2),
      }
    end
    return out
  end,
}
