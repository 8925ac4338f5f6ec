#include "store/migrations.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "store/trace_dictionary.h"
#include "store/trace_store.h"
#include "store/tls_failure_store.h"
#include "store/tls_rollups.h"

namespace mailflow {

namespace {

// Version 1: traces, the files they came from, kept rejects and settings.
constexpr const char* kMigration1 = R"sql(
CREATE TABLE imported_files(
  id          INTEGER PRIMARY KEY,
  path        TEXT NOT NULL,
  format      TEXT NOT NULL,
  size        INTEGER NOT NULL,        -- bytes when last imported
  head_hash   INTEGER NOT NULL,        -- hash of the first 4 KiB: same file after rotation?
  lines       INTEGER NOT NULL,        -- lines read so far
  imported_at INTEGER NOT NULL
);
CREATE INDEX imported_files_path ON imported_files(path);

CREATE TABLE traces(
  id          INTEGER PRIMARY KEY,
  received    INTEGER NOT NULL,        -- Unix seconds, UTC
  direction   INTEGER NOT NULL,        -- 0 Inbound, 1 Outbound
  connector   TEXT,                    -- NULL: no connector
  tls         INTEGER NOT NULL,        -- 0 None, 10..13 TLS1.0..TLS1.3
  cipher      TEXT,
  sender      TEXT NOT NULL,
  recipient   TEXT NOT NULL,
  remote_host TEXT,
  remote_ip   TEXT,
  size        INTEGER NOT NULL,
  status      TEXT NOT NULL,
  message_id  TEXT,
  fingerprint INTEGER NOT NULL,        -- content hash: re-imports add nothing
  file_id     INTEGER REFERENCES imported_files(id)
);
CREATE UNIQUE INDEX traces_fingerprint ON traces(fingerprint);
CREATE INDEX traces_received ON traces(received);
CREATE INDEX traces_connector_received ON traces(connector, received);

CREATE TABLE import_rejects(
  id      INTEGER PRIMARY KEY,
  file_id INTEGER REFERENCES imported_files(id),
  path    TEXT NOT NULL,
  line    INTEGER NOT NULL,
  reason  TEXT NOT NULL,
  text    TEXT NOT NULL
);
CREATE UNIQUE INDEX import_rejects_path_line ON import_rejects(path, line);

CREATE TABLE config(
  key   TEXT PRIMARY KEY COLLATE NOCASE,
  value TEXT NOT NULL
);
)sql";

// Version 2: the daily rollup that reports read (backfilled from traces),
// connector definitions and refused sessions from server logs.
constexpr const char* kMigration2 = R"sql(
CREATE TABLE daily_rollup(
  day       INTEGER NOT NULL,          -- days since 1970-01-01, UTC
  direction INTEGER NOT NULL,
  connector TEXT NOT NULL,             -- '' for traffic without a connector
  tls       INTEGER NOT NULL,
  status    TEXT NOT NULL,
  messages  INTEGER NOT NULL,
  bytes     INTEGER NOT NULL,
  PRIMARY KEY(day, direction, connector, tls, status)
) WITHOUT ROWID;
INSERT INTO daily_rollup(day, direction, connector, tls, status, messages, bytes)
  SELECT received / 86400 - (received < 0 AND received % 86400 != 0),
         direction, coalesce(connector, ''), tls, status, count(*), sum(size)
  FROM traces GROUP BY 1, 2, 3, 4, 5;

CREATE TABLE connectors(
  name              TEXT PRIMARY KEY COLLATE NOCASE,
  direction         INTEGER NOT NULL,  -- 0 inbound connector, 1 outbound
  connector_type    TEXT NOT NULL,     -- Partner / OnPremises
  enabled           INTEGER NOT NULL,
  require_tls       INTEGER NOT NULL,
  comment           TEXT,
  sender_domains    TEXT NOT NULL DEFAULT '',   -- comma-separated lists
  sender_ips        TEXT NOT NULL DEFAULT '',
  tls_cert_name     TEXT,
  recipient_domains TEXT NOT NULL DEFAULT '',
  smart_hosts       TEXT NOT NULL DEFAULT '',
  created           INTEGER NOT NULL
);

CREATE TABLE refused_connections(
  id          INTEGER PRIMARY KEY,
  time        INTEGER NOT NULL,
  client_host TEXT,
  client_ip   TEXT,
  sender      TEXT,
  recipient   TEXT,
  reason      TEXT NOT NULL,
  fingerprint INTEGER NOT NULL,
  file_id     INTEGER REFERENCES imported_files(id)
);
CREATE UNIQUE INDEX refused_fingerprint ON refused_connections(fingerprint);
CREATE INDEX refused_time ON refused_connections(time);
)sql";

