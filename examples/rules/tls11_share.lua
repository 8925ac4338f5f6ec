-- Example rule: the TLS 1.1 share is above 5%.
--
-- TLS 1.1 is as deprecated as TLS 1.0 (RFC 8996) but the built-in Tls10 rule
-- does not see it. report.share_rule builds the same kind of rule as the
-- built-in NoTls and Tls10 (stdlib/rules/): one TLS version's share against
-- a threshold parameter. With neither Advice nor Recommendation, the
-- recommendation is mailflow's default one, which says who fixes it (the
-- partner, or your own server) by the connector's type.
RegisterInsightRule(report.share_rule{
  Name = "Tls11",
  Version = "TLS1.1",
  Title = "TLS 1.1 is above {threshold}%",
  Threshold = { Name = "Tls11Threshold", Default = 5,
                Help = "fires when the share of messages over TLS 1.1 is above this percentage" },
})
