// libFuzzer target for one import reader, chosen at build time by
// MAILFLOW_FUZZ_FORMAT (Csv, Jsonl, Postfix, ExchangeTracking,
// ExchangeProtocol, ExchangeOnline, ExchangeConnectorReport: the list in
// tests/fuzz/CMakeLists.txt). The input is fed as the importer
// feeds a file: split at "\n", a trailing "\r" and a leading BOM removed.
// Whatever the bytes, the reader must neither crash nor trip the sanitizers
// (a terminating mailflow::Error is a valid answer),
// and every trace it emits must hold what the store accepts.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/error.h"
#include "ingest/trace_reader.h"

namespace {

using namespace mailflow;

struct CheckingSink : ReaderSink {
  void trace(const Trace& t, std::int64_t line) override {
    if (t.size < 0 || t.size > kMaxMessageSize || line < 1) std::abort();
  }
  void reject(std::int64_t line, std::string_view, std::string_view) override {
    if (line < 1) std::abort();
  }
  void refused(const RefusedConnection&, std::int64_t line) override {
    if (line < 1) std::abort();
  }
  // The Exchange readers' outputs (lifecycle_trace and session_trace end in
  // trace() above).
  void session_tls(const SessionTls& session, std::int64_t line) override {
    if (line < 1 || session.key.empty()) std::abort();
  }
  void tls_failure(const TlsHandshakeFailure&, std::int64_t line) override {
    if (line < 1) std::abort();
  }
  void auth_submission(const AuthSubmission&, std::int64_t line) override {
    if (line < 1) std::abort();
  }
  void rollup_total(const RollupTotal& total, std::int64_t line) override {
    if (line < 1 || total.messages < 1) std::abort();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ReaderFormat* format = find_reader_format(MAILFLOW_FUZZ_FORMAT);
  if (!format || !format->make) std::abort();
  ReaderOptions options;
  options.year = 2026;
  options.today = 20780;  // 2026-11-22
  options.organization_domains = {"contoso.com"};
  options.internal_networks = {"127.0.0.1/32", "10.0.0.0/8"};
  auto reader = format->make(options);
  CheckingSink sink;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::int64_t number = 0;
  // A terminating error (a CSV header without the required columns) is a
  // mailflow::Error, as Import-MessageTrace reports it; anything else is a finding.
  try {
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (line.size() > kMaxRecordBytes) line = line.substr(0, kMaxRecordBytes);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    reader->line(line, ++number, sink);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  reader->finish(sink);
  } catch (const Error&) {
  }
  return 0;
}