// Version 3 (for import speed): one unique index on (received, fingerprint)
// replaces the unique index on fingerprint alone and the index on received.
// Fingerprints are hashes, so the old unique index took each insert to a
// random page and every batch rewrote most of the index; keyed by time
// first, inserts land at the end of the index as logs are in time order.
// Range scans on received use it as they used traces_received.
constexpr const char* kMigration3 = R"sql(
DROP INDEX traces_fingerprint;
DROP INDEX traces_received;
CREATE UNIQUE INDEX traces_received_fingerprint ON traces(received, fingerprint);
)sql";

// Version 4: the peer certificate's trust (SPEC section 4 TlsTrust):
// Anonymous, Untrusted, Trusted, Verified, or NULL where the log does not say.
constexpr const char* kMigration4 = R"sql(
ALTER TABLE traces ADD COLUMN tls_trust TEXT;
)sql";

// Version 5 (issue #13, record lifecycle): the recipient routes of Pending
// records and of the outcomes that settled them, so that a later file or
// import turns a deferral into its outcome instead of adding a record.
// key: "host/queue id/recipient"; pending: 1 while trace_id is Pending.
constexpr const char* kMigration5 = R"sql(
CREATE TABLE trace_lifecycle(
  key      TEXT PRIMARY KEY,
  trace_id INTEGER NOT NULL,
  pending  INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

// Version 6 (issue #19, compact traces, for store size and import speed):
// strings that repeat are kept once in a dictionary table per kind, and the
// rows (table trace_rows) refer to them by id: the columns keep their names
// and hold ids, NULL stays NULL. Which field uses which dictionary is the
// trace-field table's (core/trace_fields.h). The view `traces` shows the
// rows with their strings, as the table of that name did, for every reader
// not on a hot path (and for an admin with the sqlite3 shell); it is built
// from the trace-field table after every migration (create_traces_view), so
// a later migration that adds a field only adds its column. The writer and
// Get-MessageTrace use trace_rows and its indexes directly. The fingerprint
// is re-keyed to the word-at-a-time hash (core/hash.h). Rows keep their ids
// (trace_lifecycle and trace_smtp_session refer to them) and are copied in
// id order, a chunk at a time, with progress reported; the indexes are built
// once, after the copy. No foreign keys on trace_rows: the writer takes
// every id from the dictionaries, and a check per id and row would cost
// about as much as the insert.
constexpr const char* kMigration6Tables = R"sql(
CREATE TABLE trace_connectors(id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE);
CREATE TABLE trust_levels(id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE);
CREATE TABLE ciphers(id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE);
CREATE TABLE addresses(id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE);
CREATE TABLE hosts(id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE);
CREATE TABLE ips(id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE);
CREATE TABLE statuses(id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE);
INSERT INTO trace_connectors(value) SELECT DISTINCT connector FROM traces WHERE connector IS NOT NULL;
INSERT INTO trust_levels(value) SELECT DISTINCT tls_trust FROM traces WHERE tls_trust IS NOT NULL;
INSERT INTO ciphers(value) SELECT DISTINCT cipher FROM traces WHERE cipher IS NOT NULL;
INSERT INTO addresses(value) SELECT sender FROM traces UNION SELECT recipient FROM traces;
INSERT INTO hosts(value) SELECT DISTINCT remote_host FROM traces WHERE remote_host IS NOT NULL;
INSERT INTO ips(value) SELECT DISTINCT remote_ip FROM traces WHERE remote_ip IS NOT NULL;
INSERT INTO statuses(value) SELECT DISTINCT status FROM traces;
CREATE TABLE trace_rows(
  id          INTEGER PRIMARY KEY,
  received    INTEGER NOT NULL,        -- Unix seconds, UTC
  direction   INTEGER NOT NULL,        -- 0 Inbound, 1 Outbound
  connector   INTEGER,                 -- trace_connectors.id; NULL: no connector
  tls         INTEGER NOT NULL,        -- 0 None, 10..13 TLS1.0..TLS1.3, -1 Unknown
  tls_trust   INTEGER,                 -- trust_levels.id
  cipher      INTEGER,                 -- ciphers.id
  sender      INTEGER NOT NULL,        -- addresses.id
  recipient   INTEGER NOT NULL,        -- addresses.id
  remote_host INTEGER,                 -- hosts.id
  remote_ip   INTEGER,                 -- ips.id
  size        INTEGER NOT NULL,
  status      INTEGER NOT NULL,        -- statuses.id
  message_id  TEXT,                    -- unique per message: kept in the row
  fingerprint INTEGER NOT NULL,        -- 64-bit content hash: re-imports add nothing
  file_id     INTEGER                  -- imported_files.id
);
)sql";

