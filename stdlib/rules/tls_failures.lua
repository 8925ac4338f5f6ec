-- Built-in insight "TLS handshake failures over 10 or doubled" (issue #15):
-- fires for a connector or a remote peer (its registered domain, else its
-- IP) whose failed TLS handshakes in the range exceed TlsFailuresThreshold,
-- or at least doubled against the period of the same length just before
-- (which had at least one).
--
-- A certificate that expired, a peer that dropped TLS 1.2 or a cipher list
-- tightened on one side shows up here before users notice deferred mail.
-- The counts come with the statistics (stats.TlsFailures and
-- stats.TlsFailuresBefore, from the daily failure rollup): JudgesFailures
-- asks for every connector and peer with failures, also those without
-- delivered traffic, whose statistics carry the peer in stats.Peer.
-- Get-TlsFailure -AsInsight evaluates this same rule.
RegisterInsightRule{
  Name = "TlsFailures",
  Title = N_"TLS handshake failures over {threshold} or doubled",
  JudgesFailures = true,
  Parameters = {
    { Name = "TlsFailuresThreshold", Default = 10,
      Help = "fires when a connector's or peer's failed TLS handshakes in the range are more than this" },
  },
  Evaluate = function(stats, params)
    local now, before = stats.TlsFailures, stats.TlsFailuresBefore
    if now > params.TlsFailuresThreshold or (before > 0 and now >= 2 * before) then
      local fields = { connector = stats.Connector, peer = stats.Peer, now = tostring(now),
                       before = tostring(before) }
      local text = stats.Peer
        and _(N_("{now} failed TLS handshakes with {peer} ({before} in the period before). Get-TlsFailure " ..
          "-By Reason shows why; check the certificate and the TLS versions and ciphers both sides allow."))
        or _(N_("{now} failed TLS handshakes on connector '{connector}' ({before} in the period before). " ..
          "Get-TlsFailure -By Reason shows why; check the certificate and the TLS versions and ciphers both " ..
          "sides allow."))
      return true, now, (text:gsub("{(%w+)}", function(k) return fields[k] end))
    end
    return false, now
  end,
}
