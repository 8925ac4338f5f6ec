#include "store/wal_checkpointer.h"

namespace mailflow {

WalCheckpointer::WalCheckpointer(Database& writer, int min_frames)
    : writer_(writer), min_frames_(min_frames), connection_(std::make_unique<Database>(writer.path())) {
  // A connection finds the store in WAL mode (and opens the WAL, which a
  // checkpoint needs) on its first read.
  connection_->exec("SELECT 1 FROM sqlite_schema LIMIT 1");
  thread_ = std::thread([this] { run(); });
  sqlite3_wal_hook(writer_.handle(), &WalCheckpointer::on_commit, this);
}

WalCheckpointer::~WalCheckpointer() {
  sqlite3_wal_hook(writer_.handle(), nullptr, nullptr);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

std::int64_t WalCheckpointer::checkpoints() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return checkpoints_;
}

// Runs on the writer's thread right after a commit: it only raises a flag.
int WalCheckpointer::on_commit(void* self, sqlite3*, const char*, int frames) {
  auto* c = static_cast<WalCheckpointer*>(self);
  if (frames < c->min_frames_) return SQLITE_OK;
  {
    std::lock_guard<std::mutex> lock(c->mutex_);
    c->pending_ = true;
  }
  c->wake_.notify_one();
  return SQLITE_OK;
}

void WalCheckpointer::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return pending_ || stop_; });
    if (stop_) return;
    pending_ = false;
    lock.unlock();
    // Errors (SQLITE_BUSY from a checkpoint already running elsewhere, a
    // full disk) leave the frames in the WAL for the next checkpoint.
    sqlite3_wal_checkpoint_v2(connection_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    lock.lock();
    ++checkpoints_;
  }
}

}  // namespace mailflow
