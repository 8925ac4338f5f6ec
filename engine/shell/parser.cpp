#include "shell/parser.h"

#include "core/error.h"
#include "core/text.h"
#include "shell/lexer.h"

namespace mailflow {

namespace {

using K = Token::Kind;

bool is_constant_variable(const std::string& name) {
  return iequals(name, "true") || iequals(name, "false") || iequals(name, "null");
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : t_(std::move(tokens)) {}

  PipelineLine line() {
    PipelineLine out;
    if (peek().kind == K::Variable && peek(1).kind == K::Assign) {
      out.assign_to = peek().text;
      out.assign_column = peek().column;
      pos_ += 2;
      if (peek().kind == K::End)
        fail(peek(), "You must provide a value expression on the right-hand side of the '=' operator.");
    }
    if (peek().kind == K::Variable && !is_constant_variable(peek().text)) {
      out.source_variable = peek().text;
      out.source_column = peek().column;
      ++pos_;
      if (peek().kind == K::End) return out;
      if (peek().kind != K::Pipe) unexpected(peek());
      ++pos_;
    }
    while (true) {
      out.stages.push_back(stage());
      if (peek().kind == K::End) break;
      ++pos_;  // the pipe
    }
    return out;
  }

 private:
  const Token& peek(size_t ahead = 0) const {
    size_t i = pos_ + ahead;
    return i < t_.size() ? t_[i] : t_.back();
  }

  [[noreturn]] void fail(const Token& at, const std::string& message) const {
    throw Error("ParseError", message).at_column(at.column);
  }
  [[noreturn]] void unexpected(const Token& at) const {
    fail(at, "Unexpected token '" + describe_token(at) + "' in expression or statement.");
  }

  Stage stage() {
    const Token& first = peek();
    if (first.kind == K::Pipe || first.kind == K::End) fail(first, "An empty pipe element is not allowed.");
    Stage s;
    s.column = first.column;
    if (first.kind == K::Word) {
      s.command = first.text;
    } else if (first.kind == K::String) {
      s.command = first.text;  // & 'Get-MessageTrace' is not needed for a quoted name
    } else if (first.kind == K::Variable) {
      fail(first, "A variable can only start a pipeline: '" + describe_token(first) + "' cannot follow '|'.");
    } else {
      unexpected(first);
    }
    ++pos_;
    while (peek().kind != K::Pipe && peek().kind != K::End) {
      const Token& tok = peek();
      if (tok.kind == K::Parameter) {
        Argument a;
        a.is_name = true;
        a.name = tok.text;
        a.column = tok.column;
        a.colon = tok.colon;
        ++pos_;
        if (a.colon) {
          if (!starts_value(peek().kind))
            fail(tok, "Missing an argument for parameter '" + tok.text + "'.");
          a.value = value();
        }
        s.args.push_back(std::move(a));
        continue;
      }
      if (!starts_value(tok.kind) && tok.kind != K::LParen) unexpected(tok);
      Argument a;
      a.column = tok.column;
      a.value = value();
      s.args.push_back(std::move(a));
    }
    return s;
  }

  static bool starts_value(K kind) {
    return kind == K::Word || kind == K::String || kind == K::Variable || kind == K::ScriptBlock ||
           kind == K::Hashtable;
  }

  ArgValue element() {
    const Token& tok = peek();
    ArgValue v;
    v.column = tok.column;
    v.text = tok.text;
    switch (tok.kind) {
      case K::Word: v.kind = ArgValue::Kind::Bare; break;
      case K::String: v.kind = ArgValue::Kind::Quoted; break;
      case K::Variable: v.kind = ArgValue::Kind::Variable; break;
      case K::ScriptBlock:
        v.kind = ArgValue::Kind::ScriptBlock;
        v.inner_column = tok.inner_column;
        break;
      case K::Hashtable:
        v.kind = ArgValue::Kind::Hashtable;
        v.inner_column = tok.inner_column;
        break;
      case K::LParen:
        fail(tok, "Parenthesised expressions are not supported in arguments; give the value directly.");
      default: unexpected(tok);
    }
    ++pos_;
    return v;
  }

  ArgValue value() {
    ArgValue first = element();
    if (peek().kind != K::Comma) return first;
    ArgValue array;
    array.kind = ArgValue::Kind::Array;
    array.column = first.column;
    array.items.push_back(std::move(first));
    while (peek().kind == K::Comma) {
      const Token& comma = peek();
      ++pos_;
      if (!starts_value(peek().kind) && peek().kind != K::LParen)
        fail(comma, "Missing expression after ','.");
      array.items.push_back(element());
    }
    return array;
  }

  std::vector<Token> t_;
  size_t pos_ = 0;
};

}  // namespace

PipelineLine parse_pipeline(std::string_view text) {
  return Parser(tokenize(text, LexMode::Argument)).line();
}

}  // namespace mailflow
