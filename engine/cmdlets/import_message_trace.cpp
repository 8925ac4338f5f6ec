// Import-MessageTrace: imports trace files into the store, one summary
// record per file. The work is in engine/ingest (importer.h); this file
// binds parameters to ImportOptions and shapes the summary.
#include <glob.h>

#include <iostream>
#include <memory>

#include "host/cmdlet.h"
#include "cmdlets/mail_flow_config.h"
#include "host/parameters.h"
#include "host/session.h"
#include "core/terminal.h"
#include "core/error.h"
#include "core/text.h"
#include "locale/messages.h"
#include "ingest/importer.h"
#include "store/trace_store.h"

namespace mailflow {

namespace {

const std::shared_ptr<const Schema>& summary_schema(bool log_format) {
  static const auto canonical = std::make_shared<const Schema>(
      std::vector<std::string>{"Path", "Format", "Lines", "Imported", "Duplicates", "Rejected"});
  static const auto log = std::make_shared<const Schema>(std::vector<std::string>{
      "Path", "Format", "Lines", "Imported", "Duplicates", "Rejected", "Refused", "Incomplete", "Ignored"});
  return log_format ? log : canonical;
}

Value summary_record(const ImportSummary& s) {
  std::vector<Value> values = {Value(s.path),       Value(s.format),     Value(s.lines),
                               Value(s.imported),   Value(s.duplicates), Value(s.rejected)};
  if (s.log_format) {
    values.emplace_back(s.refused);
    values.emplace_back(s.incomplete);
    values.emplace_back(s.ignored);
  }
  return Value(Record(summary_schema(s.log_format), std::move(values)));
}

std::vector<std::string> config_list(TraceStore& store, const char* key) {
  std::vector<std::string> out;
  if (auto v = store.get_config(key))
    for (const std::string& item : split(*v, ','))
      if (!trim(item).empty()) out.emplace_back(trim(item));
  return out;
}

// -Path takes wildcards as PowerShell does (`logs/*.csv`): a pattern stands
// for its matches in name order and must match something.
std::vector<std::string> expand_paths(const std::vector<std::string>& given) {
  std::vector<std::string> out;
  for (const std::string& p : given) {
    if (p.find_first_of("*?[") == std::string::npos) {
      out.push_back(p);
      continue;
    }
    glob_t g{};
    int rc = ::glob(p.c_str(), 0, nullptr, &g);
    std::unique_ptr<glob_t, void (*)(glob_t*)> guard(&g, globfree);
    if (rc == GLOB_NOMATCH) throw Error("FileNotFound", "cannot import '" + p + "': no file matches it");
    if (rc != 0) throw Error("FileUnreadable", "cannot import '" + p + "': cannot list the matching files");
    for (std::size_t i = 0; i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
  }
  return out;
}

// Imports one file per pull, so each summary appears as soon as its file is done.
class ImportStream : public RecordStream {
 public:
  ImportStream(Session& session, std::vector<std::string> paths, ImportOptions options, bool verbose)
      : import_(*session.store, std::move(paths), std::move(options)), verbose_(verbose) {}

  std::optional<Value> next() override {
    std::optional<ImportSummary> one = import_.next();
    if (!one) return std::nullopt;
    const ImportSummary& s = *one;
    const std::string& path = s.path;
    if (s.rejected > 0)
      // The warning stream of PowerShell: says where the kept rejects are.
      std::cerr << terminal_safe("WARNING: " + format_message(_n("%1$s record of '%2$s' rejected and kept; list it with: "
                                     "Get-ImportReject -Path '%2$s'",
                                     "%1$s records of '%2$s' rejected and kept; list them with: "
                                     "Get-ImportReject -Path '%2$s'",
                                     s.rejected),
                                  {current_culture().count(s.rejected), path}))
                << "\n";
    if (verbose_ && s.ignored > 0) {
      // -Verbose: what the Ignored count is made of, by program.
      // Program names come from the log (the syslog tag): terminal_safe.
      std::string line = "VERBOSE: '" + path + "': " + std::to_string(s.ignored) + " line(s) ignored:";
      for (const auto& [program, count] : s.ignored_by_program)
        line += " " + program + " " + std::to_string(count) + ";";
      std::cerr << terminal_safe(line) << "\n";
    }
    return summary_record(s);
  }

 private:
  MultiFileImport import_;
  bool verbose_;
};

std::unique_ptr<RecordStream> run(Session& session, const BoundParameters& params,
                                  std::unique_ptr<RecordStream>) {
  if (!session.store) throw Error("NoStore", "Import-MessageTrace: no trace store is open");
  ImportOptions options;
  options.format = params.string("Format").value_or("Auto");
  options.interrupted = session.interrupted;
  ReaderOptions& reader = options.reader;
  if (auto year = params.integer("Year")) reader.year = static_cast<int>(*year);
  if (auto tz = params.string("TimeZone")) {
    reader.time_zone = *tz;
    if (auto offset = parse_utc_offset(*tz)) reader.utc_offset_seconds = *offset;
  }
  reader.today = session.today;
  reader.organization_domains = config_list(*session.store, kOrganizationDomains);
  reader.internal_networks = config_list(*session.store, kInternalNetworks);
  // Rotated logs oldest first, so queue ids continue from one file to the next.
  std::vector<std::string> paths = rotation_order(expand_paths(params.strings("Path")));
  if (paths.empty()) throw Error("ParameterBindingFailed", "Import-MessageTrace: -Path names no file");
  return std::make_unique<ImportStream>(session, std::move(paths), std::move(options), params.flag("Verbose"));
}

}  // namespace

CmdletSpec import_message_trace_cmdlet() {
  CmdletSpec spec;
  spec.name = "Import-MessageTrace";
  spec.synopsis = "Imports message trace files (CSV, JSON Lines, server logs) into the store.";
  spec.description =
      "Reads each file in a streaming pass and adds its traces to the store in batched "
      "transactions. Importing a file again adds nothing (Duplicates). A malformed record is "
      "counted under Rejected and kept with its file, line and reason (Get-ImportReject); the "
      "import goes on. An interrupted import keeps the batches it committed; running it again "
      "completes it. -Format Auto (the default) tells the format from the first line: '{' is "
      "JSON Lines, a header naming the canonical keys is CSV, and Postfix logs in every transport "
      "(classic syslog, rsyslog RFC 3339 and RFC 5424, maillog_file, journalctl short, "
      "short-precise, short-iso, short-full, json and export) are Postfix. Compressed files (gzip, "
      "xz, zstd) are read as they are. Several files, given or matched by a wildcard, are imported "
      "oldest rotation first (mail.log.2.gz, mail.log.1, mail.log) and queue ids continue from one "
      "to the next; a Postfix message still in flight at the end of an import is left to the next "
      "import of the lines that follow, so that separate imports make the records of one. Log formats also count Refused sessions, Incomplete queue ids and Ignored lines of "
      "other programs; which log lines cross the boundary: Get-Help about_Boundary. Lines longer "
      "than 65536 bytes and fields longer than 4096 bytes are rejected.";
  spec.parameters = declare_parameters({
      Param::Strings("Path", "files to import (wildcards allowed)").mandatory().position(0).completion(Completion::Path),
      Param::Enum("Format",
                  {"Auto", "Csv", "Jsonl", "Postfix", "ExchangeTracking", "ExchangeProtocol", "ExchangeOnline",
                   "ExchangeConnectorReport"},
                  "file format, or Auto to detect it")
          .default_value(Value("Auto")),
      Param::Int("Year", "year of log lines that carry none (syslog)").min(1970).max(9999),
      Param::String("TimeZone", "time zone of timestamps written without an offset (e.g. +01:00, UTC)"),
      Param::Switch("Verbose", "also write the Ignored lines' count per program to the error stream"),
  });
  spec.outputs = {"Path", "Format", "Lines", "Imported", "Duplicates", "Rejected", "Refused", "Incomplete",
                  "Ignored"};
  spec.examples = {
      {"Import-MessageTrace -Path examples/sample-traces.csv",
       "Imports the bundled sample data; a second run reports every record under Duplicates."},
      {"Import-MessageTrace -Path 'examples/*.csv' -Format Csv",
       "Imports every CSV file of a folder, in name order, one summary line each."},
      {"Import-MessageTrace -Path '/var/log/mail.log*' -Year 2026",
       "Imports mail.log.2.gz, mail.log.1 and mail.log in that order, as one log."},
      {"Import-MessageTrace -Path examples/sample-traces.csv -TimeZone +01:00",
       "Takes timestamps written without an offset as UTC+01:00 (those with one keep theirs)."},
  };
  spec.run = run;
  return spec;
}

}  // namespace mailflow
