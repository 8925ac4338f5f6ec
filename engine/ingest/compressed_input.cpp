#include "ingest/compressed_input.h"

#include <lzma.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "core/error.h"

namespace mailflow {

namespace {

constexpr std::size_t kInputBytes = 1 << 17;

[[noreturn]] void truncated(const std::string& path, CompressedInput::Kind kind) {
  throw Error("FileUnreadable", "cannot read '" + path + "': the " + compression_name(kind) +
                                    " data ends before its end (truncated)");
}

[[noreturn]] void damaged(const std::string& path, CompressedInput::Kind kind, const std::string& why) {
  throw Error("FileUnreadable",
              "cannot read '" + path + "': " + compression_name(kind) + " data is damaged (" + why + ")");
}

// Raw bytes of the compressed file, for the decoders that are fed by hand.
class RawInput {
 public:
  RawInput(int fd, std::string path) : fd_(fd), path_(std::move(path)), buffer_(kInputBytes) {}
  ~RawInput() { ::close(fd_); }
  RawInput(const RawInput&) = delete;
  RawInput& operator=(const RawInput&) = delete;

  // Refills the buffer; false at the end of the file.
  bool fill(const std::uint8_t*& data, std::size_t& size) {
    for (;;) {
      ssize_t n = ::read(fd_, buffer_.data(), buffer_.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw Error("FileUnreadable", "cannot read '" + path_ + "': " + std::strerror(errno));
      data = buffer_.data();
      size = static_cast<std::size_t>(n);
      return n > 0;
    }
  }

 private:
  int fd_;
  std::string path_;
  std::vector<std::uint8_t> buffer_;
};

// gzip through zlib's gz* functions (which read concatenated members).
class GzipInput : public CompressedInput {
 public:
  GzipInput(int fd, std::string path) : path_(std::move(path)) {
    gz_ = gzdopen(fd, "rb");  // takes the descriptor over (gzclose closes it)
    if (!gz_) {
      ::close(fd);
      throw Error("FileUnreadable", "cannot import '" + path_ + "': cannot open it as gzip");
    }
    gzbuffer(gz_, 1 << 17);
  }
  ~GzipInput() override { gzclose(gz_); }

  long read(char* into, std::size_t size) override {
    int n = gzread(gz_, into, static_cast<unsigned>(size));
    if (n > 0) return n;
    // At the end, Z_BUF_ERROR says the file stopped inside a gzip stream
    // (a truncated or still-being-written file); -1 is damaged data.
    int code = 0;
    const char* why = gzerror(gz_, &code);
    if (n == 0 && code == Z_OK) return 0;
    if (code == Z_ERRNO) throw Error("FileUnreadable", "cannot read '" + path_ + "': " + std::strerror(errno));
    if (code == Z_BUF_ERROR) truncated(path_, Kind::Gzip);
    damaged(path_, Kind::Gzip, why);
  }

 private:
  std::string path_;
  gzFile gz_ = nullptr;
};

const char* lzma_reason(lzma_ret r) {
  switch (r) {
    case LZMA_FORMAT_ERROR: return "not in the xz format";
    case LZMA_OPTIONS_ERROR: return "unsupported options";
    case LZMA_DATA_ERROR: return "compressed data is corrupt";
    case LZMA_MEM_ERROR: return "out of memory";
    case LZMA_MEMLIMIT_ERROR: return "memory limit reached";
    default: return "decoder error";
  }
}

// xz through liblzma's stream decoder.
class XzInput : public CompressedInput {
 public:
  XzInput(int fd, std::string path) : raw_(fd, path), path_(std::move(path)) {
    lzma_ret r = lzma_stream_decoder(&strm_, UINT64_MAX, LZMA_CONCATENATED);
    if (r != LZMA_OK) damaged(path_, Kind::Xz, lzma_reason(r));
  }
  ~XzInput() override { lzma_end(&strm_); }

