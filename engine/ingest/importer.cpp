#include "ingest/importer.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <optional>
#include <thread>

#include "core/error.h"
#include "core/text.h"
#include "ingest/line_source.h"
#include "ingest/connector_attribution.h"
#include "ingest/import_queue.h"
#include "ingest/occurrence_counter.h"
#include "store/connector_store.h"
#include "store/import_bookkeeping.h"
#include "store/report_totals.h"
#include "store/session_tls.h"
#include "store/auth_submission_store.h"
#include "store/tls_failure_store.h"

namespace mailflow {

namespace {

std::uint64_t refused_hash(const RefusedConnection& r) {
  std::uint64_t h = 1469598103934665603ULL;
  auto mix = [&](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ULL;
    }
    h ^= 0x1f;
    h *= 1099511628211ULL;
  };
  auto mix_opt = [&](const std::optional<std::string>& s) { mix(s ? *s : std::string_view("\x1e")); };
  char time[24];  // the time's decimal digits, as std::to_string gave them, without an allocation
  mix(std::string_view(time, static_cast<std::size_t>(std::to_chars(time, time + sizeof time, r.time).ptr - time)));
  mix_opt(r.client_host);
  mix_opt(r.client_ip);
  mix_opt(r.sender);
  mix_opt(r.recipient);
  mix(r.reason);
  return h;
}

std::int64_t with_occurrence(std::uint64_t hash, std::uint32_t occurrence) {
  // Occurrence 0 keeps the content hash as it is.
  if (occurrence == 0) return static_cast<std::int64_t>(hash);
  std::uint64_t h = hash ^ (0x9E3779B97F4A7C15ULL * (occurrence + 1ULL));
  h ^= h >> 31;
  h *= 0xBF58476D1CE4E5B9ULL;
  h ^= h >> 29;
  return static_cast<std::int64_t>(h);
}

// Receives one file's records and writes them in batches. Every batch is one
// TraceWriter transaction carrying traces, rollup, rejects, refusals and
// the file's progress.
class ImportSink : public ReaderSink {
 public:
  ImportSink(TraceStore& store, const ImportOptions& options, ImportSummary& summary,
             std::string key_path, std::int64_t head_hash, std::int64_t size)
      : store_(store),
        options_(options),
        summary_(summary),
        key_path_(std::move(key_path)),
        head_hash_(head_hash),
        size_(size),
        batch_size_(import_batch_records(options, size)) {
    begin_batch();
    // A bulk load that a killed import left pending is finished first, in
    // this import's first transaction (its removed rows are not this
    // import's to count). This import may load in bulk if the store holds
    // no traces now (TraceWriter::begin_bulk_load; see commit_batch).
    writer_->finish_bulk_load();
    bulk_candidate_ = options.bulk_load && writer_->holds_no_traces();
    register_file();
  }

  // Error paths (a reader's error, Ctrl-C, a failed commit): the open batch
  // is rolled back, and a bulk load this import began is finished in a
  // transaction of its own, so that the batches that stay are indexed. If
  // that fails too, the next import finishes it (never throws from here).
  ~ImportSink() override {
    if (!bulk_) return;
    try {
      writer_.reset();
      TraceWriter finish(store_);
      finish.finish_bulk_load();
      finish.commit();
    } catch (...) {
    }
  }

  // Ends this import's bulk load in the open batch: the indexes are built
  // and the rows they would have refused are counted as duplicates. Before
  // any record that reads or changes stored traces, and at the end.
  void end_bulk_load() {
    if (!bulk_) return;
    bulk_ = false;
    std::int64_t removed = writer_->finish_bulk_load();
    summary_.imported -= removed;
    summary_.duplicates += removed;
  }

  // Log formats do not name connectors: their traces get one by the
  // connector definitions (ingest/connector_attribution.h). The fingerprint
  // is taken before attribution, so that re-importing the file after the
  // connectors changed (and Update-ConnectorAttribution) still adds nothing.
  void set_attribution(std::unique_ptr<ConnectorAttribution> a) { attribution_ = std::move(a); }

