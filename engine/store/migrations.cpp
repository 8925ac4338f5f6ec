#include "store/migrations.h"

#include <cstdint>
#include <cstdio>
#include <string>

#include "core/error.h"
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

// Version 8 (issue #15, TLS readiness; renumbered at merge): the rollups the
// TLS reports read, kept by TraceWriter with the daily rollup
// (store/tls_rollups.h) and backfilled here from traces; failed TLS
// handshakes with the peer's host name and connector (the table
// store/session_tls.cpp created on demand before: made here and extended);
// authenticated submissions, one row per message key, and their rollup.
constexpr const char* kMigration8 = R"sql(
CREATE TABLE tls_peer_daily(
  day         INTEGER NOT NULL,        -- days since 1970-01-01, UTC
  direction   INTEGER NOT NULL,
  connector   TEXT NOT NULL,           -- '' for traffic without a connector
  peer_domain TEXT NOT NULL,           -- mailflow_peer_domain(): registered domain, recipient domain, or IP
  peer_host   TEXT NOT NULL,           -- lower case, '' when the log gave no name
  peer_ip     TEXT NOT NULL,           -- '' when not known
  tls         INTEGER NOT NULL,
  messages    INTEGER NOT NULL,        -- Delivered records
  first_seen  INTEGER NOT NULL,        -- Unix seconds
  last_seen   INTEGER NOT NULL,
  PRIMARY KEY(day, direction, connector, peer_domain, peer_host, peer_ip, tls)
) WITHOUT ROWID;
INSERT INTO tls_peer_daily
  SELECT received / 86400 - (received < 0 AND received % 86400 != 0), direction, coalesce(connector, ''),
         mailflow_peer_domain(direction, recipient, remote_host, remote_ip), mailflow_peer_host(remote_host),
         coalesce(remote_ip, ''), tls, count(*), min(received), max(received)
  FROM traces WHERE status = 'Delivered' COLLATE NOCASE GROUP BY 1, 2, 3, 4, 5, 6, 7;

CREATE TABLE tls_trust_daily(
  day       INTEGER NOT NULL,
  direction INTEGER NOT NULL,
  connector TEXT NOT NULL,
  trust     TEXT NOT NULL,             -- Anonymous, Untrusted, Trusted, Verified; '' not recorded
  messages  INTEGER NOT NULL,
  PRIMARY KEY(day, direction, connector, trust)
) WITHOUT ROWID;
INSERT INTO tls_trust_daily
  SELECT received / 86400 - (received < 0 AND received % 86400 != 0), direction, coalesce(connector, ''),
         coalesce(tls_trust, ''), count(*)
  FROM traces WHERE status = 'Delivered' COLLATE NOCASE GROUP BY 1, 2, 3, 4;

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

constexpr const char* kMigrations[] = {kMigration1, kMigration2, kMigration3, kMigration4, kMigration5,
                                     kMigration8};
constexpr int kMigrationCount = sizeof kMigrations / sizeof kMigrations[0];

// Read as 64-bit: a file whose header holds a negative or garbage version
// must be refused, never used as an index into kMigrations.
std::int64_t header_pragma(Database& db, const char* sql) {
  auto stmt = db.prepare(sql);
  stmt->step();
  return stmt->column_int(0);
}

std::int64_t user_version(Database& db) { return header_pragma(db, "PRAGMA user_version"); }

// Tables every mailflow store has had since version 1.
bool has_mailflow_tables(Database& db) {
  auto stmt = db.prepare(
      "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
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

void migrate(Database& db, int target) {
  if (target < 0) target = kMigrationCount;
  // SQL functions of the TLS rollups: migration 8's backfill and the
  // writers' recomputation call them on this connection.
  register_tls_rollup_functions(db);
  std::int64_t version = user_version(db);
  check_identity(db, version);
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
    db.exec(kMigrations[version]);
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
