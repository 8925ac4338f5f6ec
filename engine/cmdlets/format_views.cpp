// Format-Table and Format-List: the table and list views of engine/shell/format
// as cmdlets. They emit lines of text (String values), which the host prints
// as they are.
#include <cstdlib>

#include "host/cmdlet.h"
#include "cmdlets/projection.h"
#include "host/session.h"
#include "core/terminal.h"
#include "shell/format.h"
#include "host/parameters.h"

namespace mailflow {

namespace {

// Without -AutoSize, column widths come from this many records and later
// wider cells are cut: a table of a million traces starts printing at once
// (PowerShell waits 300 ms for the same reason). Reports are far shorter.
constexpr size_t kTableLayoutRows = 1000;

bool terminal_is_utf8() {
  return locale_is_utf8([](const char* name) { return std::getenv(name); });
}

// -Property as the view's list of names; with calculated properties the
// records are first projected (Select-Object's projection) and shown whole.
std::vector<std::string> view_properties(Session& session, const BoundParameters& params,
                                         std::unique_ptr<RecordStream>& input) {
  std::vector<Selector> selectors = property_selectors(session, params);
  if (!has_calculated(selectors)) return params.strings("Property");
  input = projected(std::move(input), Projection(std::move(selectors), {}));
  return {};
}

}  // namespace

CmdletSpec format_table_cmdlet() {
  CmdletSpec spec;
  spec.name = "Format-Table";
  spec.aliases = {"ft"};
  spec.synopsis = "Shows records as a table, one line per record.";
  spec.description =
      "Columns are the first record's properties, or -Property (wildcards allowed, e.g. Tls*), "
      "in that order; a record lacking a column leaves it empty. Numbers are right-aligned and "
      "nil shows as (none). Lines never exceed the terminal width: the widest columns are cut "
      "first, with an ellipsis, and columns that cannot fit are dropped and named in a note "
      "after the table. Column widths come from the first 1000 records, later wider cells are "
      "cut; with -AutoSize they come from all records. Values that are not records print one "
      "per line. A pipeline that ends without a formatter prints this table.";
  spec.parameters = declare_parameters({
      property_parameter("properties to show as columns, in order (wildcards allowed), or "
                         "calculated properties @{Name='KB'; Expression={ $_.Size / 1KB }}"),
      Param::Switch("AutoSize", "size the columns from every record (reads all records before printing)"),
  });
  spec.outputs = {"String"};
  spec.examples = {
      {"Get-TlsUsage -ByConnector -Direction Inbound | Format-Table Connector,TlsVersion,Percent",
       "Inbound TLS shares per connector with three columns."},
      {"Get-MessageTrace -Days 1 | Format-Table -Property Received,Sender*,Status -AutoSize",
       "Yesterday's and today's traces, columns sized to the whole result."},
  };
  spec.run = [](Session& session, const BoundParameters& params,
                std::unique_ptr<RecordStream> input) -> std::unique_ptr<RecordStream> {
    TableOptions options;
    options.properties = view_properties(session, params, input);
    options.max_width = session.terminal_width;
    options.unicode = terminal_is_utf8();
    if (!params.flag("AutoSize")) options.layout_rows = kTableLayoutRows;
    return table_stream(std::move(input), std::move(options));
  };
  return spec;
}

CmdletSpec format_list_cmdlet() {
  CmdletSpec spec;
  spec.name = "Format-List";
  spec.aliases = {"fl"};
  spec.synopsis = "Shows each record as a list of Name : Value lines.";
  spec.description =
      "Each record becomes a block of lines, one per property, with the colons aligned; blocks "
      "are separated by an empty line. Without -Property every record shows its own "
      "properties; with it (wildcards allowed) those properties, in that order. Nil shows as "
      "(none); a value spanning lines continues under its first line. Nothing is cut, so this "
      "is the view for records too wide for a table.";
  spec.parameters = declare_parameters({property_parameter(
      "properties to show, in order (wildcards allowed), or calculated properties @{Name='KB'; Expression={ $_.Size / 1KB }}")});
  spec.outputs = {"String"};
  spec.examples = {
      {"Get-MailFlowInsights | Format-List", "Every property of every insight that fired."},
      {"Get-MessageTrace -Days 1 -PageSize 1 | Format-List *Address,TlsVersion",
       "The newest trace's addresses and TLS version."},
  };
  spec.run = [](Session& session, const BoundParameters& params,
                std::unique_ptr<RecordStream> input) -> std::unique_ptr<RecordStream> {
    ListOptions options;
    options.properties = view_properties(session, params, input);
    return list_stream(std::move(input), std::move(options));
  };
  return spec;
}

}  // namespace mailflow
