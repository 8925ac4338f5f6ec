-- Built-in insight "TLS handshake failures" (issue #15): fires for a
-- connector and direction whose failed TLS handshakes in the range exceed
-- TlsFailuresThreshold, or at least doubled against the period of the same
-- length just before. The counting is Get-TlsFailure -AsInsight's (the
-- TlsFailures insight over connectors and peers, reports/tls_failure_report.h);
-- this rule brings its connector findings into Get-MailFlowInsights and the
-- dashboard. Peers (most failures carry no connector) are judged by
-- Get-TlsFailure -AsInsight itself.
RegisterInsightRule{
  Name = "TlsFailures",
  Title = N_"More than {threshold} failed TLS handshakes, or twice as many as before",
  Parameters = {
    { Name = "TlsFailuresThreshold", Default = 10,
      Help = "fires when a connector's failed TLS handshakes in the range are more than this" },
  },
  Recommendation = N_"Get-TlsFailure -By Reason shows why the handshakes failed: check the certificate and the TLS versions and ciphers both sides allow.",
  Evaluate = function(stats, params)
    local findings = GetTlsFailure{ StartDate = stats.StartDate, EndDate = stats.EndDate, Direction = stats.Direction,
                                    AsInsight = true, Threshold = params.TlsFailuresThreshold }
    for _, f in ipairs(findings) do
      if f.Connector ~= "" and string.lower(f.Connector) == string.lower(stats.Connector) then
        return true, f.Value  -- the recommendation: the rule's, in the culture in force
      end
    end
    return false, 0
  end,
}
