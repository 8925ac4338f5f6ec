-- Get-TlsTrend: the TLS usage of a connector (or of all traffic) per day or
-- per ISO week across a range, one row per period, direction and TLS
-- version, so an administrator can see whether a partner is improving.
-- Built on Get-TlsUsage, one call per period; -Peer follows one remote peer
-- through Get-TlsPeerReport instead. Change is the Percent minus the
-- previous period's (nil for the first period).
local VERSIONS = mailflow.tls_report_order

-- Get-TlsPeerReport rows of one peer as Get-TlsUsage rows: per direction
-- and known version, Messages and Percent of the peer's known messages.
local COLUMNS = { ["TLS1.3"] = "Tls13", ["TLS1.2"] = "Tls12", ["TLS1.1"] = "Tls11", ["TLS1.0"] = "Tls10", None = "NoTls" }
local function peer_usage(rows, peer)
  local out = {}
  for _, row in ipairs(rows) do
    if string.lower(row.Peer) == string.lower(peer) then
      local known = row.Messages - row.Unknown
      for _, v in ipairs(VERSIONS) do
        local n = row[COLUMNS[v]]
        if n > 0 then
          out[#out + 1] = { Direction = row.Direction, TlsVersion = v, Messages = n,
                            Percent = report.percent(n, known) }
        end
      end
    end
  end
  return out
end

RegisterCmdlet{
  Name = "Get-TlsTrend",
  Synopsis = "TLS share per version per day or week across a range, for one connector, one peer or all traffic.",
  Description = "Runs Get-TlsUsage for every day (-By Day) or ISO week (-By Week, Monday to Sunday, " ..
    "clipped to the range) and lists Messages and Percent per TLS version. Versions seen anywhere " ..
    "in the range appear in every period (0 when absent), so a falling TLS1.0 or None share shows " ..
    "as a series. Change is the Percent minus the previous period's, in points (nil for the first). " ..
    "-Peer follows one remote peer instead (a domain, host or IP as Get-TlsPeerReport -By lists it), " ..
    "named in the Peer column, over all connectors. The range is at most MaxReportDays (Set-MailFlowConfig); the default is the " ..
    "28 days ending today.",
  -- The shared sets (-Connector first, by position), then -Peer, -PeerBy and -By.
  Parameters = {
    { Set = "Connector", Position = 0 },
    "Direction",
    { Name = "Peer", Type = "String",
      Help = "follow this remote peer (domain, host or IP, see -PeerBy) instead of a connector" },
    { Name = "PeerBy", Type = "Enum", ValidateSet = { "Domain", "Host", "IP" }, Default = "Domain",
      Help = "what -Peer names (as Get-TlsPeerReport -By)" },
    { Name = "By", Type = "Enum", ValidateSet = { "Day", "Week" }, Default = "Week",
      Help = "period length" },
    { Set = "Range", DefaultDays = 28 },
  },
  -- Peer: the peer followed (nil without -Peer; Connector is then "(all)").
  Outputs = { "Period", "PeriodEnd", "Direction", "Connector", "Peer", "TlsVersion", "Messages", "Percent", "Change" },
  Examples = {
    { Command = "Get-TlsTrend 'Fabrikam Partner Inbound' -Direction Inbound -Days 28",
      Explanation = "Weekly TLS versions of mail from Fabrikam over the last four weeks." },
    { Command = "Get-TlsTrend -By Day -Days 14 | Where-Object TlsVersion -eq None",
      Explanation = "The daily plain-text share of all traffic over two weeks." },
    { Command = "Get-TlsTrend -Peer fabrikam.com -Direction Inbound -Days 28",
      Explanation = "Weekly TLS versions of mail from fabrikam.com's servers, with the change against the week before." },
  },
  Run = function(p)
    if p.Connector and p.NoConnector then
      error("Get-TlsTrend: give -Connector or -NoConnector, not both")
    end
    if p.Peer and (p.Connector or p.NoConnector) then
      error("Get-TlsTrend: -Peer follows a peer over all connectors; leave out -Connector and -NoConnector")
    end
    -- The Connector column: the connector followed, nil for traffic without
    -- one, "(all)" for all traffic (also when -Peer follows a peer).
    local scope = p.Connector or (not p.NoConnector and "(all)" or nil)
    -- The engine resolved the range (default 28 days, at most MaxReportDays).
    local first, last = p.StartDate, p.EndDate
    local periods
    if p.By == "Day" then
      periods = report.map(dates.days(first, last), function(d) return { d, d } end)
    else
      periods = dates.weeks(first, last)
    end

    -- counts[period index][direction][version] = { Messages, Percent }
    local counts, seen, directions = {}, {}, {}
    for i, period in ipairs(periods) do
      counts[i] = {}
      local rows
      if p.Peer then
        rows = peer_usage(GetTlsPeerReport{
          StartDate = period[1], EndDate = period[2], Direction = p.Direction, By = p.PeerBy,
        }, p.Peer)
      else
        rows = GetTlsUsage{
          StartDate = period[1], EndDate = period[2], Direction = p.Direction,
          Connector = p.Connector, NoConnector = p.NoConnector or nil,
        }
      end
      for _, row in ipairs(rows) do
        local d = row.Direction
        if not seen[d] then
          seen[d] = {}
          directions[#directions + 1] = d
        end
        seen[d][row.TlsVersion] = true
        counts[i][d] = counts[i][d] or {}
        counts[i][d][row.TlsVersion] = { row.Messages, row.Percent }
      end
    end
    table.sort(directions)

    local out = {}
    local names = { "Period", "PeriodEnd", "Direction", "Connector", "Peer", "TlsVersion", "Messages", "Percent",
                    "Change" }
    for i, period in ipairs(periods) do
      for _, d in ipairs(directions) do
        for _, v in ipairs(VERSIONS) do
          if seen[d][v] then
            local c = counts[i][d] and counts[i][d][v] or { 0, 0.0 }
            local change = nil
            if i > 1 then
              local before = counts[i - 1][d] and counts[i - 1][d][v] or { 0, 0.0 }
              change = report.round(c[2] - before[2], 2)
            end
            out[#out + 1] = report.record(names, {
              Period = period[1], PeriodEnd = period[2], Direction = d,
              Connector = scope, Peer = p.Peer, TlsVersion = v, Messages = c[1], Percent = c[2], Change = change,
            })
          end
        end
      end
    end
    return out
  end,
}
