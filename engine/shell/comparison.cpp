#include "shell/comparison.h"

#include "core/error.h"
#include "core/text.h"

namespace mailflow {

namespace {

// Equality and order with the string/string case done without copies: it is
// the hot path of a filter over traces.
bool equal(const Value& a, const Value& b) {
  if (a.is_string() && b.is_string()) return iequals(a.as_string(), b.as_string());
  return values_equal(a, b);
}
int order(const Value& a, const Value& b) {
  if (a.is_string() && b.is_string()) return icompare(a.as_string(), b.as_string());
  return compare_values(a, b);
}

bool contains(const Value& collection, const Value& item) {
  if (collection.is_array()) {
    for (const Value& v : collection.as_array())
      if (equal(v, item)) return true;
    return false;
  }
  return equal(collection, item);
}

std::regex compile_regex(const std::string& pattern) {
  try {
    return std::regex(pattern, std::regex::ECMAScript | std::regex::icase);
  } catch (const std::regex_error& e) {
    throw Error("InvalidRegex", "The regular expression pattern " + pattern +
                                    " is not valid: " + e.what());
  }
}

bool text_of(const Value& v, std::string& scratch, std::string_view& out) {
  if (v.is_string()) {
    out = v.as_string();
    return true;
  }
  scratch = v.to_display();
  out = scratch;
  return true;
}

}  // namespace

std::optional<CompareOp> parse_compare_op(std::string_view name) {
  // -ieq is the explicit case-insensitive spelling of -eq.
  if (name.size() > 2 && (name[0] == 'i' || name[0] == 'I')) {
    for (const CompareOpInfo& o : kCompareOps)
      if (iequals(name.substr(1), o.name)) return o.op;
  }
  for (const CompareOpInfo& o : kCompareOps)
    if (iequals(name, o.name)) return o.op;
  return std::nullopt;
}

std::string_view compare_op_name(CompareOp op) {
  for (const CompareOpInfo& o : kCompareOps)
    if (o.op == op) return o.name;
  return "";
}

Wildcard::Wildcard(std::string_view pattern) {
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    Element e;
    e.kind = Element::Char;
    if (c == '`' && i + 1 < pattern.size()) {
      e.c = ascii_lower(pattern[++i]);
    } else if (c == '*') {
      e.kind = Element::Star;
      literal_ = false;
    } else if (c == '?') {
      e.kind = Element::Any;
      literal_ = false;
    } else if (c == '[' && pattern.find(']', i + 1) != std::string_view::npos) {
      size_t close = pattern.find(']', i + 1);
      e.kind = Element::Set;
      literal_ = false;
      std::string_view body = pattern.substr(i + 1, close - i - 1);
      if (!body.empty() && body[0] == '!') {  // not PowerShell, but what admins try first
        e.negate = true;
        body.remove_prefix(1);
      }
      for (size_t k = 0; k < body.size(); ++k) {
        char lo = ascii_lower(body[k]), hi = lo;
        if (k + 2 < body.size() && body[k + 1] == '-') {
          hi = ascii_lower(body[k + 2]);
          k += 2;
        }
        e.set += lo;
        e.set += hi;
      }
      i = close;
    } else {
      e.c = ascii_lower(c);
    }
    elements_.push_back(std::move(e));
  }
}

bool Wildcard::element_matches(const Element& e, char c) const {
  c = ascii_lower(c);
  switch (e.kind) {
    case Element::Char: return e.c == c;
    case Element::Any: return true;
    case Element::Set: {
      bool in = false;
      for (size_t k = 0; k + 1 < e.set.size(); k += 2)
        if (c >= e.set[k] && c <= e.set[k + 1]) in = true;
      return in != e.negate;
    }
    case Element::Star: return false;
  }
  return false;
}

// Classic greedy matching with one backtrack point per star: linear in
// practice, no recursion.
bool Wildcard::matches(std::string_view text) const {
  size_t p = 0, t = 0;
  size_t star_p = std::string::npos, star_t = 0;
  while (t < text.size()) {
    if (p < elements_.size() && elements_[p].kind == Element::Star) {
      star_p = p++;
      star_t = t;
    } else if (p < elements_.size() && element_matches(elements_[p], text[t])) {
      ++p;
      ++t;
    } else if (star_p != std::string::npos) {
      p = star_p + 1;
      t = ++star_t;
    } else {
      return false;
    }
  }
  while (p < elements_.size() && elements_[p].kind == Element::Star) ++p;
  return p == elements_.size();
}

Comparison::Comparison(CompareOp op, Value rhs) : op_(op), rhs_(std::move(rhs)) {
  if (op_ == CompareOp::Like || op_ == CompareOp::NotLike)
    wildcard_ = std::make_shared<Wildcard>(rhs_.to_display());
  if (op_ == CompareOp::Match || op_ == CompareOp::NotMatch)
    regex_ = std::make_shared<std::regex>(compile_regex(rhs_.to_display()));
}

bool Comparison::test_scalar(const Value& lhs) const {
  std::string scratch;
  std::string_view text;
  switch (op_) {
    case CompareOp::Eq: return equal(lhs, rhs_);
    case CompareOp::Ne: return !equal(lhs, rhs_);
    case CompareOp::Gt: return order(lhs, rhs_) > 0;
    case CompareOp::Ge: return order(lhs, rhs_) >= 0;
    case CompareOp::Lt: return order(lhs, rhs_) < 0;
    case CompareOp::Le: return order(lhs, rhs_) <= 0;
    case CompareOp::Like:
    case CompareOp::NotLike:
      text_of(lhs, scratch, text);
      return wildcard_->matches(text) == (op_ == CompareOp::Like);
    case CompareOp::Match:
    case CompareOp::NotMatch:
      text_of(lhs, scratch, text);
      return std::regex_search(text.begin(), text.end(), *regex_) == (op_ == CompareOp::Match);
    case CompareOp::In: return contains(rhs_, lhs);
    case CompareOp::NotIn: return !contains(rhs_, lhs);
    case CompareOp::Contains: return contains(lhs, rhs_);
    case CompareOp::NotContains: return !contains(lhs, rhs_);
  }
  return false;
}

bool Comparison::test(const Value& lhs) const {
  // With an array on the left PowerShell filters the array; as a condition
  // that is true when any element satisfies the operator. -contains and
  // -notcontains take the array as a whole.
  if (lhs.is_array() && op_ != CompareOp::Contains && op_ != CompareOp::NotContains &&
      op_ != CompareOp::In && op_ != CompareOp::NotIn) {
    for (const Value& item : lhs.as_array())
      if (test_scalar(item)) return true;
    return false;
  }
  return test_scalar(lhs);
}

bool compare(CompareOp op, const Value& lhs, const Value& rhs) {
  return Comparison(op, rhs).test(lhs);
}

}  // namespace mailflow
