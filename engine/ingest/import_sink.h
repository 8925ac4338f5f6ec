// The store side of one file's import (internal to engine/ingest/import*:
// only the importer includes this): the records the reader said, replayed
// on the store thread (import_recording.h), are attributed to connectors,
// de-duplicated by fingerprint and written in batches, each one TraceWriter
// transaction; a store without traces may be loaded in bulk.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "core/trace.h"
#include "ingest/connector_attribution.h"
#include "ingest/importer.h"
#include "ingest/occurrence_counter.h"
#include "ingest/trace_reader.h"
#include "store/import_bookkeeping.h"
#include "store/report_totals.h"
#include "store/session_tls.h"
#include "store/trace_store.h"

namespace mailflow {

// Receives one file's records and writes them in batches. Every batch is one
// TraceWriter transaction carrying traces, rollup, rejects, refusals and
// the file's progress.
class ImportSink : public ReaderSink {
 public:
  ImportSink(TraceStore& store, const ImportOptions& options, ImportSummary& summary,
             std::string key_path, std::int64_t head_hash, std::int64_t size);

  // Error paths (a reader's error, Ctrl-C, a failed commit): the open batch
  // is rolled back, and a bulk load this import began is finished in a
  // transaction of its own, so that the batches that stay are indexed. If
  // that fails too, the next import finishes it (never throws from here).
  ~ImportSink() override;

  // Ends this import's bulk load in the open batch: the indexes are built
  // and the rows they would have refused are counted as duplicates. Before
  // any record that reads or changes stored traces, and at the end.
  void end_bulk_load();

  // Log formats do not name connectors: their traces get one by the
  // connector definitions (ingest/connector_attribution.h). The fingerprint
  // is taken before attribution, so that re-importing the file after the
  // connectors changed (and Update-ConnectorAttribution) still adds nothing.
  void set_attribution(std::unique_ptr<ConnectorAttribution> a) { attribution_ = std::move(a); }

  void trace(const Trace& in, std::int64_t) override;

  // A tracking record carried by an SMTP session (Exchange): it takes the
  // session's TLS if a protocol log gave it already, and is linked to the
  // session so that one imported later can give it. The fingerprint is the
  // record's as the reader made it (TLS Unknown), so a re-import matches.
  void session_trace(const Trace& in, std::int64_t, std::string_view key) override;

  // A protocol-log session: kept, and the traces it carried take its TLS
  // (their rollup moves with them, in this batch's transaction).
  void session_tls(const SessionTls& s, std::int64_t) override;

  void tls_failure(const TlsHandshakeFailure& f, std::int64_t) override;

  // An authenticated submission (never a trace): kept once per message key.
  // Not counted under Imported or Duplicates: it describes a message whose
  // delivery is counted as its trace.
  void auth_submission(const AuthSubmission& a, std::int64_t) override;

  // A report's count for one day, direction, connector and TLS version: into
  // the rollup once, however often the report is imported.
  void rollup_total(const RollupTotal& r, std::int64_t) override;

  void lifecycle_trace(const Trace& in, std::int64_t, const std::vector<std::string>& keys) override;

  // An Exchange outbound outcome: its lifecycle as above, and its session's
  // TLS as session_trace() gives it (the record that settles a deferral is
  // linked to the session that carried it; the Pending one's link goes with it).
  void session_lifecycle_trace(const Trace& in, std::int64_t, const std::vector<std::string>& keys,
                               std::string_view key) override;

  void expire_queue(std::string_view queue_key, UnixSeconds time) override;

  // In this batch's transaction: the state and the records it stands for
  // are committed together.
  void reader_state(std::string_view state) override;

  void ignored(std::string_view program) override;

  void reject(std::int64_t line, std::string_view reason, std::string_view text) override;

  void refused(const RefusedConnection& r, std::int64_t) override;

  // Lines read so far: recorded with each batch.
  void set_lines(std::int64_t lines) { lines_ = lines; }
  // The fingerprint of the record replayed next (traces and refusals), as
  // the parse thread's RecordFingerprints took it.
  void set_fingerprint(std::int64_t fingerprint) { fingerprint_ = fingerprint; }

  void commit_batch();
  // Inserts the records queued so far (they point into the chunk being
  // replayed) and counts them: before the chunk is reused.
  void flush_queued();

  void check_interrupted();

 private:
  void begin_batch();

  // Adds `in` (or `enriched`, a copy with what the store knew added) under
  // the fingerprint of `in` (fingerprint_). Returns the new row id, or 0 for
  // a duplicate. The record is copied only when attribution changes it.
  std::int64_t add_trace(const Trace& in, const Trace* enriched);

  // add_trace() for a record in a lifecycle (TraceWriter::add_in_lifecycle).
  // Returns the new row id, or 0 for a duplicate.
  std::int64_t add_in_lifecycle(const Trace& in, const Trace* enriched, const std::vector<std::string>& keys);

  SessionTlsStore& sessions() {
    if (!sessions_) sessions_.emplace(store_);
    return *sessions_;
  }

  void count_record();

  // The imported_files row: the same path with the same first 4 KiB is the
  // same file imported again; a new head (the log rotated) is a new file.
  // Rejects kept from an earlier import of this path are replaced by this
  // one's, so a fixed file does not keep reporting its old problems.
  void register_file();

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
  RefusedConnectionWriter refused_;
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

}  // namespace mailflow
