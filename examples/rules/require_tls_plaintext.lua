-- Example rule: a connector set to RequireTls that nevertheless carried
-- plain-text mail.
--
-- -RequireTls on a connector is a promise that mail over it is encrypted.
-- A single plain-text message means the promise does not hold: the traffic
-- was attributed to the connector by sender domain or IP while the server
-- did not enforce TLS, or the setting was added after the fact.
RegisterInsightRule{
  Name = "RequireTlsBroken",
  Title = "RequireTls connector received plain text",
  Recommendation = "Enforce TLS on the server that handles this connector, or remove -RequireTls from its definition.",
  Evaluate = function(stats)
    local plain = stats.Count["None"]
    if stats.RequireTls and plain > 0 then
      return true, stats.Percent["None"],
        string.format("'%s' requires TLS but %d of %d messages were plain text: enforce TLS on its server " ..
                      "or correct the connector definition.", stats.Connector, plain, stats.Messages)
    end
    return false, stats.Percent["None"]
  end,
}
