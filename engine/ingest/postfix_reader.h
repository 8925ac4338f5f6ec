// -Format Postfix: joins Postfix log lines into trace records, in every
// transport administrators keep them in: classic syslog, rsyslog's RFC 3339
// and RFC 5424 templates, Postfix's maillog_file, and journalctl's short,
// short-precise, short-iso(-precise), short-full, json and export outputs
// (syslog_header.h; json and export records are read here).
//
//   smtpd sessions (keyed by process)  -> client host/IP, TLS and trust of each queue id
//   cleanup message-id, qmgr from=/size -> the message
//   smtp "TLS connection established/reused to" + "to=, relay=, status=" lines
//                                       -> outbound deliveries, their TLS and trust
//   qmgr "removed"                      -> the queue id is complete: emit
//   smtpd "SSL_accept error", "lost connection after STARTTLS", "TLS library
//   problem"; smtp "SSL_connect error" and TLS refusals in delivery lines
//                                       -> failed TLS handshakes (tls_failure)
//   a queued message of a session with sasl_username=
//                                       -> an authenticated submission
//
// The joiner (state, dispatch, emit) is postfix_joiner.h, its handlers
// postfix_handlers.cpp, what it leaves open between imports postfix_parking.cpp.
//
// The organisation's boundary (Get-Help about_Boundary): one record per
// inbound message (a client outside InternalNetworks that did not
// authenticate); one record per outbound message per relay host, TLS and
// outcome, where outbound is only a hand-off to a server outside: local,
// virtual, pipe, lmtp or smtp to a unix socket or to a host in
// InternalNetworks (content filters on loopback) stay inside, discard is no
// delivery, and the error and retry transports are outcomes of mail for
// outside domains. Refused attempts (smtpd and postscreen rejects, with or
// without a queue id) are refused sessions; a refused recipient never
// removes the accepted ones.
//
// Lifecycle: a deferred recipient is one Pending record; its later outcome
// (sent, bounced, expired) settles it through the sink's lifecycle keys
// ("host/queue id/recipient"), within a file, across files and imports.
// Queue ids still open after `window` seconds of log time, and at the end of
// the input, are emitted with the status known so far.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ingest/trace_reader.h"

namespace mailflow {

class PostfixJoiner;

class PostfixReader : public TraceReader {
 public:
  static constexpr UnixSeconds kDefaultWindow = 3600;

  // Throws Error for a bad -TimeZone or a bad InternalNetworks value.
  explicit PostfixReader(const ReaderOptions& options, UnixSeconds window = kDefaultWindow);
  ~PostfixReader() override;

  // -Format Auto: one of the first lines is a Postfix syslog line or a
  // journald record (json, export).
  static bool looks_like(const std::vector<std::string>& head);

  void line(std::string_view text, std::int64_t number, ReaderSink& sink) override;
  // The end of the input. After resume(), what is still in flight is
  // handed to the sink (ReaderSink::reader_state) instead of emitted.
  void finish(ReaderSink& sink) override;
  void resume(std::string_view state) override;
  // The next file of the same import continues this one (rotated logs read
  // oldest first): open queue ids and sessions carry over.
  void next_file(ReaderSink& sink) override;

  // Queue ids emitted incomplete: open past the window, or at the end of the input.
  std::int64_t incomplete() const override;
  // Queue ids held in memory right now (for the memory-bound test).
  std::size_t open_queue_ids() const;

 private:
  // journald records: one JSON object a line, or KEY=value lines ending
  // with an empty line (export).
  enum class Mode { Unknown, Syslog, Json, Export };
  void json_line(std::string_view text, std::int64_t number, ReaderSink& sink);
  void export_line(std::string_view text, std::int64_t number, ReaderSink& sink);
  void journal_entry(std::int64_t number, std::string_view raw, ReaderSink& sink);

  std::unique_ptr<PostfixJoiner> joiner_;
  bool resumed_ = false;
  Mode mode_ = Mode::Unknown;
  // The journald record being read (export spans lines).
  struct JournalEntry {
    std::string realtime, host, identifier, pid, message, raw;
    std::int64_t first_line = 0;
    bool binary = false;
  } entry_;
};

}  // namespace mailflow
