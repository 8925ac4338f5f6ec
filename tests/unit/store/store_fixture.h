// What the store's tests share: a fresh store file per test, a query's rows
// as text to compare with a GROUP BY, a query's plan, and the day they are set on.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/time.h"
#include "store/sqlite.h"
#include "test_temp_dir.h"

namespace mailflow::testing {

// A path in the temporary directory with no store at it (nor WAL files).
inline std::string fresh_db(const std::string& name) {
  auto path = test::temp_dir() /
              ("mailflow-store-" + name + "-" + std::to_string(::getpid()) + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return path.string();
}

// Each row of `sql` as its columns' text joined with "|".
inline std::vector<std::string> rows_of(Database& db, const std::string& sql) {
  auto s = db.prepare(sql);
  std::vector<std::string> out;
  while (s->step()) {
    std::string line;
    for (int i = 0; i < s->column_count(); ++i) line += (i ? "|" : "") + s->column_text(i);
    out.push_back(line);
  }
  return out;
}

// EXPLAIN QUERY PLAN of `sql`: its detail lines, one per line.
inline std::string plan_of(Database& db, const std::string& sql) {
  auto s = db.prepare("EXPLAIN QUERY PLAN " + sql);
  std::string plan;
  while (s->step()) plan += s->column_text(3) + "\n";
  return plan;
}

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

inline constexpr UnixSeconds kDay = 1794787200;  // 2026-11-16T00:00:00Z, day 20773

// The TLS rollups' rows in a fixed order, to compare two ways of writing them.
inline constexpr const char* kPeerTable =
    "SELECT day, direction, connector, peer_domain, peer_host, peer_ip, tls, messages, first_seen, last_seen"
    " FROM tls_peer_daily ORDER BY 1, 2, 3, 4, 5, 6, 7";
inline constexpr const char* kTrustTable =
    "SELECT day, direction, connector, trust, messages FROM tls_trust_daily ORDER BY 1, 2, 3, 4";

}  // namespace mailflow::testing
