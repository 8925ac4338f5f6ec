// Ordered schema migrations. The store's version is PRAGMA user_version;
// migration N takes a store from version N-1 to N inside one BEGIN IMMEDIATE
// transaction that also bumps the version, so a crash never leaves a store
// between versions.
#pragma once

#include <functional>
#include <string>

#include "store/sqlite.h"

namespace mailflow {

// PRAGMA application_id of every mailflow store ("MFlw"): a file with another
// id, or with tables but neither our id nor our tables, is another
// application's and is refused unchanged.
constexpr int kApplicationId = 0x4D466C77;

// True when the store was opened read-only (a read-only file or mount, see
// Database's constructor): nothing may be written to it.
inline bool store_is_read_only(Database& db) { return sqlite3_db_readonly(db.handle(), "main") == 1; }

// The schema version this binary writes.
int current_schema_version();

// Brings the store at `db` up to current_schema_version(). A store newer than
// the binary is refused with a clear error (we never guess at a future schema),
// so are another application's database and a negative version. Each
// migration also stamps the application id; an older mailflow store that
// predates the id gets it here. A read-only store is checked, never written.
// `target` < current limits the upgrade (used by tests to build old stores).
// A migration that rewrites every trace says how far it got through
// `progress`, one line at a time.
using MigrationProgress = std::function<void(const std::string&)>;
void migrate(Database& db, int target = -1, const MigrationProgress& progress = nullptr);

}  // namespace mailflow
