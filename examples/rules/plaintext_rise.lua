-- Example rule: the plain-text share rose by more than 10 points compared
-- with the period before.
--
-- A partner whose certificate expired or whose new relay does not offer
-- STARTTLS shows up as a sudden rise in plain text, well below the built-in
-- NoTls rule's 25%. The rule compares the range with the period of the same
-- length just before it, which it reads with Get-TlsUsage: rules may call
-- cmdlets (they still run under the rule's instruction budget).
-- With the default 7-day range this is "week over week".
RegisterInsightRule{
  Name = "PlainTextRise",
  Title = "Plain text rose by more than {threshold} points",
  Parameters = {
    { Name = "PlainTextRisePoints", Default = 10,
      Help = "fires when the None share grew by more than this many percentage points" },
  },
  Recommendation = "Ask the remote side what changed: an expired certificate or a new relay without STARTTLS.",
  Evaluate = function(stats, params)
    local length = dates.diff(stats.StartDate, stats.EndDate) + 1
    local before = GetTlsUsage{
      StartDate = dates.add(stats.StartDate, -length), EndDate = dates.add(stats.StartDate, -1),
      Connector = stats.Connector, Direction = stats.Direction,
    }
    local previous = 0
    for _, row in ipairs(before) do
      if row.TlsVersion == "None" then previous = row.Percent end
    end
    if #before == 0 then return false end  -- nothing to compare with
    local rise = stats.Percent["None"] - previous
    if rise > params.PlainTextRisePoints then
      return true, rise, string.format("Plain text on '%s' went from %.2f%% to %.2f%%. %s", stats.Connector,
                                       previous, stats.Percent["None"],
                                       "Ask the remote side what changed (certificate, relay, STARTTLS).")
    end
    return false, rise
  end,
}
