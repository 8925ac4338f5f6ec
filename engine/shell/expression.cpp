#include "shell/expression.h"

#include <cmath>

#include "core/error.h"
#include "core/text.h"
#include "shell/lexer.h"

namespace mailflow {

// A node answers either as a condition (test) or as a value (operand). The
// value form returns a reference into the record when it can, so testing a
// property copies nothing; `scratch` holds computed values.
class FilterNode {
 public:
  virtual ~FilterNode() = default;
  virtual bool test(const Value& item) const {
    Value scratch;
    return operand(item, scratch).truthy();
  }
  virtual const Value& operand(const Value& item, Value& scratch) const {
    scratch = Value(test(item));
    return scratch;
  }
  virtual const Value* constant() const { return nullptr; }
};

namespace {

const Value kNull;

class ConstNode : public FilterNode {
 public:
  explicit ConstNode(Value v) : v_(std::move(v)) {}
  bool test(const Value&) const override { return v_.truthy(); }
  const Value& operand(const Value&, Value&) const override { return v_; }
  const Value* constant() const override { return &v_; }

 private:
  Value v_;
};

// $_ or $_.A.B. The first step is resolved by index, cached for the last
// schema seen (records of one source share their Schema object).
class PropertyNode : public FilterNode {
 public:
  explicit PropertyNode(std::vector<std::string> path) : path_(std::move(path)) {}
  const std::vector<std::string>& path() const { return path_; }

  const Value& operand(const Value& item, Value& scratch) const override {
    if (path_.empty()) return item;
    const Value* v = first_step(item, scratch);
    for (size_t i = 1; v && i < path_.size(); ++i) v = step(*v, path_[i], scratch);
    return v ? *v : kNull;
  }

 private:
  const Value* first_step(const Value& item, Value& scratch) const {
    if (!item.is_record()) return step(item, path_[0], scratch);
    const Record& r = item.as_record();
    const Schema* schema = r.schema_ptr().get();
    if (schema != cached_schema_) {
      cached_schema_ = schema;
      cached_index_ = schema->find(path_[0]);
    }
    return cached_index_ < 0 ? nullptr : &r.value(static_cast<size_t>(cached_index_));
  }

  // A member of a value: a record's property, or the Length of a string and
  // the Count/Length of an array as PowerShell offers them.
  static const Value* step(const Value& v, const std::string& name, Value& scratch) {
    if (v.is_record()) return v.as_record().get(name);
    if (v.is_string() && iequals(name, "Length")) {
      scratch = Value(static_cast<std::int64_t>(v.as_string().size()));
      return &scratch;
    }
    if (v.is_array() && (iequals(name, "Count") || iequals(name, "Length"))) {
      scratch = Value(static_cast<std::int64_t>(v.as_array().size()));
      return &scratch;
    }
    return nullptr;
  }

  std::vector<std::string> path_;
  mutable const Schema* cached_schema_ = nullptr;
  mutable int cached_index_ = -1;
};

class ArrayNode : public FilterNode {
 public:
  explicit ArrayNode(std::vector<std::shared_ptr<const FilterNode>> items) : items_(std::move(items)) {}
  const Value& operand(const Value& item, Value& scratch) const override {
    Array out;
    for (const auto& node : items_) {
      Value s;
      out.push_back(node->operand(item, s));
    }
    scratch = Value(std::move(out));
    return scratch;
  }

 private:
  std::vector<std::shared_ptr<const FilterNode>> items_;
};

class CompareNode : public FilterNode {
 public:
  CompareNode(std::shared_ptr<const FilterNode> lhs, CompareOp op, std::shared_ptr<const FilterNode> rhs)
      : lhs_(std::move(lhs)), op_(op), rhs_(std::move(rhs)) {
    if (const Value* c = rhs_->constant()) fixed_.emplace(op_, *c);
  }
  bool test(const Value& item) const override {
    Value ls;
    const Value& l = lhs_->operand(item, ls);
    if (fixed_) return fixed_->test(l);
    Value rs;
    return compare(op_, l, rhs_->operand(item, rs));
  }
  const FilterNode& lhs() const { return *lhs_; }
  CompareOp op() const { return op_; }
  const FilterNode& rhs() const { return *rhs_; }

