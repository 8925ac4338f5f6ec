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

// The operator table: every comparison operator once, with the name that
// script blocks (-eq), Where-Object's switch (-EQ) and pushdown rules ("eq")
// spell, and the help Where-Object shows for its switch. Parsing, naming,
// Where-Object's parameters and its simple form all read this.
struct CompareOpInfo {
  CompareOp op;
  const char* name;    // lower case: "eq", "notlike"
  const char* switch_name;  // as Where-Object declares it: "EQ", "NotLike"
  const char* help;
};
inline constexpr CompareOpInfo kCompareOps[] = {
    {CompareOp::Eq, "eq", "EQ", "Equal (case-insensitive for strings)."},
    {CompareOp::Ne, "ne", "NE", "Not equal."},
    {CompareOp::Gt, "gt", "GT", "Greater than."},
    {CompareOp::Ge, "ge", "GE", "Greater than or equal."},
    {CompareOp::Lt, "lt", "LT", "Less than."},
    {CompareOp::Le, "le", "LE", "Less than or equal."},
    {CompareOp::Like, "like", "Like", "Matches a wildcard pattern (* ? [a-z])."},
    {CompareOp::NotLike, "notlike", "NotLike", "Does not match a wildcard pattern."},
    {CompareOp::Match, "match", "Match", "Matches a regular expression (case-insensitive)."},
    {CompareOp::NotMatch, "notmatch", "NotMatch", "Does not match a regular expression."},
    {CompareOp::In, "in", "In", "The property's value is one of Value's items."},
    {CompareOp::NotIn, "notin", "NotIn", "The property's value is none of Value's items."},
    {CompareOp::Contains, "contains", "Contains", "The property (a collection) contains Value."},
    {CompareOp::NotContains, "notcontains", "NotContains", "The property (a collection) does not contain Value."},
};

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
