// Ordered schema migrations. The store's version is PRAGMA user_version;
// migration N takes a store from version N-1 to N inside one BEGIN IMMEDIATE
// transaction that also bumps the version, so a crash never leaves a store
// between versions.
#pragma once

#include "store/sqlite.h"

namespace mailflow {

// The schema version this binary writes.
int current_schema_version();

// Brings the store at `db` up to current_schema_version(). A store newer than
// the binary is refused with a clear error (we never guess at a future schema).
// `target` < current limits the upgrade (used by tests to build old stores).
void migrate(Database& db, int target = -1);

}  // namespace mailflow
