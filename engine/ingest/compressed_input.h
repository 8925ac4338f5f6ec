// The uncompressed text of a compressed rotated log, read a slice at a time:
// gzip (zlib: logrotate's default), xz (liblzma) and zstd (libzstd:
// logrotate `compresscmd xz` / `zstd`), told apart by their magic bytes
// whatever the file is called. Concatenated streams (a file compressed in
// pieces) read as one text. Damaged or truncated data is a terminating
// error naming the file (a rotated log is whole or it is not).
#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace mailflow {

class CompressedInput {
 public:
  enum class Kind { Plain, Gzip, Xz, Zstd };

  // What the file at `fd` holds, from its first bytes (read with pread:
  // the file offset does not move).
  static Kind sniff(int fd);
  // A reader of `kind` (not Plain) that takes `fd` over (and closes it).
  // Throws Error("FileUnreadable") naming `path` when the decoder cannot start.
  static std::unique_ptr<CompressedInput> open(Kind kind, int fd, const std::string& path);

  virtual ~CompressedInput() = default;
  // Up to `size` bytes of text; 0 at the end. Throws Error("FileUnreadable")
  // naming the file for damaged data, data that stops inside a stream, or a
  // read error.
  virtual long read(char* into, std::size_t size) = 0;
};

// "gzip", "xz", "zstd" (for messages).
const char* compression_name(CompressedInput::Kind kind);

}  // namespace mailflow