constexpr const char* kMigration6Copy = R"sql(
INSERT INTO trace_rows(id, received, direction, connector, tls, tls_trust, cipher, sender, recipient,
                       remote_host, remote_ip, size, status, message_id, fingerprint, file_id)
SELECT t.id, t.received, t.direction, (SELECT id FROM trace_connectors WHERE value = t.connector), t.tls,
       (SELECT id FROM trust_levels WHERE value = t.tls_trust), (SELECT id FROM ciphers WHERE value = t.cipher),
       (SELECT id FROM addresses WHERE value = t.sender), (SELECT id FROM addresses WHERE value = t.recipient),
       (SELECT id FROM hosts WHERE value = t.remote_host), (SELECT id FROM ips WHERE value = t.remote_ip),
       t.size, (SELECT id FROM statuses WHERE value = t.status), t.message_id,
       mailflow_v6_fingerprint(t.fingerprint, t.received, t.direction, t.connector, t.tls, t.cipher,
                               t.sender, t.recipient, t.remote_host, t.remote_ip, t.size, t.status,
                               t.message_id, t.tls_trust),
       t.file_id
FROM traces t WHERE t.id > ?1 AND t.id <= ?2
)sql";

// trace_smtp_session (store/session_tls.cpp, when an Exchange import made
// it) referred to the traces table; a foreign key cannot refer to a view,
// so it is rebuilt to refer to trace_rows, before the old table is dropped
// (with foreign keys on, dropping it would cascade into the links).
constexpr const char* kMigration6SessionLinks = R"sql(
CREATE TABLE trace_smtp_session_v6(
  session_key TEXT NOT NULL,
  trace_id    INTEGER NOT NULL REFERENCES trace_rows(id) ON DELETE CASCADE,
  PRIMARY KEY(session_key, trace_id)
) WITHOUT ROWID;
INSERT INTO trace_smtp_session_v6(session_key, trace_id) SELECT session_key, trace_id FROM trace_smtp_session;
DROP TABLE trace_smtp_session;
ALTER TABLE trace_smtp_session_v6 RENAME TO trace_smtp_session;
)sql";

constexpr const char* kMigration6Finish = R"sql(
DROP TABLE traces;
CREATE UNIQUE INDEX traces_received_fingerprint ON trace_rows(received, fingerprint);
CREATE INDEX traces_connector_received ON trace_rows(connector, received);
)sql";

std::optional<std::string> text_arg(sqlite3_value* v) {
  if (sqlite3_value_type(v) == SQLITE_NULL) return std::nullopt;
  const unsigned char* t = sqlite3_value_text(v);
  return std::string(reinterpret_cast<const char*>(t), static_cast<size_t>(sqlite3_value_bytes(v)));
}

// mailflow_v6_fingerprint(old, received, ...): the new fingerprint of a
// stored trace. The old one was taken from the record as read, before
// attribution gave log traces a connector, with the record's occurrence in
// its file: find which (connector as stored or none, occurrence) gives the
// old value and re-key with the same, so that importing the same file again
// still adds nothing. A trace changed since (a status moved on) keeps its
// old value: no new record can produce it, it only cannot be matched.
void v6_fingerprint(sqlite3_context* ctx, int, sqlite3_value** argv) {
  std::int64_t old = sqlite3_value_int64(argv[0]);
  Trace t;
  t.received = sqlite3_value_int64(argv[1]);
  t.direction = sqlite3_value_int64(argv[2]) == 1 ? Direction::Outbound : Direction::Inbound;
  t.connector = text_arg(argv[3]);
  t.tls = static_cast<TlsVersion>(sqlite3_value_int64(argv[4]));
  t.cipher = text_arg(argv[5]);
  t.sender = text_arg(argv[6]).value_or("");
  t.recipient = text_arg(argv[7]).value_or("");
  t.remote_host = text_arg(argv[8]);
  t.remote_ip = text_arg(argv[9]);
  t.size = sqlite3_value_int64(argv[10]);
  t.status = text_arg(argv[11]).value_or("");
  t.message_id = text_arg(argv[12]);
  if (auto trust = text_arg(argv[13])) t.tls_trust = parse_tls_trust(*trust);
  for (int pass = 0; pass < 2; ++pass) {
    if (pass == 1) {
      if (!t.connector) break;
      t.connector.reset();
    }
    for (std::uint32_t k = 0; k < 64; ++k)
      if (legacy_trace_fingerprint(t, k) == old) {
        sqlite3_result_int64(ctx, trace_fingerprint(t, k));
        return;
      }
  }
  sqlite3_result_int64(ctx, old);
}

