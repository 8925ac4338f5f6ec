// The comparison operators of PowerShell, shared by both forms of
// Where-Object (`Where-Object Prop -op Value` and script blocks) and by
// pushdown. Strings compare case-insensitively (compare_values); -like takes
// * ? [a-z] wildcards; -match is a case-insensitive regular expression.
#pragma once

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>

#include "core/value.h"

namespace mailflow {

enum class CompareOp { Eq, Ne, Gt, Ge, Lt, Le, Like, NotLike, Match, NotMatch, In, NotIn, Contains, NotContains };

// "eq", "ieq", "NotLike", ... (case-insensitive); nullopt when not an operator.
std::optional<CompareOp> parse_compare_op(std::string_view name);
// "eq", "notlike", ...: the spelling pushdown rules use.
std::string_view compare_op_name(CompareOp op);

// A PowerShell wildcard pattern, compiled once.
class Wildcard {
 public:
  explicit Wildcard(std::string_view pattern);
  bool matches(std::string_view text) const;
  // True when the pattern has no wildcard characters.
  bool is_literal() const { return literal_; }

 private:
  struct Element {
    enum Kind { Char, Any, Star, Set } kind = Char;
    char c = 0;
    std::string set;  // for Set: pairs of (lo, hi), lower-cased
    bool negate = false;
  };
  std::vector<Element> elements_;
  bool literal_ = true;
  bool element_matches(const Element& e, char c) const;
};

// One operator with its right-hand side fixed in advance (a literal in the
// filter), so that patterns and regular expressions compile once.
class Comparison {
 public:
  // Throws Error("InvalidRegex") for a bad -match pattern.
  Comparison(CompareOp op, Value rhs);
  CompareOp op() const { return op_; }
  const Value& rhs() const { return rhs_; }
  bool test(const Value& lhs) const;

 private:
  bool test_scalar(const Value& lhs) const;
  CompareOp op_;
  Value rhs_;
  std::shared_ptr<const Wildcard> wildcard_;
  std::shared_ptr<const std::regex> regex_;
};

// For a right-hand side known only per record ($_.A -eq $_.B).
bool compare(CompareOp op, const Value& lhs, const Value& rhs);

}  // namespace mailflow
