// The Lua runtime as the shell and the REPL see it. Implemented in engine/lua;
// passed down through Session so that nothing below Lua depends on it.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/value.h"

namespace mailflow {

class ScriptHost {
 public:
  virtual ~ScriptHost() = default;

  // `$name = <pipeline>`: the Lua global `name` becomes an array of the records.
  virtual void set_variable(const std::string& name, const std::vector<Value>& values) = 0;
  // `$name | ...`: the values of Lua global `name` (an array table gives its
  // elements, anything else one value); nullopt when the global is nil.
  virtual std::optional<std::vector<Value>> get_variable(const std::string& name) = 0;

  // Runs one chunk of Lua typed at the REPL or given to -c. An expression's
  // values are printed to `out` as `lua -i` does. Throws mailflow::Error.
  virtual void run_interactive(const std::string& code, std::ostream& out) = 0;
  // False when `code` is an unfinished chunk (open function, table, string).
  virtual bool is_complete(const std::string& code) = 0;
  // Global names, for Tab completion in Lua mode.
  virtual std::vector<std::string> global_names() = 0;
};

}  // namespace mailflow