bool table_exists(Database& db, const char* name) {
  auto s = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1");
  s->bind(1, name);
  return s->step();
}

// The number of rows of `table` and its largest id (a constant name).
std::pair<std::int64_t, std::int64_t> count_and_max_id(Database& db, const char* table) {
  auto s = db.prepare(std::string("SELECT count(*), coalesce(max(id), 0) FROM ") + table);
  s->step();
  return {s->column_int(0), s->column_int(1)};
}

// Runs `copy` (its ?1 and ?2 an id range, lower bound excluded) over ids 1
// to max_id a chunk at a time, with progress after each chunk when there is
// more than one: the copies of the trace rows in migrations 6 and 11.
void copy_in_chunks(Statement& copy, std::int64_t max_id, const MigrationProgress& progress) {
  constexpr std::int64_t kChunk = 100000;
  for (std::int64_t from = 0; from < max_id; from += kChunk) {
    copy.bind(1, from).bind(2, from + kChunk);
    copy.run();
    copy.reset();
    if (progress && max_id > kChunk)
      progress("mailflow: upgrading store: " +
               std::to_string(std::min(100 * (from + kChunk) / max_id, std::int64_t{100})) + "%");
  }
}

void migrate_to_compact_traces(Database& db, const MigrationProgress& progress) {
  if (sqlite3_create_function(db.handle(), "mailflow_v6_fingerprint", 14, SQLITE_UTF8, nullptr, v6_fingerprint,
                              nullptr, nullptr) != SQLITE_OK)
    throw Error("StoreError", "store '" + db.path() + "': cannot register the migration's fingerprint function");
  db.exec(kMigration6Tables);
  auto [count, max_id] = count_and_max_id(db, "traces");
  if (count > 0 && progress)
    progress("mailflow: upgrading store '" + db.path() + "' to schema 6 (compact traces): " +
             std::to_string(count) + " traces");
  copy_in_chunks(*db.prepare(kMigration6Copy), max_id, progress);
  if (table_exists(db, "trace_smtp_session")) db.exec(kMigration6SessionLinks);
  db.exec(kMigration6Finish);
  sqlite3_create_function(db.handle(), "mailflow_v6_fingerprint", 14, SQLITE_UTF8, nullptr, nullptr, nullptr,
                          nullptr);
  if (count > 0 && progress) progress("mailflow: store upgraded to schema 6");
}

