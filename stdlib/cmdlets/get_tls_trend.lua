-- Get-TlsTrend: the TLS usage of a connector (or of all traffic) per day or
-- per ISO week across a range, one row per period, direction and TLS
-- version, so an administrator can see whether a partner is improving.
-- Built on Get-TlsUsage, one call per period.
local VERSIONS = mailflow.tls_report_order

RegisterCmdlet{
  Name = "Get-TlsTrend",
  Synopsis = "TLS share per version per day or week across a range, for one connector or all traffic.",
  Description = "Runs Get-TlsUsage for every day (-By Day) or ISO week (-By Week, Monday to Sunday, " ..
    "clipped to the range) and lists Messages and Percent per TLS version. Versions seen anywhere " ..
    "in the range appear in every period (0 when absent), so a falling TLS1.0 or None share shows " ..
    "as a series. The range is at most MaxReportDays (Set-MailFlowConfig); the default is the 28 days " ..
    "ending today.",
  -- The shared sets (-Connector first, by position), then -By.
  Parameters = {
    { Set = "Connector", Position = 0 },
    "Direction",
    { Name = "By", Type = "Enum", ValidateSet = { "Day", "Week" }, Default = "Week",
      Help = "period length" },
    { Set = "Range", DefaultDays = 28 },
  },
  Outputs = { "Period", "PeriodEnd", "Direction", "Connector", "TlsVersion", "Messages", "Percent" },
  Examples = {
    { Command = "Get-TlsTrend 'Fabrikam Partner Inbound' -Direction Inbound -Days 28",
      Explanation = "Weekly TLS versions of mail from Fabrikam over the last four weeks." },
    { Command = "Get-TlsTrend -By Day -Days 14 | Where-Object TlsVersion -eq None",
      Explanation = "The daily plain-text share of all traffic over two weeks." },
  },
  Run = function(p)
    if p.Connector and p.NoConnector then
      error("Get-TlsTrend: give -Connector or -NoConnector, not both")
    end
    -- The Connector column: the connector followed, nil for traffic without
    -- one, "(all)" for all traffic.
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
      local rows = GetTlsUsage{
        StartDate = period[1], EndDate = period[2], Direction = p.Direction,
        Connector = p.Connector, NoConnector = p.NoConnector or nil,
      }
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
    for i, period in ipairs(periods) do
      for _, d in ipairs(directions) do
        for _, v in ipairs(VERSIONS) do
          if seen[d][v] then
            local c = counts[i][d] and counts[i][d][v] or { 0, 0.0 }
            out[#out + 1] = {
              Period = period[1], PeriodEnd = period[2], Direction = d,
              Connector = scope, TlsVersion = v, Messages = c[1], Percent = c[2],
            }
          end
        end
      end
    end
    return out
  end,
}