  long read(char* into, std::size_t size) override {
    if (done_) return 0;
    strm_.next_out = reinterpret_cast<std::uint8_t*>(into);
    strm_.avail_out = size;
    for (;;) {
      if (strm_.avail_in == 0 && !eof_) {
        std::size_t n = 0;
        eof_ = !raw_.fill(strm_.next_in, n);
        strm_.avail_in = n;
      }
      lzma_ret r = lzma_code(&strm_, eof_ ? LZMA_FINISH : LZMA_RUN);
      long produced = static_cast<long>(size - strm_.avail_out);
      if (r == LZMA_STREAM_END) {
        done_ = true;
        return produced;
      }
      // LZMA_BUF_ERROR: no progress at the end of the input.
      if (r == LZMA_BUF_ERROR && eof_) truncated(path_, Kind::Xz);
      if (r != LZMA_OK && r != LZMA_BUF_ERROR) damaged(path_, Kind::Xz, lzma_reason(r));
      if (produced > 0) return produced;
    }
  }

 private:
  RawInput raw_;
  std::string path_;
  lzma_stream strm_ = LZMA_STREAM_INIT;
  bool eof_ = false, done_ = false;
};

// zstd through libzstd's streaming decoder (it goes on into the next frame).
class ZstdInput : public CompressedInput {
 public:
  ZstdInput(int fd, std::string path) : raw_(fd, path), path_(std::move(path)) {
    ds_ = ZSTD_createDStream();
    if (!ds_) damaged(path_, Kind::Zstd, "out of memory");
  }
  ~ZstdInput() override { ZSTD_freeDStream(ds_); }

  long read(char* into, std::size_t size) override {
    ZSTD_outBuffer out{into, size, 0};
    for (;;) {
      if (in_.pos == in_.size && !eof_) {
        const std::uint8_t* data = nullptr;
        std::size_t n = 0;
        eof_ = !raw_.fill(data, n);
        in_ = ZSTD_inBuffer{data, n, 0};
      }
      std::size_t in_before = in_.pos, out_before = out.pos;
      std::size_t r = ZSTD_decompressStream(ds_, &out, &in_);
      if (ZSTD_isError(r)) damaged(path_, Kind::Zstd, ZSTD_getErrorName(r));
      // 0: a frame is complete and flushed. A call that did nothing says
      // how much of a next frame it wants, which is no open frame.
      if (in_.pos != in_before || out.pos != out_before) frame_open_ = r != 0;
      if (out.pos > 0) return static_cast<long>(out.pos);
      if (eof_ && in_.pos == in_.size) {
        if (frame_open_) truncated(path_, Kind::Zstd);
        return 0;
      }
    }
  }

 private:
  RawInput raw_;
  std::string path_;
  ZSTD_DStream* ds_ = nullptr;
  ZSTD_inBuffer in_{nullptr, 0, 0};
  bool eof_ = false, frame_open_ = false;
};

}  // namespace

const char* compression_name(CompressedInput::Kind kind) {
  switch (kind) {
    case CompressedInput::Kind::Gzip: return "gzip";
    case CompressedInput::Kind::Xz: return "xz";
    case CompressedInput::Kind::Zstd: return "zstd";
    case CompressedInput::Kind::Plain: break;
  }
  return "plain";
}

CompressedInput::Kind CompressedInput::sniff(int fd) {
  unsigned char magic[6] = {};
  ssize_t n = ::pread(fd, magic, sizeof magic, 0);
  if (n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) return Kind::Gzip;
  if (n >= 6 && std::memcmp(magic, "\xFD" "7zXZ\0", 6) == 0) return Kind::Xz;
  if (n >= 4 && std::memcmp(magic, "\x28\xB5\x2F\xFD", 4) == 0) return Kind::Zstd;
  return Kind::Plain;
}

std::unique_ptr<CompressedInput> CompressedInput::open(Kind kind, int fd, const std::string& path) {
  switch (kind) {
    case Kind::Gzip: return std::make_unique<GzipInput>(fd, path);
    case Kind::Xz: return std::make_unique<XzInput>(fd, path);
    case Kind::Zstd: return std::make_unique<ZstdInput>(fd, path);
    case Kind::Plain: break;
  }
  return nullptr;
}

}  // namespace mailflow