// Version 7 (issue #14): the Exchange join tables
// and the report-totals ledger, which the previous build created on demand
// (CREATE TABLE IF NOT EXISTS when first used). IF NOT EXISTS here too, so a
// store that already made them upgrades unchanged; the schema is the same.
// smtp_session_tls: what protocol logs said about each SMTP session's TLS
//   (tls as traces.tls); session_key "<connector-id in lower case>|<session id>".
// trace_smtp_session: which stored trace each session carried.
// imported_report_totals: report rows (EAC connector report) already in the
//   rollup, by fingerprint, so a re-import adds nothing.
constexpr const char* kMigration7 = R"sql(
CREATE TABLE IF NOT EXISTS smtp_session_tls(
  session_key TEXT PRIMARY KEY,
  tls         INTEGER NOT NULL,
  cipher      TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS trace_smtp_session(
  session_key TEXT NOT NULL,
  trace_id    INTEGER NOT NULL REFERENCES trace_rows(id) ON DELETE CASCADE,
  PRIMARY KEY(session_key, trace_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS imported_report_totals(
  fingerprint INTEGER PRIMARY KEY,
  day         INTEGER NOT NULL,
  file_id     INTEGER REFERENCES imported_files(id)
);
CREATE INDEX IF NOT EXISTS imported_report_totals_day ON imported_report_totals(day);
)sql";

// Version 8 (issue #15, TLS readiness; renumbered at merge): the rollups the
// TLS reports read, kept by TraceWriter with the daily rollup
// (store/tls_rollups.h: tls_peer_blocks with its view tls_peer_daily,
// tls_trust_daily) and backfilled from traces (migrate_to_tls_rollups); failed TLS
// handshakes with the peer's host name and connector (the table
// store/session_tls.cpp created on demand before: made here and extended);
// authenticated submissions, one row per message key, and their rollup.
constexpr const char* kMigration8 = R"sql(
CREATE TABLE tls_peer_blocks(
  block       INTEGER NOT NULL,        -- floor(day / 32), day: days since 1970-01-01, UTC
  direction   INTEGER NOT NULL,
  connector   TEXT NOT NULL,           -- '' for traffic without a connector
  peer_domain TEXT NOT NULL,           -- mailflow_peer_domain(): registered domain, recipient domain, or IP
  peer_host   TEXT NOT NULL,           -- lower case, '' when the log gave no name
  peer_ip     TEXT NOT NULL,           -- '' when not known
  days        TEXT NOT NULL,           -- JSON [[day - block * 32, tls, Delivered messages, first, last second of the day], ...]
  PRIMARY KEY(block, direction, connector, peer_domain, peer_host, peer_ip)
) WITHOUT ROWID;
CREATE VIEW tls_peer_daily AS
  SELECT b.block * 32 + json_extract(e.value, '$[0]') AS day, b.direction AS direction, b.connector AS connector,
         b.peer_domain AS peer_domain, b.peer_host AS peer_host, b.peer_ip AS peer_ip,
         json_extract(e.value, '$[1]') AS tls, json_extract(e.value, '$[2]') AS messages,
         (b.block * 32 + json_extract(e.value, '$[0]')) * 86400 + json_extract(e.value, '$[3]') AS first_seen,
         (b.block * 32 + json_extract(e.value, '$[0]')) * 86400 + json_extract(e.value, '$[4]') AS last_seen
  FROM tls_peer_blocks b, json_each(b.days) e;

CREATE TABLE tls_trust_daily(
  day       INTEGER NOT NULL,
  direction INTEGER NOT NULL,
  connector TEXT NOT NULL,
  trust     TEXT NOT NULL,             -- Anonymous, Untrusted, Trusted, Verified; '' not recorded
  messages  INTEGER NOT NULL,
  PRIMARY KEY(day, direction, connector, trust)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS tls_failures(
  id          INTEGER PRIMARY KEY,
  time        INTEGER NOT NULL,
  direction   INTEGER NOT NULL,
  peer_ip     TEXT,
  reason      TEXT NOT NULL,
  text        TEXT NOT NULL,
  fingerprint INTEGER NOT NULL UNIQUE,
  file_id     INTEGER REFERENCES imported_files(id)
);
ALTER TABLE tls_failures ADD COLUMN peer_host TEXT;
ALTER TABLE tls_failures ADD COLUMN connector TEXT;
CREATE INDEX IF NOT EXISTS tls_failures_time ON tls_failures(time);

CREATE TABLE auth_submissions(
  key         TEXT PRIMARY KEY,        -- "host/queue id": a re-import adds nothing
  time        INTEGER NOT NULL,
  user        TEXT NOT NULL,
  tls         INTEGER NOT NULL,
  client_host TEXT,
  client_ip   TEXT,
  file_id     INTEGER REFERENCES imported_files(id)
) WITHOUT ROWID;
CREATE TABLE auth_daily(
  day      INTEGER NOT NULL,
  user     TEXT NOT NULL,
  tls      INTEGER NOT NULL,
  messages INTEGER NOT NULL,
  PRIMARY KEY(day, user, tls)
) WITHOUT ROWID;
)sql";

// Migration 8's tables, then its rollups from the stored traces.
void migrate_to_tls_rollups(Database& db, const MigrationProgress&) {
  db.exec(kMigration8);
  backfill_tls_rollups(db);
}

// Version 9: the daily failure rollup, so that the TlsFailures insight and
// every report on failures per connector or peer read counts, never
// tls_failures (store/tls_failure_store.h keeps it with each failure).
constexpr const char* kMigration9 = R"sql(
CREATE TABLE IF NOT EXISTS tls_failure_daily(
  day         INTEGER NOT NULL,        -- UTC day number
  direction   INTEGER NOT NULL,
  connector   TEXT NOT NULL,           -- '' no connector
  peer_domain TEXT NOT NULL,           -- registered domain, else the IP, else ''
  failures    INTEGER NOT NULL,
  PRIMARY KEY(day, direction, connector, peer_domain)
) WITHOUT ROWID;
)sql";

// Migration 9's rollup, counted from the failures already stored.
void migrate_to_tls_failure_rollup(Database& db, const MigrationProgress&) {
  db.exec(kMigration9);
  backfill_tls_failure_daily(db);
}

// Migration 10: Get-MessageTrace's address filters (-SenderDomain,
// -RecipientDomain, an address or `*@domain` in -SenderAddress and
// -RecipientAddress) look their addresses up by domain instead of testing
// `lower(value) GLOB ?` on every address in the dictionary. The key is the
// address from its last `@` on, lower-cased ('@contoso.com'); a value
// without `@` keeps all of itself, which no `@domain` equals. The last `@`
// is found with rtrim (every other character of the value stripped from
// the right) only for the rare value with two: that costs 14,000
// instructions per new address, the whole key 2,000, and SQLite computes it
// for every address an import adds. lower() rather than COLLATE NOCASE: the
// index compares as BINARY, cheaper per insert. store/trace_query.cpp writes
// the same expression. One line, as sqlite_schema keeps it (the bulk load
// re-creates indexes of trace_rows from there line by line; not this one).
constexpr const char* kMigration10 =
    "CREATE INDEX addresses_domain ON addresses(lower(CASE WHEN value GLOB '*@*@*' THEN substr(value, "
    "length(rtrim(value, replace(value, '@', '')))) ELSE substr(value, instr(value, '@')) END));";

// Version 11 (issue #19, Get-MessageTrace as fast as schema 5): sender and
// recipient are kept in the row again, as text; the other dictionaries stay.
// The first page of a process named about 1,550 distinct addresses, on
// nearly every page of the addresses dictionary (45,000 addresses in the
// benchmark store): 325 more page reads and 1,550 B-tree seeks than
// schema 5's page, 1.4x-1.8x its time, where no other change to the read
// path came near. Inline, the page reads its rows and little else (0.86x
// schema 5's time), the import is no slower (the addresses were the
// dictionary lookups that missed), and the store grows by about 30% (CSV:
// 63% -> 82% of the file; Postfix: 12.3% -> 15.8% of the log, under the 25%
// target); tests/bench/README.md has the numbers. Address filters test
// lower(sender) GLOB ? on the rows they read, as schema 5 did; the
// dictionary's domain index (version 10) goes with the dictionary.
//
// The rows are copied in id order into a new table, a chunk at a time
// with progress, keeping their ids. trace_smtp_session refers to
// trace_rows with ON DELETE CASCADE, and foreign keys cannot be switched
// off inside the migration's transaction: its links are moved to a table
// that refers to the new one before the old table is dropped, and renaming
// the new table to trace_rows renames the reference with it. The indexes
// are re-created as the old table had them (none while a bulk load is
// pending: its end builds them).
constexpr const char* kMigration11Table = R"sql(
DROP VIEW IF EXISTS traces;
CREATE TABLE trace_rows_v11(
  id          INTEGER PRIMARY KEY,
  received    INTEGER NOT NULL,        -- Unix seconds, UTC
  direction   INTEGER NOT NULL,        -- 0 Inbound, 1 Outbound
  connector   INTEGER,                 -- trace_connectors.id; NULL: no connector
  tls         INTEGER NOT NULL,        -- 0 None, 10..13 TLS1.0..TLS1.3, -1 Unknown
  tls_trust   INTEGER,                 -- trust_levels.id
  cipher      INTEGER,                 -- ciphers.id
  sender      TEXT NOT NULL,           -- the address (in the row since schema 11)
  recipient   TEXT NOT NULL,           -- the address
  remote_host INTEGER,                 -- hosts.id
  remote_ip   INTEGER,                 -- ips.id
  size        INTEGER NOT NULL,
  status      INTEGER NOT NULL,        -- statuses.id
  message_id  TEXT,                    -- unique per message: kept in the row
  fingerprint INTEGER NOT NULL,        -- 64-bit content hash: re-imports add nothing
  file_id     INTEGER                  -- imported_files.id
);
)sql";