  void trace(const Trace& in, std::int64_t) override {
    if (bulk_candidate_) {
      if (in.received < latest_) ++out_of_order_;
      else latest_ = in.received;
      ++in_order_seen_;
    }
    add_trace(in, nullptr);
    count_record();
  }

  // A tracking record carried by an SMTP session (Exchange): it takes the
  // session's TLS if a protocol log gave it already, and is linked to the
  // session so that one imported later can give it. The fingerprint is the
  // record's as the reader made it (TLS Unknown), so a re-import matches.
  void session_trace(const Trace& in, std::int64_t, std::string_view key) override {
    end_bulk_load();
    std::optional<StoredSessionTls> known = sessions().find(key);
    if (!known) {
      std::int64_t id = add_trace(in, nullptr);
      if (id > 0) sessions().link(id, key);
      count_record();
      return;
    }
    Trace t = in;
    t.tls = known->tls;
    t.cipher = known->cipher;
    std::int64_t id = add_trace(in, &t);
    if (id > 0) sessions().link(id, key);
    count_record();
  }

  // A protocol-log session: kept, and the traces it carried take its TLS
  // (their rollup moves with them, in this batch's transaction).
  void session_tls(const SessionTls& s, std::int64_t) override {
    end_bulk_load();
    StoredSessionTls tls{s.tls, s.cipher};
    if (!sessions().save(s.key, tls)) {
      ++summary_.duplicates;
      count_record();
      return;
    }
    ++summary_.imported;
    StoredSessionTls kept = *sessions().find(s.key);
    for (const auto& [id, before] : sessions().traces_of(s.key))
      writer_->set_tls(id, before, kept.tls, kept.cipher);
    count_record();
  }

  void tls_failure(const TlsHandshakeFailure& f, std::int64_t) override {
    std::uint64_t h = 1469598103934665603ULL;
    const std::string time = std::to_string(f.time);  // outlives the loop's views
    for (std::string_view part : {std::string_view(time), std::string_view(f.reason),
                                  std::string_view(f.text),
                                  f.peer_ip ? std::string_view(*f.peer_ip) : std::string_view()}) {
      for (unsigned char c : part) {
        h ^= c;
        h *= 1099511628211ULL;
      }
      h ^= 0x1f;
      h *= 1099511628211ULL;
    }
    std::uint32_t occurrence = failure_occurrences_.next(h, f.time);
    StoredTlsFailure kept{f.time, f.direction, f.peer, f.peer_ip, f.connector, f.reason, f.text};
    if (add_tls_failure(store_, kept, with_occurrence(h, occurrence), file_id_))
      ++summary_.imported;
    else
      ++summary_.duplicates;
    count_record();
  }

  // An authenticated submission (never a trace): kept once per message key.
  // Not counted under Imported or Duplicates: it describes a message whose
  // delivery is counted as its trace.
  void auth_submission(const AuthSubmission& a, std::int64_t) override {
    StoredAuthSubmission kept{a.time, a.user, a.tls, a.client_host, a.client_ip, a.key};
    add_auth_submission(store_, kept, file_id_);
    count_record();
  }

  // A report's count for one day, direction, connector and TLS version: into
  // the rollup once, however often the report is imported.
  void rollup_total(const RollupTotal& r, std::int64_t) override {
    std::uint64_t h = 1469598103934665603ULL;
    for (const std::string& part : {std::to_string(r.day), std::to_string(static_cast<int>(r.direction)),
                                    r.connector.value_or("\x1e"), std::to_string(static_cast<int>(r.tls)),
                                    std::to_string(r.messages)}) {
      for (unsigned char c : part) {
        h ^= c;
        h *= 1099511628211ULL;
      }
      h ^= 0x1f;
      h *= 1099511628211ULL;
    }
    std::uint32_t occurrence = total_occurrences_.next(h, start_of_day(r.day));
    if (!report_totals_) report_totals_.emplace(store_);
    if (report_totals_->remember(with_occurrence(h, occurrence), r.day, file_id_)) {
      writer_->add_total(r.day, r.direction, r.connector, r.tls, "Delivered", r.messages);
      ++summary_.imported;
    } else {
      ++summary_.duplicates;
    }
    count_record();
  }