 private:
  std::shared_ptr<const FilterNode> lhs_;
  CompareOp op_;
  std::shared_ptr<const FilterNode> rhs_;
  std::optional<Comparison> fixed_;
};

class LogicalNode : public FilterNode {
 public:
  enum class Kind { And, Or, Xor };
  LogicalNode(Kind kind, std::shared_ptr<const FilterNode> a, std::shared_ptr<const FilterNode> b)
      : kind_(kind), a_(std::move(a)), b_(std::move(b)) {}
  bool test(const Value& item) const override {
    switch (kind_) {
      case Kind::And: return a_->test(item) && b_->test(item);
      case Kind::Or: return a_->test(item) || b_->test(item);
      case Kind::Xor: return a_->test(item) != b_->test(item);
    }
    return false;
  }
  Kind kind() const { return kind_; }
  const FilterNode& a() const { return *a_; }
  const FilterNode& b() const { return *b_; }

 private:
  Kind kind_;
  std::shared_ptr<const FilterNode> a_, b_;
};

// a + b, a - b, a * b, a / b, a % b (see Expression in the header).
class ArithmeticNode : public FilterNode {
 public:
  ArithmeticNode(char op, std::shared_ptr<const FilterNode> a, std::shared_ptr<const FilterNode> b, int column)
      : op_(op), a_(std::move(a)), b_(std::move(b)), column_(column) {}
  const Value& operand(const Value& item, Value& scratch) const override {
    Value as, bs;
    const Value& a = a_->operand(item, as);
    const Value& b = b_->operand(item, bs);
    scratch = apply(a, b);
    return scratch;
  }

 private:
  [[noreturn]] void refuse(const Value& a, const Value& b) const {
    throw Error("InvalidOperation", std::string("The operator '") + op_ + "' cannot be applied to " +
                                        kind_name(a) + " and " + kind_name(b) + ".")
        .at_column(column_);
  }
  static std::string kind_name(const Value& v) {
    if (v.is_null()) return "$null";
    if (v.is_string()) return "the text '" + v.as_string() + "'";
    if (v.is_number()) return "the number " + v.to_display();
    return "'" + v.to_display() + "'";
  }
  static std::optional<Value> number_of(const Value& v) {
    if (v.is_null()) return Value(std::int64_t{0});
    if (v.is_number() || v.is_bool()) return v.is_bool() ? Value(std::int64_t{v.truthy()}) : v;
    if (v.is_string())
      if (auto n = parse_number(v.as_string())) return n;
    return std::nullopt;
  }
  Value apply(const Value& a, const Value& b) const {
    if (op_ == '+' && (a.is_string() || (a.is_null() && b.is_string())))
      return Value((a.is_null() ? "" : a.as_string()) + (b.is_null() ? "" : b.to_display()));
    if (!(a.is_number() || a.is_null() || a.is_bool())) refuse(a, b);
    auto x = number_of(a), y = number_of(b);
    if (!x || !y) refuse(a, b);
    if (x->is_int() && y->is_int()) {
      // Checked: a result that does not fit in 64 bits is an error, never a
      // wrapped value (signed overflow is undefined behaviour, and
      // INT64_MIN / -1 or % -1 traps with SIGFPE on x86).
      std::int64_t p = x->as_int(), q = y->as_int(), r = 0;
      bool overflow = false;
      switch (op_) {
        case '+': overflow = __builtin_add_overflow(p, q, &r); break;
        case '-': overflow = __builtin_sub_overflow(p, q, &r); break;
        case '*': overflow = __builtin_mul_overflow(p, q, &r); break;
        case '/':
          if (q == 0) divide_by_zero();
          if (q == -1) {
            overflow = __builtin_sub_overflow(std::int64_t{0}, p, &r);
            break;
          }
          if (p % q == 0) return Value(p / q);
          return Value(static_cast<double>(p) / static_cast<double>(q));
        case '%':
          if (q == 0) divide_by_zero();
          return Value(q == -1 ? std::int64_t{0} : p % q);
      }
      if (overflow)
        throw Error("ArithmeticOverflow", "Arithmetic operation resulted in an overflow: " +
                                              std::to_string(p) + " " + op_ + " " + std::to_string(q) + ".")
            .at_column(column_);
      return Value(r);
    }
    double p = x->as_number(), q = y->as_number();
    switch (op_) {
      case '+': return Value(p + q);
      case '-': return Value(p - q);
      case '*': return Value(p * q);
      case '/':
      case '%':
        if (q == 0) divide_by_zero();
        return Value(op_ == '/' ? p / q : std::fmod(p, q));
    }
    return Value();
  }
  [[noreturn]] void divide_by_zero() const {
    throw Error("InvalidOperation", "Attempted to divide by zero.").at_column(column_);
  }

