// The syntax of one pipeline line:
//
//   line     := [ $name '=' ] pipeline
//   pipeline := ( $name | stage ) ( '|' stage )*
//   stage    := command ( -Parameter[:value] | value )*
//   value    := element ( ',' element )*          an array when there are commas
//   element  := word | 'string' | "string" | $variable | { script block }
//             | @{ hashtable }                   (its body is read by the binder)
//
// Which parameter takes which value is decided by the binder from cmdlet
// metadata (a switch takes none), so the parser keeps names and values apart.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mailflow {

struct ArgValue {
  enum class Kind { Bare, Quoted, Variable, ScriptBlock, Hashtable, Array };
  Kind kind = Kind::Bare;
  std::string text;             // word, string contents, variable name or block text
  int column = 0;
  int inner_column = 0;         // ScriptBlock, Hashtable: column of the body's first character
  std::vector<ArgValue> items;  // Array
};

struct Argument {
  bool is_name = false;  // -Name (possibly with an attached :value)
  std::string name;
  bool colon = false;  // -Name:value; `value` holds the value
  int column = 0;
  ArgValue value;  // a positional value, or the attached value of -Name:value
};

struct Stage {
  std::string command;
  int column = 0;
  std::vector<Argument> args;
};

struct PipelineLine {
  std::string assign_to;  // `$name = ...`: "name"; empty otherwise
  int assign_column = 0;
  std::string source_variable;  // pipeline starting with `$name`
  int source_column = 0;
  std::vector<Stage> stages;  // may be empty when the line is `$name` alone
};

// Throws mailflow::Error("ParseError") with the column of the fault.
PipelineLine parse_pipeline(std::string_view text);

}  // namespace mailflow