  void lifecycle_trace(const Trace& in, std::int64_t, const std::vector<std::string>& keys) override {
    end_bulk_load();
    add_in_lifecycle(in, nullptr, keys);
    count_record();
  }

  // An Exchange outbound outcome: its lifecycle as above, and its session's
  // TLS as session_trace() gives it (the record that settles a deferral is
  // linked to the session that carried it; the Pending one's link goes with it).
  void session_lifecycle_trace(const Trace& in, std::int64_t, const std::vector<std::string>& keys,
                               std::string_view key) override {
    end_bulk_load();
    std::optional<StoredSessionTls> known = sessions().find(key);
    Trace t = in;
    if (known) {
      t.tls = known->tls;
      t.cipher = known->cipher;
    }
    if (std::int64_t id = add_in_lifecycle(in, known ? &t : nullptr, keys); id > 0) sessions().link(id, key);
    count_record();
  }

  void expire_queue(std::string_view queue_key, UnixSeconds time) override {
    end_bulk_load();
    writer_->expire_pending(std::string(queue_key), time);
  }

  // In this batch's transaction: the state and the records it stands for
  // are committed together.
  void reader_state(std::string_view state) override {
    store_.set_config(reader_state_key(summary_.format), std::string(state));
  }

  void ignored(std::string_view program) override {
    ++summary_.ignored;
    auto it = std::find_if(summary_.ignored_by_program.begin(), summary_.ignored_by_program.end(),
                           [&](const auto& p) { return p.first == program; });
    if (it != summary_.ignored_by_program.end()) ++it->second;
    else if (summary_.ignored_by_program.size() < 64) summary_.ignored_by_program.emplace_back(program, 1);
  }

  void reject(std::int64_t line, std::string_view reason, std::string_view text) override {
    keep_import_reject(store_, file_id_, key_path_, line, reason, text);
    ++summary_.rejected;
    count_record();
  }

  void refused(const RefusedConnection& r, std::int64_t) override {
    if (add_refused_connection(store_, r, fingerprint_, file_id_))
      ++summary_.refused;  // only what this import added
    count_record();
  }

  // Lines read so far: recorded with each batch.
  void set_lines(std::int64_t lines) { lines_ = lines; }
  // The fingerprint of the record replayed next (traces and refusals), as
  // the parse thread's RecordFingerprints took it.
  void set_fingerprint(std::int64_t fingerprint) { fingerprint_ = fingerprint; }

  void commit_batch() {
    ++batch_number_;
    record_import_progress(store_, file_id_, summary_.format, size_, lines_,
                           static_cast<std::int64_t>(std::time(nullptr)));
    if (options_.before_commit) options_.before_commit(batch_number_);
    writer_->commit();
    writer_.reset();
    in_batch_ = 0;
    // After the first batch: a file whose traces came more than one in
    // kOutOfOrderShare out of time order loads the rest in bulk (a file in
    // time order appends to the indexes, which costs less than building
    // them at the end: measured, tests/bench/README.md).
    if (bulk_candidate_) {
      bulk_candidate_ = false;
      wants_bulk_ = in_order_seen_ > 0 && out_of_order_ * kOutOfOrderShare > in_order_seen_;
    }
  }

  void check_interrupted() {
    if (options_.interrupted && options_.interrupted->load())
      throw Error("OperationInterrupted",
                  "import of '" + summary_.path + "' interrupted at line " +
                      std::to_string(lines_) + "; what was committed stays, run it again to complete it");
  }

 private:
  void begin_batch() {
    writer_.emplace(store_);
    if (wants_bulk_) {
      wants_bulk_ = false;
      bulk_ = writer_->begin_bulk_load();
    }
  }

  // Adds `in` (or `enriched`, a copy with what the store knew added) under
  // the fingerprint of `in` (fingerprint_). Returns the new row id, or 0 for
  // a duplicate. The record is copied only when attribution changes it.
  std::int64_t add_trace(const Trace& in, const Trace* enriched) {
    const Trace* t = enriched ? enriched : &in;
    if (attribution_ && !t->connector) {
      attributed_ = *t;
      attributed_.connector = attribution_->attribute(attributed_);
      t = &attributed_;
    }
    if (writer_->add(*t, fingerprint_, file_id_)) {
      ++summary_.imported;
      return store_.db().last_insert_rowid();
    }
    ++summary_.duplicates;
    return 0;
  }

