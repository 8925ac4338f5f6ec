// One reader per import format behind one interface. The importer owns the
// file: it reads it in chunks, splits it into lines, numbers them and feeds
// them to a reader one at a time; the reader turns them into traces, rejects
// and refused sessions through a ReaderSink. A reader may keep state between
// lines (a CSV record spanning lines inside quotes, a Postfix queue id whose
// message is complete only at "removed"); finish() tells it the file ended.
//
// A reader never sees the whole file and never touches the store, so memory
// stays bounded by what the reader itself chooses to keep.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "core/trace.h"

namespace mailflow {

// Limits every reader applies, so that one bad line cannot exhaust memory.
// A longer line is rejected by the importer before any reader sees it; a
// longer field or (multi-line) record is rejected by the reader.
inline constexpr std::size_t kMaxFieldBytes = 4096;

// The largest message size accepted from a log (1 TiB; Postfix's default
// message_size_limit is 10 MB). A larger size is a reject: it is garbage, and
// a daily rollup summing such sizes would overflow 64 bits.
inline constexpr std::int64_t kMaxMessageSize = std::int64_t{1} << 40;
inline constexpr std::size_t kMaxRecordBytes = 64 * 1024;

// RefusedConnection (a session the server refused) is in core/trace.h.

// The TLS of one SMTP session, from a protocol log (-Format ExchangeProtocol).
// `key` joins it to the traces that session carried (see
// ReaderSink::session_trace): "<connector-id in lower case>|<session id>".
struct SessionTls {
  std::string key;
  TlsVersion tls = TlsVersion::None;
  std::optional<std::string> cipher;
};

// A TLS handshake that failed, kept for the TLS readiness reports
// (Get-TlsFailure): Exchange "TLS negotiation failed with error E", Postfix
// "SSL_accept error from ...", "Cannot start TLS: handshake failure", ...
struct TlsHandshakeFailure {
  UnixSeconds time = 0;
  Direction direction = Direction::Inbound;
  std::optional<std::string> peer;       // the peer's host name, when the log names it
  std::optional<std::string> peer_ip;
  std::optional<std::string> connector;  // when the log names it (Exchange connector-id)
  std::string reason;  // the reason: Exchange's error E, or a short class for Postfix
  std::string text;    // the log's whole sentence
};

// One message submitted by an authenticated client (SMTP AUTH: Postfix
// "client=..., sasl_username=U"). Never a trace (submissions stay outside
// inbound traffic); Get-SmtpAuthClientReport counts them per user and TLS.
// `key` identifies the message in its log ("host/queue id") so that a
// re-import adds nothing.
struct AuthSubmission {
  UnixSeconds time = 0;
  std::string user;
  TlsVersion tls = TlsVersion::None;
  std::optional<std::string> client_host;
  std::optional<std::string> client_ip;
  std::string key;
};

// Messages counted by a report rather than traced one by one (-Format
// ExchangeConnectorReport): they go straight into the daily rollup.
struct RollupTotal {
  DayNumber day = 0;
  Direction direction = Direction::Inbound;
  std::optional<std::string> connector;  // nullopt: no connector
  TlsVersion tls = TlsVersion::None;
  std::int64_t messages = 0;
};

// What Import-MessageTrace passes to every reader. Log formats that do not
// carry a year or a time zone (syslog) use these; canonical formats apply
// `utc_offset_seconds` only to timestamps written without an offset.
struct ReaderOptions {
  std::optional<int> year;             // -Year
  std::optional<std::string> time_zone;  // -TimeZone as given
  int utc_offset_seconds = 0;          // -TimeZone resolved to a fixed offset
  DayNumber today = 0;                 // Session::today, for year inference
  std::optional<UnixSeconds> file_mtime;  // the file's modification time, for year inference
  std::vector<std::string> organization_domains;  // Set-MailFlowConfig -OrganizationDomains
  std::vector<std::string> internal_networks;     // Set-MailFlowConfig -InternalNetworks (CIDR)
};

// Where a reader's output goes. `line` is the 1-based number of the first
// physical line of the record; `text` is the raw record (all its lines,
// joined with "\n") and is kept verbatim in import_rejects.
class ReaderSink {
 public:
  virtual ~ReaderSink() = default;
  virtual void trace(const Trace& trace, std::int64_t line) = 0;
  virtual void reject(std::int64_t line, std::string_view reason, std::string_view text) = 0;
  virtual void refused(const RefusedConnection& refused, std::int64_t line) = 0;
  // A record in a message's lifecycle (log formats): `keys` name its
  // recipient routes ("host/queue id/recipient"). A Pending record is
  // replaced by the later outcome of the same keys, whatever file or import
  // brings it (SPEC section 4). Sinks without a lifecycle store it as is.
  virtual void lifecycle_trace(const Trace& trace, std::int64_t line, const std::vector<std::string>& keys) {
    (void)keys;
    this->trace(trace, line);
  }
  // A queue id gave up ("status=expired") on recipients deferred before the
  // lines this reader saw: their Pending records (keys starting with
  // `queue_key`) become Failed at `time`.
  virtual void expire_queue(std::string_view queue_key, UnixSeconds time) {
    (void)queue_key;
    (void)time;
  }
  // A line that is not the format's (another program's, a Postfix daemon
  // that says nothing about mail flow): counted under Ignored by program.
  virtual void ignored(std::string_view program) { (void)program; }
  // A trace whose TLS the reader cannot see (Unknown) carried by SMTP session
  // `session_key`: it takes the TLS of that session when a protocol log
  // already gave it, and gets it when one does later.
  virtual void session_trace(const Trace& trace, std::int64_t line, std::string_view session_key) {
    (void)session_key;
    this->trace(trace, line);
  }
  // Both at once: a lifecycle record (an Exchange outbound outcome keyed by
  // message and recipient) carried by SMTP session `session_key`.
  virtual void session_lifecycle_trace(const Trace& trace, std::int64_t line, const std::vector<std::string>& keys,
                                       std::string_view session_key) {
    (void)session_key;
    lifecycle_trace(trace, line, keys);
  }
  virtual void session_tls(const SessionTls& session, std::int64_t line) {
    (void)session;
    (void)line;
  }
  virtual void tls_failure(const TlsHandshakeFailure& failure, std::int64_t line) {
    (void)failure;
    (void)line;
  }
  virtual void auth_submission(const AuthSubmission& submission, std::int64_t line) {
    (void)submission;
    (void)line;
  }
  virtual void rollup_total(const RollupTotal& total, std::int64_t line) {
    (void)total;
    (void)line;
  }
  // What a log reader holds open at the end of an import (TraceReader::
  // resume): kept with the import's last batch, handed to the next import.
  virtual void reader_state(std::string_view state) { (void)state; }
};

class TraceReader {
 public:
  virtual ~TraceReader() = default;
  // One physical line without its terminator ("\n" or "\r\n"); `number`
  // is 1-based. A UTF-8 byte order mark at the start of the file has been
  // removed. Lines are not checked for UTF-8: readers check the fields they keep.
  virtual void line(std::string_view text, std::int64_t number, ReaderSink& sink) = 0;
  // End of file: emit whatever is still pending (or reject it).
  virtual void finish(ReaderSink& sink) = 0;
  // Several files in one import (rotated logs, oldest first): called between
  // two files instead of finish(). Readers that join lines into messages
  // carry their open state over, so one call equals the concatenation.
  virtual void next_file(ReaderSink& sink) { finish(sink); }
  // Log readers that join lines: records emitted before their message was
  // complete (open past the reader's window, or at the end of the file).
  virtual std::int64_t incomplete() const { return 0; }
  // Imports that continue each other (today's mail.log after yesterday's):
  // called before the first line with what the previous import left
  // (ReaderSink::reader_state, empty when none). A reader that supports it
  // then leaves messages still in flight at the end of this import to the
  // next one instead of emitting them incomplete, so that separate imports
  // make the records one import of all the lines makes.
  virtual void resume(std::string_view state) { (void)state; }
};

// One import format. `detect` sees the first (up to kDetectLines) non-empty
// lines of the file and says whether they look like this format; formats
// are tried in list order. A format that cannot be detected leaves it null.
struct ReaderFormat {
  std::string name;        // as -Format takes it: "Csv", "Jsonl", "Postfix", ...
  bool log_format = false;  // true: the import summary carries Refused
  std::function<bool(const std::vector<std::string>& head)> detect;
  std::function<std::unique_ptr<TraceReader>(const ReaderOptions&)> make;  // never null (reader_formats_test)
};

inline constexpr std::size_t kDetectLines = 10;

// Every format Import-MessageTrace knows, in detection order (reader_formats.cpp:
// one line per format, like the cmdlet list in builtin.cpp).
const std::vector<ReaderFormat>& reader_formats();
// By name, case-insensitive; nullptr when unknown.
const ReaderFormat* find_reader_format(std::string_view name);
// The first format whose detect() accepts `head`; nullptr when none does.
const ReaderFormat* detect_reader_format(const std::vector<std::string>& head);

}  // namespace mailflow
