// UTF-16LE text through the line source. Exchange Online delivers historical
// search reports as UTF-16LE with a byte order mark (FF FE); the importer
// splits every file at 0x0A bytes, which in UTF-16LE cuts "\n" (0A 00) in
// two and may cut inside other characters. This puts the pieces back
// together and yields the text's own lines in UTF-8, so the readers see the
// same lines as for a UTF-8 file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mailflow {

class Utf16LeLines {
 public:
  // The first line of a UTF-16LE file starts with its byte order mark.
  static bool starts(std::string_view first_piece) { return first_piece.starts_with("\xFF\xFE"); }

  // One piece as the line source cut it (the 0x0A byte it was cut at is
  // given back here). Calls out(utf8_line) for every line the text completes.
  template <typename F>
  void feed(std::string_view piece, F&& out) {
    if (first_) {
      first_ = false;
      if (starts(piece)) piece.remove_prefix(2);
    } else {
      bytes_.push_back('\x0A');
    }
    bytes_.append(piece);
    decode(out);
  }

  // End of the file: the last line when it had no line break.
  template <typename F>
  void finish(F&& out) {
    decode(out);
    if (!line_.empty()) out(std::string_view(line_));
    line_.clear();
    bytes_.clear();
  }

 private:
  template <typename F>
  void decode(F& out) {
    std::size_t i = 0;
    while (i + 1 < bytes_.size()) {
      std::uint32_t u = static_cast<unsigned char>(bytes_[i]) | (static_cast<unsigned char>(bytes_[i + 1]) << 8);
      std::size_t used = 2;
      if (u >= 0xD800 && u <= 0xDBFF) {  // a surrogate pair needs the next unit
        if (i + 3 >= bytes_.size()) break;
        std::uint32_t lo = static_cast<unsigned char>(bytes_[i + 2]) | (static_cast<unsigned char>(bytes_[i + 3]) << 8);
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
          u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
          used = 4;
        } else {
          u = 0xFFFD;
        }
      } else if (u >= 0xDC00 && u <= 0xDFFF) {
        u = 0xFFFD;
      }
      i += used;
      if (u == '\n') {
        if (!line_.empty() && line_.back() == '\r') line_.pop_back();
        out(std::string_view(line_));
        line_.clear();
        continue;
      }
      append_utf8(u);
    }
    bytes_.erase(0, i);
  }

  void append_utf8(std::uint32_t cp) {
    if (cp < 0x80) {
      line_.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      line_.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      line_.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      line_.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      line_.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      line_.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      line_.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      line_.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      line_.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      line_.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  std::string bytes_;
  std::string line_;
  bool first_ = true;
};

}  // namespace mailflow
