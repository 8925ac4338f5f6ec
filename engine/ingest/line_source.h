// Reads a file in fixed-size chunks and yields its physical lines, so an
// import holds one chunk (plus one partial line) in memory whatever the file
// size. Lines end at "\n"; a "\r" before it is dropped; a UTF-8 byte order
// mark at the start of the file is dropped. A line longer than
// kMaxRecordBytes is cut there and flagged `overlong`; the rest of it is
// skipped without being buffered. A gzip, xz or zstd file (rotated logs:
// mail.log.2.gz) is read as its uncompressed text, whatever its name
// (compressed_input.h).
#pragma once

#include <atomic>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mailflow {

class LineSource {
 public:
  struct Line {
    std::string_view text;   // valid until the next call to next()
    std::int64_t number = 0; // 1-based
    bool overlong = false;
  };

  // Opens `path`; throws Error("FileNotFound"/"FileUnreadable") naming it.
  // With `interrupted`, Ctrl-C stops reading even when the source yields no
  // line at all (/dev/zero) or nothing (a silent FIFO): every chunk and
  // every 100 ms of waiting look at the flag (Error "OperationInterrupted").
  explicit LineSource(const std::string& path, std::size_t chunk_bytes = 1 << 20,
                      const std::atomic<bool>* interrupted = nullptr);
  ~LineSource();
  LineSource(const LineSource&) = delete;
  LineSource& operator=(const LineSource&) = delete;

  bool next(Line& out);

  std::int64_t file_size() const { return file_size_; }
  // FNV-1a of the first 4 KiB: tells a rotated file from the one imported before.
  std::int64_t head_hash() const { return head_hash_; }
  // Up to `count` non-empty lines from the start of the file (from the first
  // chunk only), for format detection.
  std::vector<std::string> head_lines(std::size_t count) const;

 private:
  bool fill();
  void check_interrupted() const;
  void wait_readable() const;
  void finish_line(std::string_view text, bool overlong, Line& out);

  // Reads up to `size` bytes of the file's (uncompressed) text.
  long read_some(char* into, std::size_t size);

  std::string path_;
  int fd_ = -1;
  std::unique_ptr<class CompressedInput> compressed_;  // when the file is compressed (it owns fd_)
  std::vector<char> buffer_;
  std::size_t begin_ = 0, end_ = 0;  // unread bytes in buffer_
  bool eof_ = false;
  std::string carry_;                // a line split across chunks
  bool carry_overlong_ = false;
  std::int64_t number_ = 0;
  std::int64_t file_size_ = 0;
  std::int64_t head_hash_ = 0;
  bool first_line_ = true;
  const std::atomic<bool>* interrupted_ = nullptr;
  bool regular_ = true;              // a regular file: reads never block
};

}  // namespace mailflow
