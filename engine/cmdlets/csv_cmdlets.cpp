// ConvertTo-Csv and Export-Csv: RFC 4180 fields (engine/shell/csv_text) as
// lines of text, or written to a file that is replaced atomically.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "cmdlets/atomic_file.h"
#include "host/cmdlet.h"
#include "host/session.h"
#include "core/error.h"
#include "shell/csv_text.h"
#include "host/parameters.h"

namespace mailflow {

namespace {

// The parameters ConvertTo-Csv and Export-Csv share.
std::vector<ParamEntry> csv_params() {
  return {
      Param::String("Delimiter", "the one character between fields").default_value(Value(",")),
      Param::Enum("UseQuotes", {"AsNeeded", "Always"}, "quote only fields that need it (RFC 4180), or every field")
          .default_value(Value("AsNeeded")),
      Param::Switch("NoTypeInformation", "accepted for PowerShell scripts; no type line is ever written")
          .aliases({"NTI"}),
  };
}

CsvOptions csv_options(const std::string& cmdlet, const BoundParameters& params) {
  CsvOptions options;
  std::string delimiter = params.string("Delimiter").value_or(",");
  if (delimiter.size() != 1 || delimiter == "\"" || delimiter == "\r" || delimiter == "\n")
    throw Error("InvalidArgument", cmdlet + ": -Delimiter must be one character other than a "
                                            "double quote or line break, not '" + delimiter + "'");
  options.delimiter = delimiter[0];
  if (iequals(params.string("UseQuotes").value_or("AsNeeded"), "Always"))
    options.quoting = CsvQuoting::Always;
  return options;
}

std::string system_error() { return std::strerror(errno); }

// A file written under a temporary name beside its destination and renamed
// over it only when complete: a failure or an interrupted pipeline leaves the
// destination as it was. The temporary file is removed on every other path.
class ReplacementFile {
 public:
  explicit ReplacementFile(std::string path) : path_(std::move(path)) {
    std::string::size_type slash = path_.rfind('/');
    std::string dir = slash == std::string::npos ? "" : path_.substr(0, slash + 1);
    std::string base = slash == std::string::npos ? path_ : path_.substr(slash + 1);
    temp_ = dir + "." + base + ".tmp-XXXXXX";
    int fd = ::mkstemp(temp_.data());
    if (fd < 0)
      throw Error("FileWriteFailed", "Export-Csv: cannot create '" + path_ + "': " + system_error());
    // mkstemp creates 0600; a CSV is as readable as any file the user creates.
    mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(fd, 0666 & ~mask);
    file_ = ::fdopen(fd, "w");
    if (!file_) {
      ::close(fd);
      ::unlink(temp_.c_str());
      throw Error("FileWriteFailed", "Export-Csv: cannot write '" + path_ + "': " + system_error());
    }
  }
  ReplacementFile(const ReplacementFile&) = delete;
  ReplacementFile& operator=(const ReplacementFile&) = delete;
  ~ReplacementFile() {
    if (file_) std::fclose(file_);
    if (!committed_) ::unlink(temp_.c_str());
  }

  void write_line(const std::string& line) {
    if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() || std::fputc('\n', file_) == EOF)
      fail();
  }

