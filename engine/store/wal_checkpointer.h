// Checkpoints a WAL store on a thread and connection of its own while an
// import writes to it, so that copying committed pages from the WAL into
// the database file does not hold up the thread that writes (an import's
// store thread is the slower of its two; tests/bench/README.md).
//
// The writer's commits wake it through SQLite's WAL hook (the hook that
// wal_autocheckpoint would otherwise install, so the writer itself does not
// checkpoint while it is in place). A checkpoint is PASSIVE: it copies what
// no reader still needs and never waits for a lock, so readers (a REPL on
// the store) and the writer go on as before. A checkpoint is safe at any
// moment, kill -9 included (SQLite's WAL design), and one that fails leaves
// its frames for the next.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "store/sqlite.h"

namespace mailflow {

class WalCheckpointer {
 public:
  // Installs the hook on `writer` and starts the thread. `min_frames`: a
  // commit that leaves fewer frames in the WAL does not wake it.
  WalCheckpointer(Database& writer, int min_frames);
  // Stops and joins the thread (a checkpoint under way finishes first) and
  // removes the hook: the writer is left without one.
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Checkpoints run so far (for tests).
  std::int64_t checkpoints() const;

 private:
  static int on_commit(void* self, sqlite3* db, const char* schema, int frames);
  void run();

  Database& writer_;
  int min_frames_;
  std::unique_ptr<Database> connection_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool pending_ = false;
  bool stop_ = false;
  std::int64_t checkpoints_ = 0;
  std::thread thread_;
};

}  // namespace mailflow