  // add_trace() for a record in a lifecycle (TraceWriter::add_in_lifecycle).
  // Returns the new row id, or 0 for a duplicate.
  std::int64_t add_in_lifecycle(const Trace& in, const Trace* enriched, const std::vector<std::string>& keys) {
    const Trace* t = enriched ? enriched : &in;
    if (attribution_ && !in.connector) {
      attributed_ = *t;
      attributed_.connector = attribution_->attribute(in);
      t = &attributed_;
    }
    if (writer_->add_in_lifecycle(*t, fingerprint_, file_id_, keys) == TraceWriter::Lifecycle::Duplicate) {
      ++summary_.duplicates;
      return 0;
    }
    ++summary_.imported;
    // The trace's insert is the last rowid insert: trace_lifecycle, written
    // after it, is WITHOUT ROWID and leaves last_insert_rowid() alone.
    return store_.db().last_insert_rowid();
  }

  SessionTlsStore& sessions() {
    if (!sessions_) sessions_.emplace(store_);
    return *sessions_;
  }

  void count_record() {
    if (++in_batch_ < batch_size_) return;
    check_interrupted();
    commit_batch();
    begin_batch();
  }

  // The imported_files row: the same path with the same first 4 KiB is the
  // same file imported again; a new head (the log rotated) is a new file.
  // Rejects kept from an earlier import of this path are replaced by this
  // one's, so a fixed file does not keep reporting its old problems.
  void register_file() {
    file_id_ = register_imported_file(store_, key_path_, summary_.format, size_, head_hash_,
                                      static_cast<std::int64_t>(std::time(nullptr)));
  }

  TraceStore& store_;
  const ImportOptions& options_;
  ImportSummary& summary_;
  std::string key_path_;
  std::int64_t head_hash_;
  std::int64_t size_;
  std::size_t batch_size_;
  std::int64_t file_id_ = 0;
  std::int64_t lines_ = 0;
  std::optional<TraceWriter> writer_;
  std::size_t in_batch_ = 0;
  std::int64_t batch_number_ = 0;
  std::unique_ptr<ConnectorAttribution> attribution_;
  bool bulk_ = false;  // this import's bulk load is running
  // The first batch decides: the store held no traces, and its traces came
  // out of time order (counted here).
  static constexpr std::int64_t kOutOfOrderShare = 16;
  bool bulk_candidate_ = false, wants_bulk_ = false;
  UnixSeconds latest_ = 0;
  std::int64_t out_of_order_ = 0, in_order_seen_ = 0;
  Trace attributed_;  // a record with its attributed connector; reused
  std::int64_t fingerprint_ = 0;
  OccurrenceCounter failure_occurrences_;
  OccurrenceCounter total_occurrences_;
  std::optional<ReportTotalsStore> report_totals_;
  std::optional<SessionTlsStore> sessions_;  // only for formats that use it
};

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
// falls back to the base's default and changes what the reader meant (the
// Exchange import tests catch the session and lifecycle ones).
class RecordingSink : public ReaderSink {
 public:
  RecordingSink(ImportQueue& queue, const ImportOptions& options) : queue_(queue), options_(options) {}

