-- Built-in insight "No TLS is over 25%" (the Microsoft 365 mail flow
-- dashboard's insight): fires for a connector and direction whose share of
-- plain-text (TLS version None) messages is strictly above NoTlsThreshold.
local function advice(stats)
  local name = stats.Connector
  local share = string.format("%.2f%%", stats.Percent["None"])
  if stats.ConnectorType == "OnPremises" then
    return share .. " of " .. stats.Direction:lower() .. " messages on the on-premises connector '" .. name ..
      "' were sent without TLS. Turn on STARTTLS on your on-premises mail server (install a valid " ..
      "certificate and offer STARTTLS), then set -RequireTls on the connector."
  elseif stats.ConnectorType == "Partner" then
    return share .. " of " .. stats.Direction:lower() .. " messages on the partner connector '" .. name ..
      "' were sent without TLS. Contact the partner that owns this connector and ask them to enable " ..
      "STARTTLS on their mail servers; once they do, set -RequireTls on the connector."
  elseif stats.Direction == "Inbound" then
    return share .. " of messages arriving through '" .. name .. "' were sent without TLS. Check the " ..
      "sending server (Get-MessageTrace -Connector '" .. name .. "' -TlsVersion None shows its " ..
      "RemoteHost): it must offer STARTTLS. Define the connector with New-InboundConnector to get " ..
      "advice for its type."
  end
  return share .. " of messages leaving through '" .. name .. "' went without TLS. Check that the " ..
    "receiving servers (Get-MessageTrace -Connector '" .. name .. "' -TlsVersion None shows their " ..
    "RemoteHost) offer STARTTLS, then set -RequireTls on the connector."
end

RegisterInsightRule{
  Name = "NoTls",
  Title = "No TLS is over {threshold}%",
  Parameters = {
    { Name = "NoTlsThreshold", Default = 25,
      Help = "fires when the share of messages without TLS is above this percentage" },
  },
  Recommendation = "Enable STARTTLS on the servers behind this connector.",
  Evaluate = function(stats, params)
    local share = stats.Percent["None"]
    if share > params.NoTlsThreshold then
      return true, share, advice(stats)
    end
    return false, share
  end,
}
