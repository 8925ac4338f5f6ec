-- Built-in insight "No TLS is over 25%" (the Microsoft 365 mail flow
-- dashboard's insight): fires for a connector and direction whose share of
-- plain-text (TLS version None) messages is strictly above NoTlsThreshold.
RegisterInsightRule(report.share_rule{
  Name = "NoTls",
  Version = "None",
  Title = N_"No TLS is over {threshold}%",
  Threshold = { Name = "NoTlsThreshold", Default = 25,
                Help = "fires when the share of messages without TLS is above this percentage" },
  Recommendation = N_"Enable STARTTLS on the servers behind this connector.",
  Advice = {
    OnPremises = N_("{share} of {direction} messages on the on-premises connector '{connector}' were sent " ..
      "without TLS. Turn on STARTTLS on your on-premises mail server (install a valid certificate and " ..
      "offer STARTTLS), then set -RequireTls on the connector."),
    Partner = N_("{share} of {direction} messages on the partner connector '{connector}' were sent without " ..
      "TLS. Contact the partner that owns this connector and ask them to enable STARTTLS on their mail " ..
      "servers; once they do, set -RequireTls on the connector."),
    Inbound = N_("{share} of messages arriving through '{connector}' were sent without TLS. Check the sending " ..
      "server (Get-MessageTrace -Connector '{connector}' -TlsVersion None shows its RemoteHost): it must " ..
      "offer STARTTLS. Define the connector with New-InboundConnector to get advice for its type."),
    Outbound = N_("{share} of messages leaving through '{connector}' went without TLS. Check that the " ..
      "receiving servers (Get-MessageTrace -Connector '{connector}' -TlsVersion None shows their " ..
      "RemoteHost) offer STARTTLS, then set -RequireTls on the connector."),
  },
})