constexpr const char* kMigration11Copy = R"sql(
INSERT INTO trace_rows_v11(id, received, direction, connector, tls, tls_trust, cipher, sender, recipient,
                           remote_host, remote_ip, size, status, message_id, fingerprint, file_id)
SELECT r.id, r.received, r.direction, r.connector, r.tls, r.tls_trust, r.cipher,
       coalesce((SELECT value FROM addresses WHERE id = r.sender), ''),
       coalesce((SELECT value FROM addresses WHERE id = r.recipient), ''),
       r.remote_host, r.remote_ip, r.size, r.status, r.message_id, r.fingerprint, r.file_id
FROM trace_rows r WHERE r.id > ?1 AND r.id <= ?2
)sql";

constexpr const char* kMigration11SessionLinks = R"sql(
CREATE TABLE trace_smtp_session_v11(
  session_key TEXT NOT NULL,
  trace_id    INTEGER NOT NULL REFERENCES trace_rows_v11(id) ON DELETE CASCADE,
  PRIMARY KEY(session_key, trace_id)
) WITHOUT ROWID;
INSERT INTO trace_smtp_session_v11(session_key, trace_id) SELECT session_key, trace_id FROM trace_smtp_session;
DROP TABLE trace_smtp_session;
)sql";

void migrate_to_inline_addresses(Database& db, const MigrationProgress& progress) {
  std::vector<std::string> indexes;
  {
    auto s = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'trace_rows'"
                        " AND sql IS NOT NULL ORDER BY name");
    while (s->step()) indexes.push_back(s->column_text(0));
  }
  auto [count, max_id] = count_and_max_id(db, "trace_rows");
  if (count > 0 && progress)
    progress("mailflow: upgrading store '" + db.path() + "' to schema 11 (addresses in the rows): " +
             std::to_string(count) + " traces");
  db.exec(kMigration11Table);
  // Finalised before the old table is dropped.
  copy_in_chunks(*db.prepare(kMigration11Copy), max_id, progress);
  bool links = table_exists(db, "trace_smtp_session");
  if (links) db.exec(kMigration11SessionLinks);
  db.exec("DROP TABLE trace_rows; ALTER TABLE trace_rows_v11 RENAME TO trace_rows; DROP TABLE addresses");
  if (links) db.exec("ALTER TABLE trace_smtp_session_v11 RENAME TO trace_smtp_session");
  for (const std::string& sql : indexes) db.exec(sql);
  if (count > 0 && progress) progress("mailflow: store upgraded to schema 11");
}