  char op_;
  std::shared_ptr<const FilterNode> a_, b_;
  int column_;
};

class NotNode : public FilterNode {
 public:
  explicit NotNode(std::shared_ptr<const FilterNode> inner) : inner_(std::move(inner)) {}
  bool test(const Value& item) const override { return !inner_->test(item); }

 private:
  std::shared_ptr<const FilterNode> inner_;
};

using K = Token::Kind;
using NodePtr = std::shared_ptr<const FilterNode>;

class ExpressionParser {
 public:
  ExpressionParser(std::vector<Token> tokens, int end_column, const VariableLookup& variables)
      : t_(std::move(tokens)), end_column_(end_column), variables_(variables) {}

  NodePtr parse() {
    if (peek().kind == K::End)
      fail(end_column_, "The script block is empty: give a condition such as { $_.TlsVersion -eq 'TLS1.0' }.");
    NodePtr root = logical();
    if (peek().kind != K::End) unexpected(peek());
    return root;
  }

 private:
  const Token& peek() const { return t_[std::min(pos_, t_.size() - 1)]; }
  [[noreturn]] void fail(int column, const std::string& message) const {
    throw Error("ParseError", message).at_column(column);
  }
  [[noreturn]] void unexpected(const Token& at) const {
    fail(at.column, "Unexpected token '" + describe_token(at) + "' in expression or statement.");
  }

  std::optional<LogicalNode::Kind> logical_op() const {
    const Token& tok = peek();
    if (tok.kind != K::Parameter) return std::nullopt;
    if (iequals(tok.text, "and")) return LogicalNode::Kind::And;
    if (iequals(tok.text, "or")) return LogicalNode::Kind::Or;
    if (iequals(tok.text, "xor")) return LogicalNode::Kind::Xor;
    return std::nullopt;
  }

  NodePtr logical() {
    NodePtr left = unary();
    while (auto kind = logical_op()) {
      const Token& op = peek();
      ++pos_;
      if (peek().kind == K::End || peek().kind == K::RParen)
        fail(op.column, "Missing expression after operator '-" + op.text + "'.");
      left = std::make_shared<LogicalNode>(*kind, left, unary());
    }
    return left;
  }

  NodePtr unary() {
    const Token& tok = peek();
    if (tok.kind == K::Bang || (tok.kind == K::Parameter && iequals(tok.text, "not"))) {
      ++pos_;
      if (peek().kind == K::End || peek().kind == K::RParen)
        fail(tok.column, "Missing expression after unary operator '" + describe_token(tok) + "'.");
      return std::make_shared<NotNode>(unary());
    }
    return comparison();
  }

  NodePtr comparison() {
    NodePtr left = additive();
    while (peek().kind == K::Parameter && !logical_op()) {
      const Token& op_token = peek();
      auto op = parse_compare_op(op_token.text);
      if (!op) unexpected(op_token);
      ++pos_;
      const Token& next = peek();
      if (next.kind == K::End || next.kind == K::RParen || next.kind == K::Parameter)
        fail(op_token.column, "You must provide a value expression following the '-" + op_token.text +
                                  "' operator.");
      NodePtr right = additive();
      try {
        left = std::make_shared<CompareNode>(left, *op, right);
      } catch (Error& e) {  // a bad -match pattern: point at the pattern
        if (e.column() == 0) e.at_column(next.column);
        throw;
      }
    }
    return left;
  }

