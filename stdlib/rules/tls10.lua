-- Built-in insight "TLS 1.0 is above 50%" (the Microsoft 365 mail flow
-- dashboard's insight): fires for a connector and direction whose share of
-- TLS 1.0 messages is strictly above Tls10Threshold. TLS 1.0 and 1.1 are
-- deprecated (RFC 8996); Exchange Online no longer accepts them by default.
RegisterInsightRule(report.share_rule{
  Name = "Tls10",
  Version = "TLS1.0",
  Title = N_"TLS 1.0 is above {threshold}%",
  Threshold = { Name = "Tls10Threshold", Default = 50,
                Help = "fires when the share of messages over TLS 1.0 is above this percentage" },
  Recommendation = N_"Upgrade the servers behind this connector to TLS 1.2 or later.",
  Advice = {
    OnPremises = N_("{share} of {direction} messages on the on-premises connector '{connector}' used TLS 1.0. " ..
      "Upgrade your on-premises mail server to TLS 1.2 or later (on Windows enable TLS 1.2 in Schannel and " ..
      ".NET strong cryptography; on Postfix set smtpd_tls_protocols and smtp_tls_protocols to >=TLSv1.2), " ..
      "then disable TLS 1.0."),
    Partner = N_("{share} of {direction} messages on the partner connector '{connector}' used TLS 1.0. Contact " ..
      "the partner that owns this connector and ask them to upgrade their mail servers to TLS 1.2 or later; " ..
      "TLS 1.0 is deprecated and will be refused."),
    Inbound = N_("{share} of messages arriving through '{connector}' used TLS 1.0. Check the sending server " ..
      "(Get-MessageTrace -Connector '{connector}' -TlsVersion TLS1.0 shows its RemoteHost) and have it " ..
      "upgraded to TLS 1.2 or later."),
    Outbound = N_("{share} of messages leaving through '{connector}' used TLS 1.0. Check the receiving servers " ..
      "(Get-MessageTrace -Connector '{connector}' -TlsVersion TLS1.0 shows their RemoteHost): they only " ..
      "negotiate TLS 1.0 and need upgrading to TLS 1.2 or later."),
  },
})
