// -Format ExchangeProtocol: Exchange SMTP protocol logs, SmtpReceive
// (RECV*.LOG) and SmtpSend (SEND*.LOG), with the header
//   #Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context
//
// They carry no messages of their own; per SMTP session they say what TLS
// the connection used, which message tracking cannot:
//   *,,"TLS protocol SP_PROT_TLS1_2_SERVER negotiation succeeded using bulk encryption algorithm
//       CALG_AES_256 with strength 256 bits, MAC hash algorithm CALG_SHA_384 with strength 0 bits and
//       key exchange algorithm CALG_ECDH_EPHEM with strength 384 bits"
// (the sending side writes SP_PROT-TLS1_2_CLIENT, as Microsoft documents it,
// or SP_PROT_TLS1_2_CLIENT). A session that carried a message (MAIL FROM)
// without such a line was plain text. "TLS negotiation failed with error E"
// is a failed handshake. Sessions are reported when they end ("-"), or at
// the end of the file if their TLS is known by then; a session still open
// without it may go on in the next file and is not called plain text.
//
// Outbound proxy (Exchange 2013 and later, a Send connector with
// -FrontEndProxyEnabled): the Transport service's session to the Front End
// Transport service (port 717) sends XPROXYTO and then logs
//   *,,This session is now being proxied through the next hop. The actual connector being used is: <name>
// Its TLS is the hop to our own front end, not the boundary's: such a
// session is not reported. The front end's SmtpSend session to the target
// (connector-id "Outbound proxy virtual send connector") begins with
//   *,,attempting to connect. Outbound proxy from <hub FQDN> with session id <H>. Proxied session id <R>
// and logs the boundary's TLS line; it is reported under
// outbound_proxy_key(H) (exchange_fields.h), where the tracking row of the
// send looks for it. Once it logs "Proxy session successfully set up for
// outbound proxy" its TLS is settled (what follows is the hub's message).
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ingest/delimited_record.h"
#include "ingest/trace_reader.h"

namespace mailflow {

struct ExchangeTls {
  TlsVersion tls = TlsVersion::None;
  std::string cipher;  // "CALG_AES_256/CALG_SHA_384/CALG_ECDH_EPHEM"
};
// The "TLS protocol ... negotiation succeeded ..." text; nullopt for anything else.
std::optional<ExchangeTls> parse_exchange_tls_line(std::string_view text);

class ExchangeProtocolReader : public TraceReader {
 public:
  explicit ExchangeProtocolReader(const ReaderOptions& options);
  static bool looks_like(const std::vector<std::string>& head);

  void line(std::string_view text, std::int64_t number, ReaderSink& sink) override;
  void finish(ReaderSink& sink) override;

 private:
  struct Session {
    std::optional<ExchangeTls> tls;
    bool mail = false;  // a MAIL FROM was sent or received (or the proxy was set up): TLS is settled
    bool proxied = false;      // a hop between our front end and Transport service (XPROXYTO, XPROXYFROM)
    std::string proxy_for;     // a front-end session carrying Transport service session H
    std::int64_t line = 0;
  };
  enum Column : int { Time, ConnectorId, SessionId, RemoteEndpoint, Event, Data, Context, kColumnCount };

  void record(std::int64_t number, ReaderSink& sink);
  void report(const std::string& key, const Session& s, ReaderSink& sink);
  const std::string& col(Column c) const;

  ReaderOptions options_;
  DelimitedRecord record_;
  bool have_columns_ = false;
  int index_[kColumnCount];
  std::size_t width_ = 0;
  Direction direction_ = Direction::Inbound;  // receive log: Inbound; send log: Outbound
  std::unordered_map<std::string, Session> open_;
};

}  // namespace mailflow
