#include "ingest/line_source.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "core/error.h"
#include "import_fixture.h"
#include "ingest/trace_reader.h"

namespace mailflow {

class LineSourceTest : public testing::ImportFixture {
 protected:
  std::vector<std::string> read_all(const std::string& file, std::size_t chunk,
                                    std::vector<bool>* overlong = nullptr) {
    LineSource source(file, chunk);
    std::vector<std::string> lines;
    LineSource::Line line;
    while (source.next(line)) {
      EXPECT_EQ(line.number, static_cast<std::int64_t>(lines.size() + 1));
      lines.emplace_back(line.text);
      if (overlong) overlong->push_back(line.overlong);
    }
    return lines;
  }
};

TEST_F(LineSourceTest, LinesAcrossChunkBoundariesCrlfBomAndNoFinalNewline) {
  std::string text = "\xEF\xBB\xBF" "first\r\n";
  for (int i = 0; i < 2000; ++i) text += "line " + std::to_string(i) + " with some padding text\r\n";
  text += "\r\nlast without newline";
  std::string file = write_file("a.txt", text);
  auto lines = read_all(file, 4096);
  ASSERT_EQ(lines.size(), 2003u);
  EXPECT_EQ(lines[0], "first");
  EXPECT_EQ(lines[1], "line 0 with some padding text");
  EXPECT_EQ(lines[1000], "line 999 with some padding text");
  EXPECT_EQ(lines[2001], "");
  EXPECT_EQ(lines[2002], "last without newline");
  EXPECT_EQ(read_all(file, 1 << 20), lines);
}

TEST_F(LineSourceTest, OverlongLinesAreCutAndFlaggedWithoutBufferingThem) {
  std::string exact(kMaxRecordBytes, 'e');
  std::string text = "a\n" + std::string(3 * kMaxRecordBytes, 'x') + "\n" + exact + "\r\nb";
  std::string file = write_file("b.txt", text);
  for (std::size_t chunk : {std::size_t(4096), std::size_t(1 << 20)}) {
    std::vector<bool> overlong;
    auto lines = read_all(file, chunk, &overlong);
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_EQ(overlong, (std::vector<bool>{false, true, false, false}));
    EXPECT_EQ(lines[1].size(), kMaxRecordBytes);
    EXPECT_EQ(lines[2], exact);
    EXPECT_EQ(lines[3], "b");
  }
}

TEST_F(LineSourceTest, SizeHeadHashAndHeadLines) {
  std::string file = write_file("c.txt", "\n  \nheader\n\nrow 1\nrow 2\n");
  LineSource source(file);
  EXPECT_EQ(source.file_size(), 24);
  EXPECT_NE(source.head_hash(), 0);
  EXPECT_EQ(source.head_lines(2), (std::vector<std::string>{"header", "row 1"}));
  std::string other = write_file("d.txt", "\n  \nheader\n\nrow 1\nrow 3\n");
  EXPECT_NE(LineSource(other).head_hash(), source.head_hash());
}

TEST_F(LineSourceTest, MissingFileIsAnErrorNamingIt) {
  try {
    LineSource source(path("missing.csv"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.id(), "FileNotFound");
    EXPECT_NE(std::string(e.what()).find("missing.csv"), std::string::npos);
  }
}

// Ctrl-C could not stop an import that yields no records: /dev/zero (data,
// never a line) and a FIFO whose writer stays silent (no data at all).
namespace {

std::string interrupted_read(const std::string& file) {
  std::atomic<bool> flag{false};
  std::thread press([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    flag.store(true);
  });
  std::string result = "(no error)";
  try {
    LineSource source(file, 1 << 16, &flag);
    LineSource::Line line;
    while (source.next(line)) {
    }
    result = "(end of file)";
  } catch (const Error& e) {
    result = e.id();
  }
  press.join();
  return result;
}

}  // namespace

TEST_F(LineSourceTest, CtrlCStopsASourceWithoutLines) {
  EXPECT_EQ(interrupted_read("/dev/zero"), "OperationInterrupted");
}

TEST_F(LineSourceTest, CtrlCStopsASilentFifo) {
  std::string fifo = path("silent.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // A writer that never writes (O_RDWR keeps the FIFO open without blocking).
  int writer = ::open(fifo.c_str(), O_RDWR | O_NONBLOCK);
  ASSERT_GE(writer, 0);
  EXPECT_EQ(interrupted_read(fifo), "OperationInterrupted");
  ::close(writer);
}

}  // namespace mailflow