// A migration is SQL, or code for one that copies data with progress.
struct Migration {
  const char* sql;
  void (*run)(Database&, const MigrationProgress&);
};

constexpr Migration kMigrations[] = {{kMigration1, nullptr}, {kMigration2, nullptr}, {kMigration3, nullptr},
                                     {kMigration4, nullptr}, {kMigration5, nullptr},
                                     {nullptr, migrate_to_compact_traces}, {kMigration7, nullptr},
                                     {nullptr, migrate_to_tls_rollups}, {nullptr, migrate_to_tls_failure_rollup},
                                     {kMigration10, nullptr}, {nullptr, migrate_to_inline_addresses}};
constexpr int kMigrationCount = sizeof kMigrations / sizeof kMigrations[0];
// From this version on traces are trace_rows, shown by the view.
constexpr int kCompactTracesVersion = 6;
// From this version on the addresses are in the rows (before: addresses.id).
constexpr int kInlineAddressesVersion = 11;

// The view `traces`: trace_rows with every field the store has as a column
// (core/trace_fields.h), strings from their dictionaries, under the names
// and in the order of the table it replaced, then the bookkeeping columns.
void create_traces_view(Database& db, int version) {
  std::vector<std::string> columns;
  {
    auto s = db.prepare("SELECT name FROM pragma_table_info('trace_rows')");
    while (s->step()) columns.push_back(s->column_text(0));
  }
  std::string select = "SELECT r.id AS id", joins;
  for (std::size_t i = 0; i < kTraceFieldCount; ++i) {
    std::string key(kTraceFields[i].key);  // field names and dictionary tables are constants
    if (std::find(columns.begin(), columns.end(), key) == columns.end()) continue;
    int dict = trace_field_dictionary(i);
    std::string table = dict < 0 ? std::string() : std::string(trace_dictionary_tables()[static_cast<std::size_t>(dict)]);
    // Migrations 7-10 of an older store read the view (migration 8's
    // backfill reads recipients) while its addresses are still ids.
    if (version < kInlineAddressesVersion && (key == "sender" || key == "recipient")) table = "addresses";
    if (table.empty()) {
      select += ", r." + key + " AS " + key;
      continue;
    }
    std::string alias = "d" + std::to_string(i);
    select += ", " + alias + ".value AS " + key;
    joins += " LEFT JOIN " + table + " " + alias + " ON " + alias + ".id = r." + key;
  }
  select += ", r.fingerprint AS fingerprint, r.file_id AS file_id FROM trace_rows r";
  db.exec("DROP VIEW IF EXISTS traces; CREATE VIEW traces AS " + select + joins);
}

