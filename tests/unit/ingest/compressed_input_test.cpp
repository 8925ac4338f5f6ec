// Rotated logs compressed with gzip, xz or zstd read as their text
// (LineSource through CompressedInput), concatenated streams included; a
// truncated or damaged file is one clear error naming it.
#include <gtest/gtest.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <fstream>

#include "core/error.h"
#include "import_fixture.h"
#include "ingest/line_source.h"

namespace mailflow {
namespace {

std::string xz(const std::string& text) {
  std::string out(lzma_stream_buffer_bound(text.size()), '\0');
  std::size_t pos = 0;
  lzma_ret r = lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, nullptr, reinterpret_cast<const uint8_t*>(text.data()),
                                       text.size(), reinterpret_cast<uint8_t*>(out.data()), &pos, out.size());
  EXPECT_EQ(r, LZMA_OK);
  out.resize(pos);
  return out;
}

// As the zstd command writes it: with a content checksum.
std::string zstd(const std::string& text) {
  std::string out(ZSTD_compressBound(text.size()), '\0');
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
  std::size_t n = ZSTD_compress2(cctx, out.data(), out.size(), text.data(), text.size());
  ZSTD_freeCCtx(cctx);
  EXPECT_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

std::string gzip(const std::string& text) {
  std::string out(compressBound(text.size()) + 32, '\0');
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);  // 15 + 16: a gzip wrapper
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// Many lines, so that the text spans several of the reader's chunks.
std::string log_text() {
  std::string text;
  for (int i = 0; i < 20000; ++i)
    text += "Dec  1 18:35:16 vm postfix/qmgr[29797]: " + std::to_string(100000 + i) + "AB: removed\n";
  return text;
}

class CompressedLogs : public testing::ImportFixture {
 protected:
  std::vector<std::string> read_all(const std::string& p) {
    LineSource source(p, 4096);
    LineSource::Line line;
    std::vector<std::string> got;
    while (source.next(line)) got.emplace_back(line.text);
    return got;
  }
  std::string error_of(const std::string& p) {
    try {
      read_all(p);
    } catch (const Error& e) {
      return e.what();
    }
    return "(no error)";
  }
};

TEST_F(CompressedLogs, XzAndZstdReadAsTheirTextLikeGzip) {
  std::string text = log_text();
  std::vector<std::string> want;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t nl = text.find('\n', at);
    want.push_back(text.substr(at, nl - at));
    at = nl + 1;
  }
  for (const auto& [name, bytes] : {std::pair{std::string("mail.log.2.gz"), gzip(text)},
                                    std::pair{std::string("mail.log.2.xz"), xz(text)},
                                    std::pair{std::string("mail.log.2.zst"), zstd(text)},
                                    // whatever the name: the magic bytes decide
                                    std::pair{std::string("mail.log.2"), zstd(text)}}) {
    SCOPED_TRACE(name);
    std::string p = write_file(name, bytes);
    EXPECT_LT(bytes.size(), text.size() / 4);
    EXPECT_EQ(read_all(p), want);
    LineSource source(p);
    EXPECT_EQ(source.head_lines(1), std::vector<std::string>{want[0]});
  }
}

TEST_F(CompressedLogs, ConcatenatedStreamsAreOneText) {
  // `xz -c a >> f; xz -c b >> f` and the same with zstd: one text.
  for (auto compress : {xz, zstd}) {
    std::string p = write_file("joined", compress("one\ntwo\n") + compress("three\n"));
    EXPECT_EQ(read_all(p), (std::vector<std::string>{"one", "two", "three"}));
  }
}

TEST_F(CompressedLogs, TruncatedOrDamagedDataIsOneErrorNamingTheFile) {
  std::string text = log_text();
  struct Case {
    std::string name, bytes, want;
  };
  std::string x = xz(text), z = zstd(text);
  std::string x_bad = x, z_bad = z;
  x_bad[x.size() / 2] ^= 0x55;
  z_bad[z.size() / 2] ^= 0x55;
  for (const Case& c : {Case{"cut.xz", x.substr(0, x.size() / 2), "the xz data ends before its end (truncated)"},
                        Case{"cut.zst", z.substr(0, z.size() / 2), "the zstd data ends before its end (truncated)"},
                        Case{"bad.xz", x_bad, "xz data is damaged"},
                        Case{"bad.zst", z_bad, "zstd data is damaged"},
                        // the magic alone
                        Case{"magic.xz", std::string("\xFD" "7zXZ\0", 6), "xz data"},
                        Case{"magic.zst", "\x28\xB5\x2F\xFD", "zstd data"}}) {
    SCOPED_TRACE(c.name);
    std::string what = error_of(write_file(c.name, c.bytes));
    EXPECT_NE(what.find("cannot read '" + path(c.name) + "': "), std::string::npos) << what;
    EXPECT_NE(what.find(c.want), std::string::npos) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace mailflow
