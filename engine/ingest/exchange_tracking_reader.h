// -Format ExchangeTracking: Exchange message tracking logs (MSGTRK*.LOG and
// the MSGTRKMS / MSGTRKMD / MSGTRKMA logs of Mailbox servers, Exchange 2010
// to 2019) and the CSV that `Get-MessageTrackingLog | Export-Csv` writes.
//
// Columns come from each file's own "#Fields:" line (2010 has no
// network-message-id; 2016/2019 add transport-traffic-type, log-id and
// schema-version), or from the Export-Csv header (Timestamp, ClientIp, ...,
// with or without the "#TYPE ..." line); a second header block in a file
// (the log writer restarted) takes over from there.
//
// One row is one event on one server, so each row is judged alone and the
// logs of several servers can be imported in any order and grouping:
//   RECEIVE from SMTP, client-ip outside InternalNetworks     -> Inbound
//   SEND / SENDEXTERNAL from SMTP, server-ip outside           -> Outbound, Delivered
//   FAIL from SMTP, server-ip outside                          -> Outbound, Failed
//   DEFER to a server outside (or to an external connector)    -> Pending until the
//       same message and recipient is sent or fails, in this file or in any
//       later one (the record lifecycle: ReaderSink::lifecycle_trace, keys
//       "msgtrk/<message-id>/<recipient>;"); a FAIL that crosses nothing
//       (the queue gave up) fails a deferral kept by an earlier import
//   SEND through the Front End Transport proxy (custom-data names an
//       OutboundProxyTargetIPAddress outside; server-ip is the front end's)
//                                                              -> Outbound, to that target
// Everything else (STOREDRIVER submit and delivery, AGENT, ROUTING, the
// shadow redundancy HA* events, DSN, APPROVAL, hops between our own servers)
// makes no record. Recipients of one row share one record. TLS is Unknown;
// the row's SMTP session (head of source-context, with connector-id) goes to
// the sink so that a protocol log can supply it (ReaderSink::session_trace).
#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

#include "core/net_match.h"
#include "ingest/delimited_record.h"
#include "ingest/trace_reader.h"

namespace mailflow {

class ExchangeTrackingReader : public TraceReader {
 public:
  // `online`: an Exchange Online extended historical search report (the same
  // events; Microsoft's own hops are told apart by directionality, not by
  // InternalNetworks).
  explicit ExchangeTrackingReader(const ReaderOptions& options, bool online = false);

  static bool looks_like(const std::vector<std::string>& head);

  void line(std::string_view text, std::int64_t number, ReaderSink& sink) override;
  void finish(ReaderSink& sink) override;
  std::int64_t incomplete() const override { return incomplete_; }

  enum Column : int {
    Time, ClientIp, ClientHost, ServerIp, ServerHost, SourceContext, ConnectorId, Source, EventId,
    MessageId, NetworkMessageId, Recipients, RecipientStatus, TotalBytes, Sender, ReturnPath,
    Directionality, CustomData, kColumnCount
  };

  // The lifecycle key of one recipient of a message: "msgtrk/<message-id>/<recipient>;".
  // The ';' (never inside a recipient: it separates them) ends every key, so
  // one key is also the exact prefix ReaderSink::expire_queue() takes.
  static std::string lifecycle_key(std::string_view message_id, std::string_view recipient);

 private:
  struct Pending {
    Trace trace;  // one recipient
    std::int64_t group = 0;
    std::int64_t line = 0;
    std::string key;         // SMTP session
    std::string message_id;  // for the lifecycle keys
  };

  void set_columns(const std::vector<std::string>& names, std::int64_t number);
  void row(std::int64_t number, ReaderSink& sink);
  const std::string& col(Column c) const;
  bool outside(const std::string& ip) const;
  void emit(const Trace& t, std::int64_t line, const std::string& key, ReaderSink& sink);
  // An outbound outcome (Pending, Delivered, Failed) with its recipients'
  // lifecycle keys, when the row names a message id.
  void emit_outcome(const Trace& t, std::int64_t line, const std::string& key, const std::string& message_id,
                    const std::vector<std::string>& recipients, ReaderSink& sink);

  ReaderOptions options_;
  bool online_;
  std::vector<IpRange> internal_;
  DelimitedRecord record_;
  bool have_columns_ = false;
  std::array<int, kColumnCount> index_{};
  std::array<std::string, kColumnCount> names_;  // as the header spells them, for messages
  std::size_t width_ = 0;
  std::map<std::string, Pending> pending_;  // message id + recipient
  std::map<std::string, bool> seen_inbound_;  // online: network-message-id + recipient
  std::int64_t next_group_ = 0;
  std::int64_t incomplete_ = 0;
};

}  // namespace mailflow