  void trace(const Trace& t, std::int64_t line) override {
    fingerprint_ = fingerprints_.trace(t);
    record(ImportChunk::Kind::Trace, line, [&](ImportChunk& c) { return slot(c.traces, [&](auto& i) { i.trace = t; }); });
  }
  void session_trace(const Trace& t, std::int64_t line, std::string_view key) override {
    fingerprint_ = fingerprints_.trace(t);
    record(ImportChunk::Kind::SessionTrace, line, [&](ImportChunk& c) {
      return slot(c.traces, [&](auto& i) {
        i.trace = t;
        i.key.assign(key);
      });
    });
  }
  void lifecycle_trace(const Trace& t, std::int64_t line, const std::vector<std::string>& keys) override {
    fingerprint_ = fingerprints_.trace(t);
    record(ImportChunk::Kind::LifecycleTrace, line, [&](ImportChunk& c) {
      return slot(c.traces, [&](auto& i) {
        i.trace = t;
        i.keys = keys;  // element strings keep their capacity
      });
    });
  }
  void session_lifecycle_trace(const Trace& t, std::int64_t line, const std::vector<std::string>& keys,
                               std::string_view key) override {
    fingerprint_ = fingerprints_.trace(t);
    record(ImportChunk::Kind::SessionLifecycleTrace, line, [&](ImportChunk& c) {
      return slot(c.traces, [&](auto& i) {
        i.trace = t;
        i.keys = keys;
        i.key.assign(key);
      });
    });
  }
  void reject(std::int64_t line, std::string_view reason, std::string_view text) override {
    record(ImportChunk::Kind::Reject, line, [&](ImportChunk& c) {
      return slot(c.texts, [&](auto& i) {
        i.a.assign(reason);
        i.b.assign(text);
      });
    });
  }
  void refused(const RefusedConnection& r, std::int64_t line) override {
    fingerprint_ = fingerprints_.refused(r);
    record(ImportChunk::Kind::Refused, line, [&](ImportChunk& c) { return slot(c.refused, [&](auto& i) { i = r; }); });
  }
  void expire_queue(std::string_view queue_key, UnixSeconds time) override {
    record(ImportChunk::Kind::ExpireQueue, 0, [&](ImportChunk& c) {
      return slot(c.texts, [&](auto& i) {
        i.a.assign(queue_key);
        i.time = time;
      });
    });
  }
  void ignored(std::string_view program) override {
    record(ImportChunk::Kind::Ignored, 0,
           [&](ImportChunk& c) { return slot(c.texts, [&](auto& i) { i.a.assign(program); }); });
  }
  void session_tls(const SessionTls& s, std::int64_t line) override {
    record(ImportChunk::Kind::SessionTls, line, [&](ImportChunk& c) { return slot(c.sessions, [&](auto& i) { i = s; }); });
  }
  void tls_failure(const TlsHandshakeFailure& f, std::int64_t line) override {
    record(ImportChunk::Kind::TlsFailure, line, [&](ImportChunk& c) { return slot(c.failures, [&](auto& i) { i = f; }); });
  }
  void auth_submission(const AuthSubmission& a, std::int64_t line) override {
    record(ImportChunk::Kind::AuthSubmission, line,
           [&](ImportChunk& c) { return slot(c.submissions, [&](auto& i) { i = a; }); });
  }
  void rollup_total(const RollupTotal& r, std::int64_t line) override {
    record(ImportChunk::Kind::RollupTotal, line, [&](ImportChunk& c) { return slot(c.totals, [&](auto& i) { i = r; }); });
  }
  void reader_state(std::string_view state) override {
    record(ImportChunk::Kind::ReaderState, 0,
           [&](ImportChunk& c) { return slot(c.texts, [&](auto& i) { i.a.assign(state); }); });
  }

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
  template <typename Slots, typename Fill>
  static std::uint32_t slot(Slots& slots, Fill fill) {
    std::uint32_t index = static_cast<std::uint32_t>(slots.used);
    fill(slots.next());
    return index;
  }

  template <typename Put>
  void record(ImportChunk::Kind kind, std::int64_t line, Put put) {
    ImportChunk& c = chunk();
    std::uint32_t index = put(c);
    c.events.push_back({kind, index, line, lines_, fingerprint_});
    fingerprint_ = 0;
    if (c.events.size() >= ImportQueue::kChunkRecords) hand_over();
  }

  ImportChunk& chunk() {
    if (!chunk_) {
      chunk_ = queue_.take_empty();
      if (!chunk_) throw Stopped{};
    }
    return *chunk_;
  }

  void hand_over() {
    chunk_->lines = lines_;
    if (!queue_.push(std::move(chunk_))) throw Stopped{};
    if (options_.interrupted && options_.interrupted->load()) throw Stopped{};
  }

