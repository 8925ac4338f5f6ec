// -Format Postfix: joins Postfix log lines (classic syslog, rsyslog RFC 3339,
// or Postfix's own maillog_file) into trace records.
//
//   smtpd sessions (keyed by process)  -> client host/IP and TLS of each queue id
//   cleanup message-id, qmgr from=/size -> the message
//   smtp "TLS connection established to" + "to=, relay=, status=" lines
//                                       -> outbound deliveries and their TLS
//   qmgr "removed"                      -> the queue id is complete: emit
//
// One record per inbound message (a client outside InternalNetworks that did
// not authenticate); one record per outbound message per relay host, TLS and
// outcome (recipients delivered over one connection share a record, their
// addresses joined with ';'). Internal mail, local submissions and bounce
// notices delivered locally make no record. "NOQUEUE: reject" lines are
// refused sessions. Queue ids still open after `window` seconds of log time,
// and at the end of the file, are emitted with the status known so far.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/net_match.h"
#include "ingest/postfix_patterns.h"
#include "ingest/syslog_header.h"
#include "ingest/trace_reader.h"

namespace mailflow {

class PostfixReader : public TraceReader {
 public:
  static constexpr UnixSeconds kDefaultWindow = 3600;

  // Throws Error for a bad -TimeZone or a bad InternalNetworks value.
  explicit PostfixReader(const ReaderOptions& options, UnixSeconds window = kDefaultWindow);
  ~PostfixReader() override;

  // -Format Auto: one of the first lines is a Postfix syslog line.
  static bool looks_like(const std::vector<std::string>& head);

  void line(std::string_view text, std::int64_t number, ReaderSink& sink) override;
  void finish(ReaderSink& sink) override;

  // Queue ids emitted incomplete: open past the window, or at the end of the file.
  std::int64_t incomplete() const override { return incomplete_; }
  // Queue ids held in memory right now (for the memory-bound test).
  std::size_t open_queue_ids() const;

 private:
  struct State;
  void handle(PostfixEvent event, const PatternMatch& m, const SyslogHeader& h, UnixSeconds time,
              std::string_view line, std::int64_t number, ReaderSink& sink);
  void sweep(UnixSeconds now, ReaderSink& sink);

  ReaderOptions options_;
  UnixSeconds window_;
  SyslogClock clock_;
  std::vector<IpRange> internal_;
  std::vector<DomainPattern> org_domains_;
  std::unique_ptr<State> state_;
  UnixSeconds next_sweep_ = 0;
  std::int64_t incomplete_ = 0;
};

}  // namespace mailflow
