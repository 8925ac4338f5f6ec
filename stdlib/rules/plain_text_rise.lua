-- Built-in insight "Plain text rose by more than 10 points" (issue #15,
-- shipped from the example rule of the same name): the plain-text share of
-- a connector and direction rose by more than PlainTextRisePoints against
-- the period of the same length just before the range.
--
-- A partner whose certificate expired or whose new relay does not offer
-- STARTTLS shows up as a sudden rise in plain text, well below the NoTls
-- rule's 25%. The rule reads the period before with Get-TlsUsage (rules may
-- call cmdlets; they still run under the rule's instruction budget). With
-- the default 7-day range this is "week over week". A connector without
-- traffic in the period before is not judged: there is nothing to compare.
RegisterInsightRule{
  Name = "PlainTextRise",
  Title = N_"Plain text rose by more than {threshold} points",
  Parameters = {
    { Name = "PlainTextRisePoints", Default = 10,
      Help = "fires when the None share grew by more than this many percentage points" },
  },
  Recommendation = N_"Ask the remote side what changed: an expired certificate or a new relay without STARTTLS.",
  Evaluate = function(stats, params)
    local length = dates.diff(stats.StartDate, stats.EndDate) + 1
    local before = GetTlsUsage{
      StartDate = dates.add(stats.StartDate, -length), EndDate = dates.add(stats.StartDate, -1),
      Connector = stats.Connector, Direction = stats.Direction,
    }
    if #before == 0 then return false end  -- nothing to compare with
    local previous = 0
    for _, row in ipairs(before) do
      if row.TlsVersion == "None" then previous = row.Percent end
    end
    local rise = report.round(stats.Percent["None"] - previous, 2)
    if rise > params.PlainTextRisePoints then
      local fields = { connector = stats.Connector, before = FormatPercent(previous),
                       now = FormatPercent(stats.Percent["None"]) }
      return true, rise, (_(N_("Plain text on '{connector}' went from {before} to {now}. Ask the remote side " ..
        "what changed (certificate, relay, STARTTLS).")):gsub("{(%w+)}", function(k) return fields[k] end))
    end
    return false, rise
  end,
}
