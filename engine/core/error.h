// Errors are values with a stable id, a message naming the thing at fault and,
// when known, where it happened (a file and line, or a column in a pipeline).
#pragma once

#include <stdexcept>
#include <string>

namespace mailflow {

// A terminating error: stops the current command. Per-record problems (a bad
// line in an import) are not errors; they are kept and counted as rejects.
class Error : public std::runtime_error {
 public:
  // `id` is stable and machine-readable (e.g. "ParameterBindingFailed");
  // `message` is the one line an administrator reads. Messages quote data
  // (file names, field values, connector names), and what() is a C string:
  // a NUL in that data would end the message there, hiding the rest. So the
  // message goes through terminal_safe (core/terminal.h) here, which shows a
  // NUL as \x00 (and every other control as the output paths would).
  Error(std::string id, const std::string& message);

  const std::string& id() const { return id_; }

  // Column (1-based) in the pipeline text the error refers to, 0 if unknown.
  int column() const { return column_; }
  Error& at_column(int column) {
    column_ = column;
    return *this;
  }

 private:
  std::string id_;
  int column_ = 0;
};

}  // namespace mailflow