  ImportQueue& queue_;
  const ImportOptions& options_;
  std::unique_ptr<ImportChunk> chunk_;
  std::int64_t lines_ = 0;
  RecordFingerprints fingerprints_;
  std::int64_t fingerprint_ = 0;  // of the record being recorded
};

// The store side: replays one chunk into the import's sink, in order, as
// the reader said it. True for the last chunk of the file.
bool replay(const ImportChunk& c, ImportSink& sink) {
  using Kind = ImportChunk::Kind;
  for (const ImportChunk::Event& e : c.events) {
    sink.set_lines(e.lines_read);
    sink.set_fingerprint(e.fingerprint);
    switch (e.kind) {
      case Kind::Trace: sink.trace(c.traces.items[e.slot].trace, e.line); break;
      case Kind::SessionTrace: {
        const auto& i = c.traces.items[e.slot];
        sink.session_trace(i.trace, e.line, i.key);
        break;
      }
      case Kind::LifecycleTrace: {
        const auto& i = c.traces.items[e.slot];
        sink.lifecycle_trace(i.trace, e.line, i.keys);
        break;
      }
      case Kind::SessionLifecycleTrace: {
        const auto& i = c.traces.items[e.slot];
        sink.session_lifecycle_trace(i.trace, e.line, i.keys, i.key);
        break;
      }
      case Kind::Reject: sink.reject(e.line, c.texts.items[e.slot].a, c.texts.items[e.slot].b); break;
      case Kind::Refused: sink.refused(c.refused.items[e.slot], e.line); break;
      case Kind::ExpireQueue: sink.expire_queue(c.texts.items[e.slot].a, c.texts.items[e.slot].time); break;
      case Kind::Ignored: sink.ignored(c.texts.items[e.slot].a); break;
      case Kind::SessionTls: sink.session_tls(c.sessions.items[e.slot], e.line); break;
      case Kind::TlsFailure: sink.tls_failure(c.failures.items[e.slot], e.line); break;
      case Kind::AuthSubmission: sink.auth_submission(c.submissions.items[e.slot], e.line); break;
      case Kind::RollupTotal: sink.rollup_total(c.totals.items[e.slot], e.line); break;
      case Kind::ReaderState: sink.reader_state(c.texts.items[e.slot].a); break;
    }
  }
  sink.set_lines(c.lines);
  return c.end_of_file;
}

}  // namespace

std::size_t import_batch_records(const ImportOptions& options, std::int64_t file_size) {
  if (options.batch_size) return options.batch_size;
  return file_size >= ImportOptions::kLargeBatchBytes ? ImportOptions::kLargeBatchRecords
                                                      : ImportOptions::kBatchRecords;
}

// The store's config entry for what a log format's reader left open
// (TraceReader::resume); not a setting: Get-MailFlowConfig never lists it.
std::string reader_state_key(std::string_view format) { return "reader-state:" + std::string(format); }

namespace {

const ReaderFormat& resolve_format(const std::string& path, const std::string& name,
                                   const LineSource& source) {
  if (iequals(name, "Auto")) {
    std::vector<std::string> head = source.head_lines(kDetectLines);
    const ReaderFormat* f = detect_reader_format(head);
    if (!f) {
      std::string first = head.empty() ? std::string() : head.front().substr(0, 60);
      std::string names;
      for (const ReaderFormat& r : reader_formats()) names += (names.empty() ? "" : ", ") + r.name;
      throw Error("UnknownFormat", "cannot tell the format of '" + path + "' from its first line '" +
                                       first + "'; name it with -Format (available: " + names + ")");
    }
    return *f;
  }
  const ReaderFormat* f = find_reader_format(name);
  if (!f) throw Error("UnknownFormat", "unknown import format '" + name + "'");
  return *f;
}

}  // namespace

std::string import_key_path(const std::string& path) {
  std::error_code ec;
  auto absolute = std::filesystem::absolute(path, ec);
  if (ec) return path;
  return absolute.lexically_normal().string();
}

