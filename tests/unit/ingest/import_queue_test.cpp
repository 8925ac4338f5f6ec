// The hand-over between the importer's parse and store threads: order kept,
// memory bounded (chunks are reused, never more than kMaxChunks), and a
// consumer that stops releases a producer waiting on it.
#include "ingest/import_queue.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

namespace mailflow {

TEST(ImportQueue, KeepsOrderAndReusesABoundedNumberOfChunks) {
  ImportQueue queue;
  constexpr std::int64_t kChunks = 2000;
  std::thread producer([&] {
    for (std::int64_t i = 1; i <= kChunks; ++i) {
      auto chunk = queue.take_empty();
      ASSERT_TRUE(chunk);
      EXPECT_EQ(chunk->records(), 0u);  // a reused chunk comes back empty
      chunk->traces.next().trace.size = i;
      chunk->events.push_back({ImportChunk::Kind::Trace, 0, i, i});
      chunk->lines = i;
      ASSERT_TRUE(queue.push(std::move(chunk)));
    }
    queue.close();
  });
  std::set<const ImportChunk*> distinct;
  std::int64_t expected = 1;
  while (auto chunk = queue.pop()) {
    EXPECT_EQ(chunk->lines, expected);
    EXPECT_EQ(chunk->traces.items[0].trace.size, expected);
    EXPECT_EQ(chunk->traces.used, 1u);
    ++expected;
    distinct.insert(chunk.get());
    queue.recycle(std::move(chunk));
  }
  producer.join();
  EXPECT_EQ(expected, kChunks + 1);
  EXPECT_LE(distinct.size(), ImportQueue::kMaxChunks);
}

TEST(ImportQueue, AStoppedConsumerReleasesTheProducer) {
  ImportQueue queue;
  bool refused = false;
  std::thread producer([&] {
    // Fills every chunk without the consumer taking any: the next
    // take_empty waits until the consumer closes the queue.
    for (;;) {
      auto chunk = queue.take_empty();
      if (!chunk || !queue.push(std::move(chunk))) {
        refused = true;
        return;
      }
    }
  });
  auto first = queue.pop();
  ASSERT_TRUE(first);
  queue.close();  // the store side failed
  producer.join();
  EXPECT_TRUE(refused);
}

}  // namespace mailflow
