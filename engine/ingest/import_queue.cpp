#include "ingest/import_queue.h"

namespace mailflow {

std::unique_ptr<ImportChunk> ImportQueue::take_empty() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return closed_ || !spare_.empty() || allocated_ < kMaxChunks; });
  if (closed_) return nullptr;
  if (!spare_.empty()) {
    auto chunk = std::move(spare_.back());
    spare_.pop_back();
    chunk->clear();
    return chunk;
  }
  ++allocated_;
  return std::make_unique<ImportChunk>();
}

bool ImportQueue::push(std::unique_ptr<ImportChunk> chunk) {
  std::lock_guard lock(mutex_);
  if (closed_) return false;
  filled_.push_back(std::move(chunk));
  changed_.notify_all();
  return true;
}

std::unique_ptr<ImportChunk> ImportQueue::pop() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return closed_ || !filled_.empty(); });
  if (filled_.empty()) return nullptr;
  auto chunk = std::move(filled_.front());
  filled_.pop_front();
  changed_.notify_all();
  return chunk;
}

void ImportQueue::recycle(std::unique_ptr<ImportChunk> chunk) {
  std::lock_guard lock(mutex_);
  spare_.push_back(std::move(chunk));
  changed_.notify_all();
}

void ImportQueue::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  changed_.notify_all();
}

}  // namespace mailflow
