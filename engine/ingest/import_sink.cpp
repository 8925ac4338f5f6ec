#include "ingest/import_sink.h"

#include <algorithm>
#include <ctime>
#include <utility>

#include "core/error.h"
#include "ingest/import_fingerprint.h"
#include "store/auth_submission_store.h"
#include "store/import_bookkeeping.h"
#include "store/tls_failure_store.h"

namespace mailflow {

ImportSink::ImportSink(TraceStore& store, const ImportOptions& options, ImportSummary& summary,
                       std::string key_path, std::int64_t head_hash, std::int64_t size)
    : store_(store),
      options_(options),
      summary_(summary),
      key_path_(std::move(key_path)),
      head_hash_(head_hash),
      size_(size),
      batch_size_(import_batch_records(options, size)),
      refused_(store) {
  begin_batch();
  // A bulk load that a killed import left pending is finished first, in
  // this import's first transaction (its removed rows are not this
  // import's to count). This import may load in bulk if the store holds
  // no traces now (TraceWriter::begin_bulk_load; see commit_batch).
  writer_->finish_bulk_load();
  bulk_candidate_ = options.bulk_load && writer_->holds_no_traces();
  register_file();
}

ImportSink::~ImportSink() {
  if (!bulk_) return;
  try {
    writer_.reset();
    TraceWriter finish(store_);
    finish.finish_bulk_load();
    finish.commit();
  } catch (...) {
  }
}

void ImportSink::end_bulk_load() {
  if (!bulk_) return;
  bulk_ = false;
  std::int64_t removed = writer_->finish_bulk_load();
  summary_.imported -= removed;
  summary_.duplicates += removed;
}

void ImportSink::trace(const Trace& in, std::int64_t) {
  if (bulk_candidate_) {
    if (in.received < latest_) ++out_of_order_;
    else latest_ = in.received;
    ++in_order_seen_;
  }
  // A plain record's id is not needed: it is queued (TraceWriter::add_queued;
  // replay() flushes the queue before the chunk it points into is reused),
  // unless attribution changes it into attributed_, which the next record
  // reuses.
  if (attribution_ && !in.connector) add_trace(in, nullptr);
  else writer_->add_queued(in, fingerprint_, file_id_);
  count_record();
}

void ImportSink::flush_queued() {
  TraceWriter::QueuedCounts counts = writer_->flush_queue();
  summary_.imported += counts.added;
  summary_.duplicates += counts.duplicates;
  summary_.refused += refused_.added();
}

void ImportSink::session_trace(const Trace& in, std::int64_t, std::string_view key) {
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

void ImportSink::session_tls(const SessionTls& s, std::int64_t) {
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

void ImportSink::tls_failure(const TlsHandshakeFailure& f, std::int64_t) {
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

void ImportSink::auth_submission(const AuthSubmission& a, std::int64_t) {
  StoredAuthSubmission kept{a.time, a.user, a.tls, a.client_host, a.client_ip, a.key};
  add_auth_submission(store_, kept, file_id_);
  count_record();
}

void ImportSink::rollup_total(const RollupTotal& r, std::int64_t) {
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

void ImportSink::lifecycle_trace(const Trace& in, std::int64_t, const std::vector<std::string>& keys) {
  end_bulk_load();
  add_in_lifecycle(in, nullptr, keys);
  count_record();
}

void ImportSink::session_lifecycle_trace(const Trace& in, std::int64_t, const std::vector<std::string>& keys,
                                         std::string_view key) {
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

void ImportSink::expire_queue(std::string_view queue_key, UnixSeconds time) {
  end_bulk_load();
  writer_->expire_pending(std::string(queue_key), time);
}

void ImportSink::reader_state(std::string_view state) {
  store_.set_config(reader_state_key(summary_.format), std::string(state));
}

void ImportSink::ignored(std::string_view program) {
  ++summary_.ignored;
  auto it = std::find_if(summary_.ignored_by_program.begin(), summary_.ignored_by_program.end(),
                         [&](const auto& p) { return p.first == program; });
  if (it != summary_.ignored_by_program.end()) ++it->second;
  else if (summary_.ignored_by_program.size() < 64) summary_.ignored_by_program.emplace_back(program, 1);
}

void ImportSink::reject(std::int64_t line, std::string_view reason, std::string_view text) {
  keep_import_reject(store_, file_id_, key_path_, line, reason, text);
  ++summary_.rejected;
  count_record();
}

void ImportSink::refused(const RefusedConnection& r, std::int64_t) {
  refused_.add(r, fingerprint_, file_id_);  // counted when the batch commits: only what this import added
  count_record();
}

void ImportSink::commit_batch() {
  flush_queued();
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

void ImportSink::check_interrupted() {
  if (options_.interrupted && options_.interrupted->load())
    throw Error("OperationInterrupted",
                "import of '" + summary_.path + "' interrupted at line " +
                    std::to_string(lines_) + "; what was committed stays, run it again to complete it");
}

void ImportSink::begin_batch() {
  writer_.emplace(store_);
  if (wants_bulk_) {
    wants_bulk_ = false;
    bulk_ = writer_->begin_bulk_load();
  }
}

std::int64_t ImportSink::add_trace(const Trace& in, const Trace* enriched) {
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

std::int64_t ImportSink::add_in_lifecycle(const Trace& in, const Trace* enriched,
                                          const std::vector<std::string>& keys) {
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

void ImportSink::count_record() {
  if (++in_batch_ < batch_size_) return;
  check_interrupted();
  commit_batch();
  begin_batch();
}

void ImportSink::register_file() {
  file_id_ = register_imported_file(store_, key_path_, summary_.format, size_, head_hash_,
                                    static_cast<std::int64_t>(std::time(nullptr)));
}

}  // namespace mailflow