  bool at_operator(const char* ops) const {
    return peek().kind == K::Operator && std::string_view(ops).find(peek().text[0]) != std::string_view::npos;
  }

  // Both sides of a binary operator: `next` parses one side.
  template <typename Next>
  NodePtr binary(const char* ops, Next next) {
    NodePtr left = (this->*next)();
    while (at_operator(ops)) {
      const Token& op = peek();
      ++pos_;
      if (peek().kind == K::End || peek().kind == K::RParen || peek().kind == K::Parameter ||
          peek().kind == K::Operator)
        fail(op.column, "You must provide a value expression following the '" + op.text + "' operator.");
      left = std::make_shared<ArithmeticNode>(op.text[0], left, (this->*next)(), op.column);
    }
    return left;
  }
  NodePtr additive() { return binary("+-", &ExpressionParser::multiplicative); }
  NodePtr multiplicative() { return binary("*/%", &ExpressionParser::operand); }

  NodePtr operand() {
    NodePtr first = primary();
    if (peek().kind != K::Comma) return first;
    std::vector<NodePtr> items{first};
    bool all_constant = first->constant() != nullptr;
    while (peek().kind == K::Comma) {
      const Token& comma = peek();
      ++pos_;
      if (peek().kind == K::End || peek().kind == K::Parameter || peek().kind == K::RParen)
        fail(comma.column, "Missing expression after ','.");
      items.push_back(primary());
      all_constant = all_constant && items.back()->constant();
    }
    if (all_constant) {
      Array values;
      for (const NodePtr& n : items) values.push_back(*n->constant());
      return std::make_shared<ConstNode>(Value(std::move(values)));
    }
    return std::make_shared<ArrayNode>(std::move(items));
  }

  NodePtr primary() {
    const Token& tok = peek();
    switch (tok.kind) {
      case K::LParen: {
        ++pos_;
        if (peek().kind == K::RParen) fail(peek().column, "An expression was expected after '('.");
        NodePtr inner = logical();
        if (peek().kind != K::RParen) fail(tok.column, "Missing closing ')' in expression.");
        ++pos_;
        return inner;
      }
      case K::String: ++pos_; return std::make_shared<ConstNode>(Value(tok.text));
      case K::Word: {
        auto n = parse_number(tok.text);
        if (!n) unexpected(tok);
        ++pos_;
        return std::make_shared<ConstNode>(*n);
      }
      case K::Variable: {
        ++pos_;
        std::vector<std::string> parts = split(tok.text, '.');
        std::string name = parts.front();
        parts.erase(parts.begin());
        if (name == "_" || iequals(name, "PSItem")) return std::make_shared<PropertyNode>(std::move(parts));
        Value v;
        if (iequals(name, "true")) v = Value(true);
        else if (iequals(name, "false")) v = Value(false);
        else if (iequals(name, "null")) v = Value();
        else {
          std::optional<Value> found = variables_ ? variables_(name) : std::nullopt;
          if (!found)
            throw Error("VariableNotSet", "The variable '$" + name +
                                              "' cannot be retrieved because it has not been set.")
                .at_column(tok.column);
          v = *found;
        }
        if (!parts.empty()) {  // $var.Prop: resolve now, the variable does not change
          Value scratch;
          PropertyNode path(std::move(parts));
          v = Value(path.operand(v, scratch));
        }
        return std::make_shared<ConstNode>(std::move(v));
      }
      case K::ScriptBlock:
        fail(tok.column, "A script block cannot be used as a value inside a filter.");
      case K::End: fail(tok.column, "An expression was expected at the end of the script block.");
      default: unexpected(tok);
    }
  }

