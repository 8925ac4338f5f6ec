-- Example rule: any TLS 1.1 on an on-premises connector.
--
-- Your own servers are the ones you can fix today, so even a single message
-- over TLS 1.1 (deprecated by RFC 8996) on an OnPremises connector deserves
-- an insight, long before it reaches the built-in Tls10 rule's 50%.
-- Connectors are typed with New-InboundConnector/New-OutboundConnector
-- -ConnectorType OnPremises; connectors the store does not define are skipped.
RegisterInsightRule{
  Name = "OnPremTls11",
  Title = "TLS 1.1 on an on-premises connector (over {threshold} messages)",
  Parameters = {
    { Name = "OnPremTls11Messages", Default = 0,
      Help = "fires when more than this many messages used TLS 1.1" },
  },
  Recommendation = "Disable TLS 1.0 and 1.1 on the on-premises server and require TLS 1.2.",
  Evaluate = function(stats, params)
    if stats.ConnectorType ~= "OnPremises" then return false end
    local n = stats.Count["TLS1.1"]
    if n > params.OnPremTls11Messages then
      return true, stats.Percent["TLS1.1"],
        string.format("%d messages on '%s' used TLS 1.1: disable TLS 1.0/1.1 on that server and require TLS 1.2.",
                      n, stats.Connector)
    end
    return false, stats.Percent["TLS1.1"]
  end,
}