std::optional<int> parse_utc_offset(std::string_view text) {
  std::string_view t = trim(text);
  if (iequals(t, "UTC") || iequals(t, "GMT") || iequals(t, "Z")) return 0;
  if (istarts_with(t, "UTC") || istarts_with(t, "GMT")) t.remove_prefix(3);
  if (t.empty() || (t[0] != '+' && t[0] != '-')) return std::nullopt;
  int sign = t[0] == '+' ? 1 : -1;
  t.remove_prefix(1);
  auto number = [](std::string_view s, int& out) {
    if (s.empty() || s.size() > 2) return false;
    out = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
    }
    return true;
  };
  int hours = 0, minutes = 0;
  std::size_t colon = t.find(':');
  if (colon != std::string_view::npos) {
    if (!number(t.substr(0, colon), hours) || !number(t.substr(colon + 1), minutes)) return std::nullopt;
  } else if (t.size() == 4) {
    if (!number(t.substr(0, 2), hours) || !number(t.substr(2), minutes)) return std::nullopt;
  } else if (!number(t, hours)) {
    return std::nullopt;
  }
  if (hours > 14 || minutes > 59) return std::nullopt;
  return sign * (hours * 3600 + minutes * 60);
}

namespace {

// "mail.log.2.gz" -> ("mail.log", 2); "mail.log-20261201" -> ("mail.log",
// days before 9999-12-31); "mail.log" -> ("mail.log", 0): the larger the
// rank, the older the file.
std::pair<std::string, std::int64_t> rotation_rank(const std::string& path) {
  std::string name = path;
  for (const char* ext : {".gz", ".xz", ".zst", ".bz2"})
    if (name.size() > std::strlen(ext) && name.ends_with(ext)) {
      name.resize(name.size() - std::strlen(ext));
      break;
    }
  std::size_t cut = name.find_last_of(".-");
  if (cut == std::string::npos || cut + 1 == name.size()) return {name, 0};
  std::string_view suffix = std::string_view(name).substr(cut + 1);
  if (suffix.size() > 9 || suffix.find_first_not_of("0123456789") != std::string_view::npos) return {name, 0};
  std::int64_t n = std::stoll(std::string(suffix));
  if (name[cut] == '-') n = 99991231 - n;  // logrotate dateext: an earlier date is older
  else if (n == 0) return {name, 0};
  return {name.substr(0, cut), n};
}

}  // namespace

std::vector<std::string> rotation_order(std::vector<std::string> paths) {
  // Files of one log keep the places they had in the list, filled oldest
  // first; other files stay where they are.
  std::vector<std::pair<std::string, std::int64_t>> ranks;
  for (const std::string& p : paths) ranks.push_back(rotation_rank(p));
  std::vector<bool> placed(paths.size(), false);
  std::vector<std::string> out = paths;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (placed[i]) continue;
    std::vector<std::size_t> group;
    for (std::size_t j = i; j < paths.size(); ++j)
      if (!placed[j] && ranks[j].first == ranks[i].first) group.push_back(j);
    std::vector<std::size_t> sorted = group;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [&](std::size_t a, std::size_t b) { return ranks[a].second > ranks[b].second; });
    for (std::size_t k = 0; k < group.size(); ++k) {
      out[group[k]] = paths[sorted[k]];
      placed[group[k]] = true;
    }
  }
  return out;
}

struct MultiFileImport::Carry {
  const ReaderFormat* format = nullptr;
  std::unique_ptr<TraceReader> reader;
};

MultiFileImport::MultiFileImport(TraceStore& store, std::vector<std::string> paths, ImportOptions options)
    : store_(store), paths_(std::move(paths)), options_(std::move(options)), carry_(std::make_unique<Carry>()) {}

MultiFileImport::~MultiFileImport() = default;