  std::vector<Token> t_;
  size_t pos_ = 0;
  int end_column_;
  const VariableLookup& variables_;
};

bool collect_conjunction(const FilterNode& node, std::vector<SimpleCondition>& out) {
  if (auto* logical = dynamic_cast<const LogicalNode*>(&node)) {
    if (logical->kind() != LogicalNode::Kind::And) return false;
    return collect_conjunction(logical->a(), out) && collect_conjunction(logical->b(), out);
  }
  auto* cmp = dynamic_cast<const CompareNode*>(&node);
  if (!cmp) return false;
  auto* prop = dynamic_cast<const PropertyNode*>(&cmp->lhs());
  const Value* value = cmp->rhs().constant();
  if (!prop || prop->path().size() != 1 || !value) return false;
  out.push_back({prop->path()[0], cmp->op(), *value});
  return true;
}

}  // namespace

bool Filter::test(const Value& item) const { return root_->test(item); }

Value Expression::evaluate(const Value& item) const {
  Value scratch;
  return root_->operand(item, scratch);
}

Expression compile_expression(std::string_view script, int column_offset, const VariableLookup& variables) {
  std::vector<Token> tokens = tokenize(script, LexMode::Expression, column_offset);
  int end_column = column_offset + static_cast<int>(script.size()) + 1;
  return Expression(ExpressionParser(std::move(tokens), end_column, variables).parse());
}

Expression property_expression(const std::string& property) {
  return Expression(std::make_shared<PropertyNode>(std::vector<std::string>{property}));
}

std::optional<std::vector<SimpleCondition>> Filter::conjunction() const {
  std::vector<SimpleCondition> out;
  if (!collect_conjunction(*root_, out)) return std::nullopt;
  return out;
}

Filter compile_filter(std::string_view script, int column_offset, const VariableLookup& variables) {
  std::vector<Token> tokens = tokenize(script, LexMode::Expression, column_offset);
  int end_column = column_offset + static_cast<int>(script.size()) + 1;
  return Filter(ExpressionParser(std::move(tokens), end_column, variables).parse());
}

Filter comparison_filter(const std::string& property, std::optional<CompareOp> op, const Value& value,
                         bool negate) {
  NodePtr prop = std::make_shared<PropertyNode>(std::vector<std::string>{property});
  NodePtr node = op ? std::make_shared<CompareNode>(prop, *op, std::make_shared<ConstNode>(value)) : prop;
  if (negate) node = std::make_shared<NotNode>(node);
  return Filter(node);
}

}  // namespace mailflow

namespace mailflow {

Filter where_filter(const BoundParameters& params, int script_column_offset,
                    const VariableLookup& variables) {
  std::optional<std::string> script = params.string("FilterScript");
  std::optional<std::string> property = params.string("Property");
  std::vector<CompareOp> ops;
  std::string op_names;
  for (const CompareOpInfo& o : kCompareOps) {
    if (!params.flag(o.name)) continue;
    ops.push_back(o.op);
    op_names += std::string(op_names.empty() ? "-" : ", -") + o.name;
  }
  bool negate = params.flag("Not");
  if (script && property)
    throw Error("AmbiguousParameterSet",
                "Where-Object takes either a script block or a property, not both.");
  if (script) {
    if (!ops.empty() || params.has("Value") || negate)
      throw Error("AmbiguousParameterSet", "Where-Object with a script block takes no " +
                                               (ops.empty() ? std::string(negate ? "-Not" : "-Value")
                                                            : op_names) + ".");
    return compile_filter(*script, script_column_offset, variables);
  }
  if (!property)
    throw Error("ParameterBindingFailed",
                "Where-Object needs a condition: Where-Object { $_.Percent -gt 50 } or "
                "Where-Object Percent -gt 50.");
  if (ops.size() > 1)
    throw Error("AmbiguousParameterSet",
                "Where-Object takes one comparison operator, got " + op_names + ".");
  if (ops.empty()) {
    if (params.has("Value"))
      throw Error("ParameterBindingFailed",
                  "Where-Object was given a value but no operator: add one such as -EQ or -Like.");
    return comparison_filter(*property, std::nullopt, Value(), negate);
  }
  if (negate)
    throw Error("AmbiguousParameterSet", "Where-Object takes -Not or an operator, not both.");
  const Value* value = params.find("Value");
  if (!value)
    throw Error("ParameterBindingFailed", "The " + op_names + " operator of Where-Object needs a value: Where-Object " +
                                              *property + " " + op_names + " <value>.");
  return comparison_filter(*property, ops.front(), *value);
}

}  // namespace mailflow
