// The importer runs on two cores: a parse thread reads the file and runs the
// reader, and hands what the reader said over in chunks; the store thread
// replays the chunks in order into the import's sink, which fingerprints,
// de-duplicates and writes exactly as a one-thread import would. This is the
// hand-over: a bounded queue of chunks between one producer and one
// consumer, with spent chunks going back to the producer for reuse, so that
// memory stays bounded (kMaxChunks chunks of kChunkRecords records at most)
// and, once the chunks have grown to their working size, no record costs an
// allocation: a record is copied into a slot whose strings keep their
// capacity from the chunk's previous use.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/time.h"
#include "core/trace.h"
#include "ingest/trace_reader.h"

namespace mailflow {

// One reusable pool of items: slots [0, used) hold this chunk's; the rest
// are spare, with their strings' capacity kept.
template <typename T>
struct ChunkSlots {
  std::vector<T> items;
  std::size_t used = 0;
  T& next() {
    if (used == items.size()) items.emplace_back();
    return items[used++];
  }
};

// What the reader said, in order: each event names its kind and its slot in
// that kind's pool, with the number of lines read when it was said (the
// progress a batch committed after it records).
struct ImportChunk {
  enum class Kind : std::uint8_t {
    Trace, SessionTrace, LifecycleTrace, SessionLifecycleTrace, Reject, Refused, ExpireQueue, Ignored,
    SessionTls, TlsFailure, AuthSubmission, RollupTotal, ReaderState,
  };
  struct Event {
    Kind kind;
    std::uint32_t slot;
    std::int64_t line;        // the record's line, as the reader gave it
    std::int64_t lines_read;  // lines read so far
    std::int64_t fingerprint;  // Trace kinds and Refused: the record's (taken on the parse thread)
  };
  struct TraceItem {
    Trace trace;
    std::string key;                // SessionTrace, SessionLifecycleTrace: the session key
    std::vector<std::string> keys;  // LifecycleTrace, SessionLifecycleTrace: recipient routes
  };
  struct TextItem {  // Reject: reason and text; ExpireQueue: key; Ignored: program; ReaderState: state
    std::string a, b;
    UnixSeconds time = 0;
  };

  std::vector<Event> events;
  ChunkSlots<TraceItem> traces;
  ChunkSlots<TextItem> texts;
  ChunkSlots<RefusedConnection> refused;
  ChunkSlots<SessionTls> sessions;
  ChunkSlots<TlsHandshakeFailure> failures;
  ChunkSlots<AuthSubmission> submissions;
  ChunkSlots<RollupTotal> totals;
  std::int64_t lines = 0;    // lines read when the chunk was handed over
  bool end_of_file = false;  // the last chunk of the file

  std::size_t records() const { return events.size(); }
  void clear() {
    events.clear();
    traces.used = texts.used = refused.used = sessions.used = failures.used = submissions.used = totals.used = 0;
    lines = 0;
    end_of_file = false;
  }
};

class ImportQueue {
 public:
  static constexpr std::size_t kChunkRecords = 1024;  // events per chunk
  // In the queue, in hand on either side, and spare. 16, not 8: the parse
  // thread keeps going while the store thread commits a batch (with 8 it
  // waited ~85 ms per 200 MiB Postfix log); a chunk of CSV records is ~1 MiB.
  static constexpr std::size_t kMaxChunks = 16;

  // Producer: an empty chunk to fill (a spent one when there is one);
  // nullptr once the queue is closed (the consumer stopped).
  std::unique_ptr<ImportChunk> take_empty();
  // Producer: hands a filled chunk over, waiting while the queue is full.
  // False when the consumer has stopped (the chunk is dropped).
  bool push(std::unique_ptr<ImportChunk> chunk);
  // Consumer: the next chunk in order; nullptr once the producer finished
  // (or stopped) and the queue is empty.
  std::unique_ptr<ImportChunk> pop();
  // Consumer: returns a written chunk for reuse.
  void recycle(std::unique_ptr<ImportChunk> chunk);
  // Either side: no more chunks will be pushed (producer done) or accepted
  // (consumer stopped). Wakes the other side.
  void close();

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::unique_ptr<ImportChunk>> filled_;
  std::vector<std::unique_ptr<ImportChunk>> spare_;
  std::size_t allocated_ = 0;
  bool closed_ = false;
};

}  // namespace mailflow