std::optional<ImportSummary> MultiFileImport::next() {
  if (next_ >= paths_.size()) return std::nullopt;
  const std::string& path = paths_[next_++];
  bool last = next_ == paths_.size();
  LineSource source(path, 1 << 20, options_.interrupted);
  const ReaderFormat& format = resolve_format(path, options_.format, source);

  ImportSummary summary;
  summary.path = path;
  summary.format = format.name;
  summary.log_format = format.log_format;

  // A log reader carries over to the next file of the same format (the
  // next rotated file); any other reader starts afresh.
  if (carry_->reader && carry_->format != &format) carry_->reader.reset();
  if (!carry_->reader) {
    ReaderOptions reader_options = options_.reader;
    std::error_code mtime_error;
    auto mtime = std::filesystem::last_write_time(path, mtime_error);
    if (!mtime_error)  // for year inference from syslog timestamps
      reader_options.file_mtime = std::chrono::duration_cast<std::chrono::seconds>(
                                      std::chrono::file_clock::to_sys(mtime).time_since_epoch())
                                      .count();
    try {
      carry_->reader = format.make(reader_options);
    } catch (const Error& e) {
      throw Error(e.id(), "cannot import '" + path + "': " + e.what());
    }
    carry_->format = &format;
    if (format.log_format) carry_->reader->resume(store_.get_config(reader_state_key(format.name)).value_or(""));
  }
  TraceReader& reader = *carry_->reader;
  std::int64_t incomplete_before = reader.incomplete();

  // Before the sink opens its first batch: the settings change outside a
  // transaction, and are restored (with a checkpoint) after the sink is gone.
  BulkWrite bulk(store_);
  ImportSink sink(store_, options_, summary, import_key_path(path), source.head_hash(), source.file_size());
  if (format.log_format) {
    // Without connectors defined there is nothing to attribute.
    std::vector<Connector> connectors = ConnectorStore(store_).list();
    if (!connectors.empty()) sink.set_attribution(std::make_unique<ConnectorAttribution>(std::move(connectors)));
  }
  bool carries = !last && format.log_format;

  // The parse thread reads and runs the reader; this thread replays what it
  // said into the sink. The parse thread's error (a reader's terminating
  // error, an unreadable file, Ctrl-C while reading) is handed to this
  // thread, which first writes whatever was handed over before it, so the
  // batches that were complete commit as in a one-thread import.
  ImportQueue queue;
  std::exception_ptr parse_error;
  std::thread parser([&] {
    RecordingSink recorder(queue, options_);
    LineSource::Line line;
    try {
      while (source.next(line)) {
        recorder.set_lines(line.number);
        if (line.overlong) {
          recorder.reject(line.number, "line longer than " + std::to_string(kMaxRecordBytes) + " bytes", line.text);
          continue;
        }
        reader.line(line.text, line.number, recorder);
      }
      if (carries) reader.next_file(recorder);
      else reader.finish(recorder);
      recorder.set_lines(line.number);
      recorder.finish();
    } catch (const RecordingSink::Stopped&) {
      // The store thread stopped, or Ctrl-C: it says why.
    } catch (...) {
      parse_error = std::current_exception();
    }
    queue.close();
  });
  // Whatever way this thread leaves, the parse thread is stopped and joined
  // first (an open batch is then rolled back by the sink's writer).
  struct JoinParser {
    ImportQueue& queue;
    std::thread& thread;
    ~JoinParser() {
      queue.close();
      if (thread.joinable()) thread.join();
    }
  } join{queue, parser};

  bool finished = false;
  std::int64_t lines = 0;
  try {
    while (auto chunk = queue.pop()) {
      finished = replay(*chunk, sink);
      lines = chunk->lines;
      queue.recycle(std::move(chunk));
      if (finished) break;
    }
  } catch (...) {
    queue.close();  // the parse thread uses the reader: stopped before it goes
    parser.join();
    carry_->reader.reset();
    throw;
  }
  queue.close();
  parser.join();
  if (!finished) {
    carry_->reader.reset();
    if (parse_error) {
      try {
        std::rethrow_exception(parse_error);
      } catch (const Error& e) {
        // A reader's terminating error (a CSV without its header): name the file.
        if (e.id() == "ImportFormat") throw Error(e.id(), "cannot import '" + path + "': " + e.what());
        throw;
      }
    }
    sink.check_interrupted();
    throw Error("OperationInterrupted", "import of '" + path + "' stopped before the end of the file");
  }
  summary.incomplete = reader.incomplete() - incomplete_before;
  if (!carries) carry_->reader.reset();
  summary.lines = lines;
  sink.set_lines(summary.lines);
  sink.check_interrupted();
  sink.end_bulk_load();
  sink.commit_batch();
  return summary;
}

ImportSummary import_trace_file(TraceStore& store, const std::string& path, const ImportOptions& options) {
  MultiFileImport one(store, {path}, options);
  return *one.next();
}

}  // namespace mailflow
