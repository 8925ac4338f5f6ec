// The parse side of an import and its replay on the store side (internal to
// engine/ingest/import*: only the importer includes this). On the parse
// thread, RecordingSink records what the reader says into the chunks of an
// ImportQueue (import_queue.h); on the store thread, replay() says it again,
// in the same order, to the file's ImportSink (import_sink.h).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "core/trace.h"
#include "ingest/import_fingerprint.h"
#include "ingest/import_queue.h"
#include "ingest/import_sink.h"
#include "ingest/importer.h"
#include "ingest/occurrence_counter.h"
#include "ingest/trace_reader.h"
#include "store/trace_store.h"

namespace mailflow {

// The fingerprints of traces and refusals, taken on the parse thread: they
// depend only on each record and on the records before it in the file
// (occurrence_counter.h), so the parse thread, which has time to spare,
// computes them in the order the reader gives records, and the store
// thread only looks them up.
class RecordFingerprints {
 public:
  // A trace's fingerprint: its content with its occurrence in the file.
  std::int64_t trace(const Trace& t) {
    std::int64_t content = trace_fingerprint(t, 0);
    std::uint32_t occurrence = traces_.next(static_cast<std::uint64_t>(content), t.received);
    return occurrence == 0 ? content : trace_fingerprint(t, occurrence);
  }
  std::int64_t refused(const RefusedConnection& r) {
    std::uint64_t content = refused_hash(r);
    return with_occurrence(content, refused_.next(content, r.time));
  }

 private:
  OccurrenceCounter traces_;
  OccurrenceCounter refused_;
};

// The parse side (ingest/import_queue.h): on the parse thread, records what
// the reader says, in order, into chunks for the store thread. Nothing here
// touches the store. It must override every ReaderSink method: one it misses
// falls back to the base's default and changes what the reader meant
// (import_recording.cpp checks each at compile time, for ImportSink too).
class RecordingSink : public ReaderSink {
 public:
  RecordingSink(ImportQueue& queue, const ImportOptions& options) : queue_(queue), options_(options) {}

  void trace(const Trace& t, std::int64_t line) override;
  void session_trace(const Trace& t, std::int64_t line, std::string_view key) override;
  void lifecycle_trace(const Trace& t, std::int64_t line, const std::vector<std::string>& keys) override;
  void session_lifecycle_trace(const Trace& t, std::int64_t line, const std::vector<std::string>& keys,
                               std::string_view key) override;
  void reject(std::int64_t line, std::string_view reason, std::string_view text) override;
  void refused(const RefusedConnection& r, std::int64_t line) override;
  void expire_queue(std::string_view queue_key, UnixSeconds time) override;
  void ignored(std::string_view program) override;
  void session_tls(const SessionTls& s, std::int64_t line) override;
  void tls_failure(const TlsHandshakeFailure& f, std::int64_t line) override;
  void auth_submission(const AuthSubmission& a, std::int64_t line) override;
  void rollup_total(const RollupTotal& r, std::int64_t line) override;
  void reader_state(std::string_view state) override;

  void set_lines(std::int64_t lines) { lines_ = lines; }

  // The end of the file: the last chunk, marked so.
  void finish() {
    ImportChunk& c = chunk();
    c.end_of_file = true;
    hand_over();
  }

  // The store thread stopped (an error) or Ctrl-C: stop reading.
  struct Stopped {};

 private:
  // The next slot of `slots`, filled by `fill`: its index.
  template <typename Slots, typename Fill>
  static std::uint32_t slot(Slots& slots, Fill fill);

  // One event of `kind`, its data put into a slot by `put`; the chunk is
  // handed over when full.
  template <typename Put>
  void record(ImportChunk::Kind kind, std::int64_t line, Put put);

  ImportChunk& chunk();

  void hand_over();

  ImportQueue& queue_;
  const ImportOptions& options_;
  std::unique_ptr<ImportChunk> chunk_;
  std::int64_t lines_ = 0;
  RecordFingerprints fingerprints_;
  std::int64_t fingerprint_ = 0;  // of the record being recorded
};

// The store side: replays one chunk into the import's sink, in order, as
// the reader said it, and flushes what the sink queued from it (the chunk
// is reused after). True for the last chunk of the file.
bool replay(const ImportChunk& c, ImportSink& sink);

}  // namespace mailflow
