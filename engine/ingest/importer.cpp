#include "ingest/importer.h"

#include <ctime>
#include <filesystem>
#include <optional>

#include "core/error.h"
#include "core/text.h"
#include "ingest/line_source.h"
#include "ingest/connector_attribution.h"
#include "ingest/occurrence_counter.h"
#include "store/connector_store.h"
#include "store/report_totals.h"
#include "store/session_tls.h"

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
  mix(std::to_string(r.time));
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
        size_(size) {
    begin_batch();
    register_file();
  }

  // Log formats do not name connectors: their traces get one by the
  // connector definitions (ingest/connector_attribution.h). The fingerprint
  // is taken before attribution, so that re-importing the file after the
  // connectors changed (and Update-ConnectorAttribution) still adds nothing.
  void set_attribution(std::unique_ptr<ConnectorAttribution> a) { attribution_ = std::move(a); }

  void trace(const Trace& in, std::int64_t) override {
    add_trace(in, nullptr);
    count_record();
  }

  // A tracking record carried by an SMTP session (Exchange): it takes the
  // session's TLS if a protocol log gave it already, and is linked to the
  // session so that one imported later can give it. The fingerprint is the
  // record's as the reader made it (TLS Unknown), so a re-import matches.
  void session_trace(const Trace& in, std::int64_t, std::string_view key) override {
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
    for (std::string_view part : {std::string_view(std::to_string(f.time)), std::string_view(f.reason),
                                  std::string_view(f.text), std::string_view(f.peer_ip ? *f.peer_ip : "")}) {
      for (unsigned char c : part) {
        h ^= c;
        h *= 1099511628211ULL;
      }
      h ^= 0x1f;
      h *= 1099511628211ULL;
    }
    std::uint32_t occurrence = failure_occurrences_.next(h, f.time);
    if (sessions().add_failure(f.time, f.direction, f.peer_ip, f.reason, f.text, with_occurrence(h, occurrence),
                               file_id_))
      ++summary_.imported;
    else
      ++summary_.duplicates;
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

  void reject(std::int64_t line, std::string_view reason, std::string_view text) override {
    StatementUse s(store_.db().cached(
        "ingest.reject",
        "INSERT INTO import_rejects(file_id, path, line, reason, text) VALUES(?1, ?2, ?3, ?4, ?5)"
        " ON CONFLICT(path, line) DO UPDATE SET file_id = excluded.file_id,"
        " reason = excluded.reason, text = excluded.text"));
    s->bind(1, file_id_).bind(2, key_path_).bind(3, line).bind(4, reason).bind(5, text);
    s->run();
    ++summary_.rejected;
    count_record();
  }

  void refused(const RefusedConnection& r, std::int64_t) override {
    std::uint64_t content = refused_hash(r);
    std::uint32_t occurrence = refused_occurrences_.next(content, r.time);
    StatementUse s(store_.db().cached(
        "ingest.refused",
        "INSERT OR IGNORE INTO refused_connections(time, client_host, client_ip, sender, recipient,"
        " reason, fingerprint, file_id) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
    s->bind(1, r.time)
        .bind(2, r.client_host)
        .bind(3, r.client_ip)
        .bind(4, r.sender)
        .bind(5, r.recipient)
        .bind(6, r.reason)
        .bind(7, with_occurrence(content, occurrence))
        .bind(8, file_id_);
    s->run();
    ++summary_.refused;
    count_record();
  }

  // Lines read so far: recorded with each batch.
  void set_lines(std::int64_t lines) { lines_ = lines; }

  void commit_batch() {
    ++batch_number_;
    StatementUse s(store_.db().cached(
        "ingest.file_progress",
        "UPDATE imported_files SET format = ?2, size = ?3, lines = ?4, imported_at = ?5 WHERE id = ?1"));
    s->bind(1, file_id_)
        .bind(2, summary_.format)
        .bind(3, size_)
        .bind(4, lines_)
        .bind(5, static_cast<std::int64_t>(std::time(nullptr)));
    s->run();
    if (options_.before_commit) options_.before_commit(batch_number_);
    writer_->commit();
    writer_.reset();
    in_batch_ = 0;
  }

  void check_interrupted() {
    if (options_.interrupted && options_.interrupted->load())
      throw Error("OperationInterrupted",
                  "import of '" + summary_.path + "' interrupted at line " +
                      std::to_string(lines_) + "; what was committed stays, run it again to complete it");
  }

 private:
  void begin_batch() { writer_.emplace(store_); }

  // Adds `in` (or `enriched`, a copy with what the store knew added) under
  // the fingerprint of `in`. Returns the new row id, or 0 for a duplicate.
  std::int64_t add_trace(const Trace& in, const Trace* enriched) {
    std::int64_t content = trace_fingerprint(in, 0);
    std::uint32_t occurrence = trace_occurrences_.next(static_cast<std::uint64_t>(content), in.received);
    std::int64_t fingerprint = occurrence == 0 ? content : trace_fingerprint(in, occurrence);
    Trace t = enriched ? *enriched : in;
    if (attribution_ && !t.connector) t.connector = attribution_->attribute(t);
    if (writer_->add(t, fingerprint, file_id_)) {
      ++summary_.imported;
      return store_.db().last_insert_rowid();
    }
    ++summary_.duplicates;
    return 0;
  }

  SessionTlsStore& sessions() {
    if (!sessions_) sessions_.emplace(store_);
    return *sessions_;
  }

  void count_record() {
    if (++in_batch_ < options_.batch_size) return;
    check_interrupted();
    commit_batch();
    begin_batch();
  }

  // The imported_files row: the same path with the same first 4 KiB is the
  // same file imported again; a new head (the log rotated) is a new file.
  // Rejects kept from an earlier import of this path are replaced by this
  // one's, so a fixed file does not keep reporting its old problems.
  void register_file() {
    Database& db = store_.db();
    {
      StatementUse find(db.cached(
          "ingest.file_find",
          "SELECT id FROM imported_files WHERE path = ?1 AND head_hash = ?2 ORDER BY id DESC LIMIT 1"));
      find->bind(1, key_path_).bind(2, head_hash_);
      if (find->step()) file_id_ = find->column_int(0);
    }
    if (file_id_ == 0) {
      StatementUse insert(db.cached(
          "ingest.file_insert",
          "INSERT INTO imported_files(path, format, size, head_hash, lines, imported_at)"
          " VALUES(?1, ?2, ?3, ?4, 0, ?5)"));
      insert->bind(1, key_path_)
          .bind(2, summary_.format)
          .bind(3, size_)
          .bind(4, head_hash_)
          .bind(5, static_cast<std::int64_t>(std::time(nullptr)));
      insert->run();
      file_id_ = db.last_insert_rowid();
    }
    StatementUse clear(db.cached("ingest.rejects_clear", "DELETE FROM import_rejects WHERE path = ?1"));
    clear->bind(1, key_path_);
    clear->run();
  }

  TraceStore& store_;
  const ImportOptions& options_;
  ImportSummary& summary_;
  std::string key_path_;
  std::int64_t head_hash_;
  std::int64_t size_;
  std::int64_t file_id_ = 0;
  std::int64_t lines_ = 0;
  std::optional<TraceWriter> writer_;
  std::size_t in_batch_ = 0;
  std::int64_t batch_number_ = 0;
  std::unique_ptr<ConnectorAttribution> attribution_;
  OccurrenceCounter trace_occurrences_;
  OccurrenceCounter failure_occurrences_;
  OccurrenceCounter total_occurrences_;
  std::optional<ReportTotalsStore> report_totals_;
  std::optional<SessionTlsStore> sessions_;  // only for formats that use it
  OccurrenceCounter refused_occurrences_;
};

const ReaderFormat& resolve_format(const std::string& path, const std::string& name,
                                   const LineSource& source) {
  if (iequals(name, "Auto")) {
    std::vector<std::string> head = source.head_lines(kDetectLines);
    const ReaderFormat* f = detect_reader_format(head);
    if (!f) {
      std::string first = head.empty() ? std::string() : head.front().substr(0, 60);
      std::string names;
      for (const ReaderFormat& r : reader_formats())
        if (r.make) names += (names.empty() ? "" : ", ") + r.name;
      throw Error("UnknownFormat", "cannot tell the format of '" + path + "' from its first line '" +
                                       first + "'; name it with -Format (available: " + names + ")");
    }
    return *f;
  }
  const ReaderFormat* f = find_reader_format(name);
  if (!f) throw Error("UnknownFormat", "unknown import format '" + name + "'");
  if (!f->make)
    throw Error("FormatNotImplemented",
                "-Format " + f->name + ": the " + f->name + " reader is not available in this build");
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

ImportSummary import_trace_file(TraceStore& store, const std::string& path,
                                const ImportOptions& options) {
  LineSource source(path);
  const ReaderFormat& format = resolve_format(path, options.format, source);

  ImportSummary summary;
  summary.path = path;
  summary.format = format.name;
  summary.log_format = format.log_format;

  std::unique_ptr<TraceReader> reader;
  ReaderOptions reader_options = options.reader;
  std::error_code mtime_error;
  auto mtime = std::filesystem::last_write_time(path, mtime_error);
  if (!mtime_error)  // for year inference from syslog timestamps
    reader_options.file_mtime = std::chrono::duration_cast<std::chrono::seconds>(
                                    std::chrono::file_clock::to_sys(mtime).time_since_epoch())
                                    .count();
  try {
    reader = format.make(reader_options);
  } catch (const Error& e) {
    throw Error(e.id(), "cannot import '" + path + "': " + e.what());
  }

  ImportSink sink(store, options, summary, import_key_path(path), source.head_hash(),
                  source.file_size());
  if (format.log_format) sink.set_attribution(std::make_unique<ConnectorAttribution>(ConnectorStore(store).list()));
  LineSource::Line line;
  try {
    while (source.next(line)) {
      sink.set_lines(line.number);
      if (line.overlong) {
        sink.reject(line.number, "line longer than " + std::to_string(kMaxRecordBytes) + " bytes",
                    line.text);
        continue;
      }
      reader->line(line.text, line.number, sink);
    }
    reader->finish(sink);
  } catch (const Error& e) {
    // A reader's terminating error (a CSV without its header): name the file.
    if (e.id() == "ImportFormat") throw Error(e.id(), "cannot import '" + path + "': " + e.what());
    throw;
  }
  summary.lines = line.number;
  summary.incomplete = reader->incomplete();
  sink.set_lines(summary.lines);
  sink.check_interrupted();
  sink.commit_batch();
  return summary;
}

}  // namespace mailflow
