#include "cmdlets/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "core/error.h"

namespace mailflow {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& id, const std::string& cmdlet, const std::string& what) {
  throw Error(id, cmdlet + ": " + what);
}

std::string quoted(const std::string& path) { return "'" + path + "'"; }

fs::path parent_of(const std::string& path) {
  fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

// The temporary file; removed on every path that does not rename it.
class TempFile {
 public:
  TempFile(const std::string& cmdlet, const std::string& target) : cmdlet_(cmdlet) {
    fs::path t(target);
    name_ = (parent_of(target) / ("." + t.filename().string() + ".XXXXXX")).string();
    fd_ = mkstemp(name_.data());
    if (fd_ < 0)
      fail("WriteFailed", cmdlet, "cannot create a temporary file beside " + quoted(target) +
                                      ": " + std::strerror(errno));
    // mkstemp makes the file 0600; a report is as readable as any new file.
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd_, 0666 & ~mask);
  }
  ~TempFile() {
    if (fd_ >= 0) close(fd_);
    if (!name_.empty()) unlink(name_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  void write_all(std::string_view content, const std::string& target) {
    size_t done = 0;
    while (done < content.size()) {
      ssize_t n = ::write(fd_, content.data() + done, content.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0)
        fail("WriteFailed", cmdlet_, "cannot write " + quoted(target) + ": " + std::strerror(errno));
      done += static_cast<size_t>(n);
    }
    if (fsync(fd_) != 0 || close(fd_) != 0) {
      fd_ = -1;
      fail("WriteFailed", cmdlet_, "cannot write " + quoted(target) + ": " + std::strerror(errno));
    }
    fd_ = -1;
  }

  const std::string& name() const { return name_; }
  void committed() { name_.clear(); }

 private:
  std::string cmdlet_;
  std::string name_;
  int fd_ = -1;
};

}  // namespace

// The file an export really writes: a symbolic link is written through (the
// link stays, its target gets the new content), so a link chain is followed
// to its end. A dangling link is refused rather than guessed at.
std::string resolve_output_path(const std::string& cmdlet, const std::string& path) {
  std::error_code ec;
  fs::file_status lst = fs::symlink_status(path, ec);
  if (!fs::is_symlink(lst)) return path;
  fs::path target = fs::canonical(path, ec);
  if (ec)
    fail("InvalidPath", cmdlet, quoted(path) + " is a symbolic link whose target cannot be reached: " +
                                    ec.message());
  return target.string();
}

namespace {

// Only regular files are ever replaced: a device (/dev/null), FIFO or socket
// taking -Force would otherwise be swapped for a regular file by rename().
void check_resolved_path(const std::string& cmdlet, const std::string& shown,
                         const std::string& path, bool force) {
  std::error_code ec;
  fs::file_status st = fs::symlink_status(path, ec);
  if (fs::is_directory(st)) fail("InvalidPath", cmdlet, quoted(shown) + " is a directory");
  if (fs::exists(st) && !fs::is_regular_file(st))
    fail("InvalidPath", cmdlet, quoted(shown) +
                                    " is not a regular file (a device, FIFO or socket); "
                                    "only regular files are written or replaced");
  fs::path parent = parent_of(path);
  if (!fs::is_directory(parent, ec))
    fail("InvalidPath", cmdlet, "the directory " + quoted(parent.string()) + " of " +
                                    quoted(shown) + " does not exist");
  if (fs::exists(st) && !force)
    fail("FileExists", cmdlet, quoted(shown) + " already exists; use -Force to replace it");
}

}  // namespace

void check_output_path(const std::string& cmdlet, const std::string& path, bool force) {
  if (path.empty()) fail("InvalidPath", cmdlet, "-Path is empty");
  check_resolved_path(cmdlet, path, resolve_output_path(cmdlet, path), force);
}

void write_file_atomically(const std::string& cmdlet, const std::string& shown_path,
                           std::string_view content, bool force) {
  check_output_path(cmdlet, shown_path, force);
  const std::string path = resolve_output_path(cmdlet, shown_path);
  TempFile temp(cmdlet, path);
  temp.write_all(content, shown_path);
  if (force) {
    // Re-checked just before the rename: the name may have become a device
    // or FIFO while the content was being written.
    check_resolved_path(cmdlet, shown_path, path, true);
    if (std::rename(temp.name().c_str(), path.c_str()) != 0)
      fail("WriteFailed", cmdlet, "cannot replace " + quoted(shown_path) + ": " + std::strerror(errno));
    temp.committed();
    return;
  }
  // link() fails when the name is taken, so a file that appeared while we
  // were writing is not replaced; the temporary name is then removed.
  if (link(temp.name().c_str(), path.c_str()) != 0) {
    if (errno == EEXIST)
      fail("FileExists", cmdlet, quoted(shown_path) + " already exists; use -Force to replace it");
    // File systems without hard links: a plain rename after the check above.
    if (std::rename(temp.name().c_str(), path.c_str()) != 0)
      fail("WriteFailed", cmdlet, "cannot write " + quoted(shown_path) + ": " + std::strerror(errno));
    temp.committed();
  }
}

}  // namespace mailflow
