// Where-Object filters, compiled once into an expression tree:
//
//   filter     := logical
//   logical    := unary ( ( -and | -or | -xor ) unary )*   equal precedence, left to right (as PowerShell)
//   unary      := ( -not | ! ) unary | comparison
//   comparison := additive ( -op additive )*
//   additive   := multiplicative ( ( + | - ) multiplicative )*
//   multiplicative := operand ( ( * | / | % ) operand )*
//   operand    := primary ( ',' primary )*                 an array
//   primary    := '(' logical ')' | $_ | $_.Prop.Sub | $true | $false | $null | $var
//               | 'string' | "string" | number
//
// A property node remembers the index of its property per Schema, so a
// filter over a million records with one schema looks each name up once.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/value.h"
#include "shell/binder.h"
#include "host/cmdlet.h"
#include "shell/comparison.h"

namespace mailflow {

class FilterNode;

// `$_.Property -op literal`: the shape pushdown can hand to a cmdlet.
struct SimpleCondition {
  std::string property;
  CompareOp op;
  Value value;
};

class Filter {
 public:
  explicit Filter(std::shared_ptr<const FilterNode> root) : root_(std::move(root)) {}
  bool test(const Value& item) const;
  // The filter as `$_.P -op literal [-and ...]`; nullopt when it has any other shape.
  std::optional<std::vector<SimpleCondition>> conjunction() const;

 private:
  std::shared_ptr<const FilterNode> root_;
};

// Compiles script-block text. `column_offset` is the column of the text's
// first character minus one, so errors point into the whole line. Throws
// Error("ParseError") / Error("InvalidRegex") / Error("VariableNotSet").
Filter compile_filter(std::string_view script, int column_offset, const VariableLookup& variables);

// A value expression: the same grammar, evaluated for its value (calculated
// properties: `@{n='KB'; e={ $_.Size / 1KB }}`). Arithmetic follows
// PowerShell: numbers add, subtract, multiply, divide (an integer result stays
// an integer: 10 / 4 is 2.5, 10 / 2 is 5) and take the remainder; a string on
// the left joins (`$_.Connector + ' (partner)'`); $null counts as 0 beside a
// number and as '' beside a string. Anything else is Error("InvalidOperation").
class Expression {
 public:
  Expression() = default;
  explicit Expression(std::shared_ptr<const FilterNode> root) : root_(std::move(root)) {}
  Value evaluate(const Value& item) const;

 private:
  std::shared_ptr<const FilterNode> root_;
};

Expression compile_expression(std::string_view script, int column_offset, const VariableLookup& variables);
// The value of one property (`@{n='Sender'; e='SenderAddress'}`).
Expression property_expression(const std::string& property);

// The simple form: `Where-Object Prop -op Value`; without an operator the
// property's truthiness (`Where-Object Connector`), negated by -Not.
Filter comparison_filter(const std::string& property, std::optional<CompareOp> op, const Value& value,
                         bool negate = false);

}  // namespace mailflow

namespace mailflow {

// The filter a bound Where-Object stands for: its FilterScript (compiled with
// `script_column_offset`), or Property with at most one operator switch
// (-EQ ... -NotContains) and Value, or -Not Property. Both the cmdlet and
// pushdown read Where-Object's parameters through this one function.
Filter where_filter(const BoundParameters& params, int script_column_offset,
                    const VariableLookup& variables);

}  // namespace mailflow