// Read as 64-bit: a file whose header holds a negative or garbage version
// must be refused, never used as an index into kMigrations.
std::int64_t header_pragma(Database& db, const char* sql) {
  auto stmt = db.prepare(sql);
  stmt->step();
  return stmt->column_int(0);
}

std::int64_t user_version(Database& db) { return header_pragma(db, "PRAGMA user_version"); }

// Tables every mailflow store has had since version 1 (traces is a view
// of trace_rows since version 6).
bool has_mailflow_tables(Database& db) {
  auto stmt = db.prepare(
      "SELECT count(*) FROM sqlite_schema WHERE type IN ('table', 'view')"
      " AND name IN ('traces', 'imported_files', 'import_rejects', 'config')");
  stmt->step();
  return stmt->column_int(0) == 4;
}

bool is_empty(Database& db) {
  auto stmt = db.prepare("SELECT count(*) FROM sqlite_schema");
  stmt->step();
  return stmt->column_int(0) == 0;
}

[[noreturn]] void not_ours(Database& db, const std::string& why) {
  throw Error("NotAMailflowStore", "'" + db.path() + "' is not a mailflow store (" + why +
                                       "); it was left unchanged, choose another --db file");
}

// Refuses a file that is not mailflow's before anything is written to it.
// Accepted: a new empty database, a store stamped with our application id,
// and an older mailflow store (written before the id existed: mailflow's
// tables, a known version, no id), which the caller then stamps.
void check_identity(Database& db, std::int64_t version) {
  std::int64_t app = header_pragma(db, "PRAGMA application_id");
  if (app != 0 && app != kApplicationId) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%08llx", static_cast<unsigned long long>(app) & 0xffffffffULL);
    not_ours(db, std::string("its SQLite application id is ") + hex);
  }
  if (version < 0)
    throw Error("StoreCorrupt", "store '" + db.path() + "' has schema version " +
                                    std::to_string(version) +
                                    ", which no mailflow writes; the file is damaged or not a mailflow store");
  // A version from the future: refused as too new (below), unchanged.
  if (app == kApplicationId || version > kMigrationCount) return;
  if (version == 0) {
    if (!is_empty(db)) not_ours(db, "it holds tables of another application");
    return;
  }
  if (!has_mailflow_tables(db))
    not_ours(db, "it has schema version " + std::to_string(version) + " but not mailflow's tables");
}

}  // namespace

int current_schema_version() { return kMigrationCount; }

void migrate(Database& db, int target, const MigrationProgress& progress) {
  if (target < 0) target = kMigrationCount;
  // SQL functions of the TLS rollups: migration 8's backfill and the
  // writers' recomputation call them on this connection.
  register_tls_rollup_functions(db);
  std::int64_t version = 0;
  {
    // The version, the application id and the tables read in one snapshot:
    // another process may be creating the store, and a migration it commits
    // between two reads would show a version-0 store with tables (refused
    // as another application's) or a version without its tables.
    ReadTransaction snapshot(db);
    version = user_version(db);
    check_identity(db, version);
  }
  if (version > kMigrationCount)
    throw Error("StoreTooNew", "store '" + db.path() + "' has schema version " +
                                   std::to_string(version) + " but this mailflow understands up to " +
                                   std::to_string(kMigrationCount) + "; upgrade mailflow");
  if (store_is_read_only(db)) {
    if (version < target)
      throw Error("StoreReadOnly", "store '" + db.path() + "' is read-only and has schema version " +
                                       std::to_string(version) + "; open it once writable to upgrade it to " +
                                       std::to_string(target));
    return;
  }
  while (version < target) {
    Transaction tx(db);
    // Re-read inside the write lock: another process may have migrated meanwhile.
    version = user_version(db);
    if (version >= target) break;
    check_identity(db, version);
    const Migration& m = kMigrations[version];
    if (m.sql) db.exec(m.sql);
    else m.run(db, progress);
    if (version + 1 >= kCompactTracesVersion) create_traces_view(db, static_cast<int>(version + 1));
    db.exec("PRAGMA user_version = " + std::to_string(version + 1));
    db.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
    tx.commit();
    ++version;
  }
  // An older mailflow store already at the target version: stamp it.
  if (header_pragma(db, "PRAGMA application_id") != kApplicationId && version > 0) {
    Transaction tx(db);
    db.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
    tx.commit();
  }
}

}  // namespace mailflow