  // Without `overwrite`, the destination must still not exist: link() fails
  // when it does, even if it appeared while we were writing.
  void commit(bool overwrite) {
    if (std::fflush(file_) != 0 || ::fsync(::fileno(file_)) != 0) fail();
    FILE* f = file_;
    file_ = nullptr;
    if (std::fclose(f) != 0) fail();
    if (overwrite) {
      struct stat st;
      if (::lstat(path_.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) throw not_regular_error(path_);
      if (::rename(temp_.c_str(), path_.c_str()) != 0) fail();
    } else {
      if (::link(temp_.c_str(), path_.c_str()) != 0) {
        if (errno == EEXIST) throw exists_error(path_);
        // File systems without hard links: check, then rename.
        struct stat st;
        if (::stat(path_.c_str(), &st) == 0) throw exists_error(path_);
        if (::rename(temp_.c_str(), path_.c_str()) != 0) fail();
        committed_ = true;
        return;
      }
      ::unlink(temp_.c_str());
    }
    committed_ = true;
  }

  static Error not_regular_error(const std::string& path) {
    return Error("InvalidArgument", "Export-Csv: '" + path +
                                        "' is not a regular file (a device, FIFO or socket); "
                                        "only regular files are written or replaced");
  }

  static Error exists_error(const std::string& path) {
    return Error("FileExists", "Export-Csv: '" + path + "' already exists; use -Force to overwrite it");
  }

 private:
  [[noreturn]] void fail() {
    throw Error("FileWriteFailed", "Export-Csv: cannot write '" + path_ + "': " + system_error());
  }

  std::string path_;
  std::string temp_;
  FILE* file_ = nullptr;
  bool committed_ = false;
};

std::unique_ptr<RecordStream> export_csv(Session&, const BoundParameters& params,
                                         std::unique_ptr<RecordStream> input) {
  const std::string path = params.string("Path").value_or("");
  if (path.empty()) throw Error("InvalidArgument", "Export-Csv: -Path must not be empty");
  const bool force = params.flag("Force");
  CsvOptions options = csv_options("Export-Csv", params);
  // A symbolic link is written through (see atomic_file.h); only a regular
  // file is ever replaced, never a device, FIFO or socket.
  const std::string target = resolve_output_path("Export-Csv", path);
  struct stat st;
  if (::lstat(target.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode))
      throw Error("InvalidArgument", "Export-Csv: '" + path + "' is a directory");
    if (!S_ISREG(st.st_mode)) throw ReplacementFile::not_regular_error(path);
    if (!force) throw ReplacementFile::exists_error(path);
  }
  ReplacementFile file(target);
  std::unique_ptr<RecordStream> rows = csv_stream(std::move(input), options);
  while (std::optional<Value> row = rows->next()) file.write_line(row->as_string());
  file.commit(force);
  return std::make_unique<VectorStream>(std::vector<Value>{});
}

}  // namespace

CmdletSpec convert_to_csv_cmdlet() {
  CmdletSpec spec;
  spec.name = "ConvertTo-Csv";
  spec.synopsis = "Writes the pipeline's records as CSV lines: a header row, then one row per record.";
  spec.description =
      "The header names the first record's properties; later records are written under it (a "
      "property they lack stays empty). Fields are quoted as RFC 4180 says: when they hold the "
      "delimiter, a double quote or a line break, with quotes doubled; -UseQuotes Always quotes "
      "every field. Nil is an empty field, numbers are written exactly, dates as ISO-8601. A "
      "value that is not a record is a row with one column, Value. No type line is written, "
      "so -NoTypeInformation is accepted and changes nothing.";
  spec.parameters = declare_parameters(csv_params());
  spec.outputs = {"String"};
  spec.examples = {
      {"Get-ConnectorReport -Days 30 | ConvertTo-Csv",
       "The daily connector report as CSV text."},
      {"Get-TlsUsage | ConvertTo-Csv -Delimiter ';' -UseQuotes Always",
       "Semicolon-separated, every field quoted, as some spreadsheet locales expect."},
  };
  spec.run = [](Session&, const BoundParameters& params,
                std::unique_ptr<RecordStream> input) -> std::unique_ptr<RecordStream> {
    return csv_stream(std::move(input), csv_options("ConvertTo-Csv", params));
  };
  return spec;
}

CmdletSpec export_csv_cmdlet() {
  CmdletSpec spec;
  spec.name = "Export-Csv";
  spec.synopsis = "Writes the pipeline's records to a CSV file.";
  spec.description =
      "Writes exactly what ConvertTo-Csv prints, one row per line (LF line ends, UTF-8 without "
      "a byte-order mark). An existing file is kept unless -Force is given. The rows go to a "
      "temporary file beside the destination, which replaces it only once every row is "
      "written: an error or Ctrl-C midway leaves the destination untouched. Emits nothing.";
  std::vector<ParamEntry> params = {
      Param::String("Path", "the CSV file to write").mandatory().position(0).completion(Completion::Path),
      Param::Switch("Force", "replace the file if it exists"),
  };
  for (ParamEntry& p : csv_params()) params.push_back(std::move(p));
  spec.parameters = declare_parameters(std::move(params), spec.name);
  spec.outputs = {};
  spec.examples = {
      {"Get-MessageTrace -Days 7 -NoConnector | Export-Csv -Path no-connector.csv",
       "Last week's traffic without a connector, into a new file."},
      {"Get-TlsUsage -ByConnector | Export-Csv tls.csv -Force -NoTypeInformation",
       "Replaces tls.csv with the TLS usage per connector."},
  };
  spec.run = export_csv;
  return spec;
}

}  // namespace mailflow
