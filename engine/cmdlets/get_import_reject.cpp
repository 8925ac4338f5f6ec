// Get-ImportReject: the malformed records kept by Import-MessageTrace,
// with their file, line, reason and raw text, in file and line order.
#include <memory>

#include "host/cmdlet.h"
#include "host/session.h"
#include "core/error.h"
#include "ingest/importer.h"
#include "store/import_bookkeeping.h"
#include "store/trace_store.h"
#include "host/parameters.h"

namespace mailflow {

namespace {

// Streams rows straight from SQLite, so a file with a million bad lines
// never sits in memory.
class RejectStream : public RecordStream {
 public:
  RejectStream(TraceStore& store, const std::optional<std::string>& path)
      : schema_(std::make_shared<const Schema>(std::vector<std::string>{"Path", "Line", "Reason", "Text"})),
        cursor_(store, path, path ? import_key_path(*path) : std::string()) {}

  std::optional<Value> next() override {
    auto row = cursor_.next();
    if (!row) return std::nullopt;
    return Value(Record(schema_, {Value(std::move(row->path)), Value(row->line), Value(std::move(row->reason)),
                                  Value(std::move(row->text))}));
  }

 private:
  std::shared_ptr<const Schema> schema_;
  ImportRejectCursor cursor_;
};

std::unique_ptr<RecordStream> run(Session& session, const BoundParameters& params,
                                  std::unique_ptr<RecordStream>) {
  if (!session.store) throw Error("NoStore", "Get-ImportReject: no trace store is open");
  return std::make_unique<RejectStream>(*session.store, params.string("Path"));
}

}  // namespace

CmdletSpec get_import_reject_cmdlet() {
  CmdletSpec spec;
  spec.name = "Get-ImportReject";
  spec.synopsis = "Lists the records Import-MessageTrace rejected, with file, line and reason.";
  spec.description =
      "Every malformed record an import met is kept: its file (absolute path), line number "
      "(the first line of a multi-line CSV record), the reason and the raw text. Importing a "
      "file again replaces that file's kept rejects, so a fixed file lists none.";
  spec.parameters = declare_parameters({
      Param::String("Path", "only the rejects of this file (as given to Import-MessageTrace)")
          .position(0)
          .completion(Completion::Path),
  });
  spec.outputs = {"Path", "Line", "Reason", "Text"};
  spec.examples = {
      {"Get-ImportReject", "Every kept reject of every imported file."},
      {"Get-ImportReject -Path exports/traces.csv | Select-Object Line, Reason",
       "Where and why records of one file were rejected."},
  };
  spec.run = run;
  return spec;
}

}  // namespace mailflow
