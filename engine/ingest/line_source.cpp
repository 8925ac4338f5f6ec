#include "ingest/line_source.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "core/error.h"
#include "ingest/compressed_input.h"
#include "ingest/trace_reader.h"

namespace mailflow {

namespace {

std::int64_t fnv1a(const char* p, std::size_t n) {
  std::uint64_t h = 1469598103934665603ULL;
  for (std::size_t i = 0; i < n; ++i) {
    h ^= static_cast<unsigned char>(p[i]);
    h *= 1099511628211ULL;
  }
  return static_cast<std::int64_t>(h);
}

[[noreturn]] void fail_open(const std::string& path, int err) {
  if (err == ENOENT)
    throw Error("FileNotFound", "cannot import '" + path + "': no such file");
  throw Error("FileUnreadable", "cannot import '" + path + "': " + std::strerror(err));
}

}  // namespace

LineSource::LineSource(const std::string& path, std::size_t chunk_bytes,
                       const std::atomic<bool>* interrupted)
    : path_(path), buffer_(chunk_bytes < 4096 ? 4096 : chunk_bytes), interrupted_(interrupted) {
  // O_NONBLOCK: opening a FIFO nobody writes to must not block (Ctrl-C could
  // not stop it); reads are made blocking again below and waited for in poll().
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd_ < 0) fail_open(path, errno);
  struct stat st {};
  if (::fstat(fd_, &st) != 0) {
    int err = errno;
    ::close(fd_);
    fail_open(path, err);
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd_);
    throw Error("FileUnreadable", "cannot import '" + path + "': it is a directory");
  }
  file_size_ = st.st_size;
  regular_ = S_ISREG(st.st_mode);
  int flags = ::fcntl(fd_, F_GETFL);
  if (flags >= 0) ::fcntl(fd_, F_SETFL, flags & ~O_NONBLOCK);
  if (CompressedInput::Kind kind = CompressedInput::sniff(fd_); kind != CompressedInput::Kind::Plain) {
    int fd = fd_;
    fd_ = -1;  // the decoder owns it now, and closes it on every path
    compressed_ = CompressedInput::open(kind, fd, path);
  }
  if (!fill()) return;  // empty file
  head_hash_ = fnv1a(buffer_.data(), end_ < 4096 ? end_ : 4096);
  if (end_ >= 3 && std::memcmp(buffer_.data(), "\xEF\xBB\xBF", 3) == 0) begin_ = 3;
}

LineSource::~LineSource() {
  if (fd_ >= 0) ::close(fd_);
}

long LineSource::read_some(char* into, std::size_t size) {
  if (compressed_) return compressed_->read(into, size);
  return static_cast<long>(::read(fd_, into, size));
}

// Reads the next chunk into the buffer (which must be fully consumed).
bool LineSource::fill() {
  if (eof_) return false;
  begin_ = end_ = 0;
  while (end_ == 0) {
    check_interrupted();
    if (!compressed_) wait_readable();
    long n = read_some(buffer_.data(), buffer_.size());
    if (n < 0) {
      if (errno == EINTR) continue;  // the loop looks at the flag first
      throw Error("FileUnreadable", "cannot read '" + path_ + "': " + std::strerror(errno));
    }
    if (n == 0) {
      eof_ = true;
      return false;
    }
    end_ = static_cast<std::size_t>(n);
  }
  return true;
}

void LineSource::check_interrupted() const {
  if (interrupted_ && interrupted_->load())
    throw Error("OperationInterrupted", "import of '" + path_ + "' interrupted at line " +
                                            std::to_string(number_) +
                                            "; what was committed stays, run it again to complete it");
}

// A pipe, FIFO or device may block for ever: wait in slices of 100 ms so
// that Ctrl-C is seen. A regular file never blocks.
void LineSource::wait_readable() const {
  if (regular_ || !interrupted_) return;
  for (;;) {
    struct pollfd p {fd_, POLLIN, 0};
    int r = ::poll(&p, 1, 100);
    if (r > 0) return;
    if (r < 0 && errno != EINTR) return;  // read() reports the error
    check_interrupted();
  }
}

bool LineSource::next(Line& out) {
  carry_.clear();
  carry_overlong_ = false;
  for (;;) {
    if (begin_ == end_ && !fill()) {
      // End of file: a last line without "\n" still counts.
      if (carry_.empty() && !carry_overlong_) return false;
      break;
    }
    const char* start = buffer_.data() + begin_;
    const char* nl = static_cast<const char*>(std::memchr(start, '\n', end_ - begin_));
    std::size_t len = nl ? static_cast<std::size_t>(nl - start) : end_ - begin_;
    if (nl && carry_.empty() && !carry_overlong_) {
      // The common case: the whole line is inside the buffer, no copy.
      begin_ += len + 1;
      finish_line(std::string_view(start, len), false, out);
      return true;
    }
    // Keep at most kMaxRecordBytes + 2 bytes (room for "\r" and one byte
    // too many) of a line split across chunks.
    constexpr std::size_t kKeep = kMaxRecordBytes + 2;
    std::size_t room = kKeep > carry_.size() ? kKeep - carry_.size() : 0;
    if (len > room) carry_overlong_ = true;
    carry_.append(start, len < room ? len : room);
    begin_ += len;
    if (nl) {
      ++begin_;
      break;
    }
  }
  finish_line(carry_, carry_overlong_, out);
  return true;
}

void LineSource::finish_line(std::string_view text, bool overlong, Line& out) {
  if (!overlong && !text.empty() && text.back() == '\r') text.remove_suffix(1);
  out.overlong = overlong || text.size() > kMaxRecordBytes;
  out.text = out.overlong ? text.substr(0, kMaxRecordBytes) : text;
  out.number = ++number_;
}

std::vector<std::string> LineSource::head_lines(std::size_t count) const {
  std::vector<std::string> lines;
  std::string_view rest(buffer_.data() + begin_, end_ - begin_);
  while (!rest.empty() && lines.size() < count) {
    std::size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    if (line.size() > 4096) line = line.substr(0, 4096);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") != std::string_view::npos) lines.emplace_back(line);
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  return lines;
}

}  // namespace mailflow
