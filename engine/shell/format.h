// Human-readable output: the table and list views of PowerShell's Format-Table
// and Format-List. A pipeline that ends without a formatter prints a table
// (SPEC 5), so the shell's run_line uses table_stream too.
//
// Both views produce lines without a trailing newline; the host prints them
// one per line. Nothing here writes to a stream.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "host/cmdlet.h"
#include "core/value.h"

namespace mailflow {

struct TableOptions {
  // Columns to show, in order; `*` and `?` wildcards are expanded against the
  // first record's properties. Empty: the first record's properties.
  std::vector<std::string> properties;
  // Lines never exceed this many characters (0: no limit). Wide cells are cut
  // with an ellipsis; columns that cannot fit at all are dropped and named in
  // a note after the table.
  int max_width = 0;
  // Ellipsis glyph: `…` when true, `...` otherwise (a non-UTF-8 terminal:
  // see locale_is_utf8 in core/terminal.h).
  bool unicode = true;
  // Column widths come from the first `layout_rows` records (Format-Table
  // without -AutoSize streams the rest, cutting cells that are wider);
  // the default reads every record first.
  size_t layout_rows = static_cast<size_t>(-1);
  // Names the cmdlet in error messages ("Format-Table: -Property 'X' ...").
  std::string cmdlet = "Format-Table";
};

struct ListOptions {
  // Properties to show (wildcards allowed). Empty: each record's own properties.
  std::vector<std::string> properties;
  std::string cmdlet = "Format-List";
};

// Format-Table: header, dashes under each header, one line per record; the
// first record's properties decide the columns; numbers are right-aligned;
// nil shows as `(none)`, a property the record lacks as an empty cell.
// Scalars (strings, numbers...) print one per line; empty input prints nothing.
// Throws Error("PropertyNotFound") when a -Property name without wildcards is
// not a property of the first record.
std::vector<std::string> format_table(const std::vector<Value>& values, const TableOptions& options);
// The same, pulling records lazily and yielding one String value per line.
std::unique_ptr<RecordStream> table_stream(std::unique_ptr<RecordStream> input, TableOptions options);

// Format-List: one `Name : Value` block per record, colons aligned within the
// block, blocks separated by an empty line; a multi-line value continues under
// its first line. Scalars print one per line.
std::vector<std::string> format_list(const std::vector<Value>& values, const ListOptions& options);
std::unique_ptr<RecordStream> list_stream(std::unique_ptr<RecordStream> input, ListOptions options);

// The text of a value in a table or list cell: nil is `(none)` (SPEC 4).
std::string cell_text(const Value& value);

// Case-insensitive wildcard match: `*` any run, `?` one character.
bool wildcard_match(std::string_view pattern, std::string_view text);
bool has_wildcard(std::string_view pattern);

// `text` cut to at most `width` terminal columns (core/text.h display_width),
// ending in the ellipsis when cut.
std::string truncate_display(std::string_view text, size_t width, bool unicode);

}  // namespace mailflow
