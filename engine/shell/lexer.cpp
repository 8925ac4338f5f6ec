#include "shell/lexer.h"

#include <cctype>

#include "core/error.h"

namespace mailflow {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_ident(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

class Lexer {
 public:
  Lexer(std::string_view text, LexMode mode, int offset, bool tolerant = false)
      : s_(text), mode_(mode), offset_(offset), tolerant_(tolerant) {}

  std::vector<Token> run() {
    std::vector<Token> out;
    while (true) {
      while (i_ < s_.size() && is_space(s_[i_])) ++i_;
      if (i_ >= s_.size()) break;
      if (s_[i_] == '#') break;  // a comment runs to the end of the line
      out.push_back(next());
      out.back().end_column = col(i_);
    }
    Token end;
    end.kind = Token::Kind::End;
    end.column = col(s_.size());
    out.push_back(end);
    return out;
  }

 private:
  int col(size_t pos) const { return static_cast<int>(pos) + 1 + offset_; }

  [[noreturn]] void fail(size_t pos, const std::string& message) const {
    throw Error("ParseError", message).at_column(col(pos));
  }

  Token make(Token::Kind kind, size_t start, std::string text) const {
    Token t;
    t.kind = kind;
    t.column = col(start);
    t.text = std::move(text);
    return t;
  }

  // Tolerant mode: what the text holds so far, up to its end.
  Token partial(Token::Kind kind, size_t start, std::string text) {
    i_ = s_.size();
    Token t = make(kind, start, std::move(text));
    t.partial = true;
    return t;
  }

  bool ends_word(size_t at) const {
    char c = s_[at];
    if (is_space(c) || c == '|' || c == ',' || c == '(' || c == ')' || c == '{' || c == '}' ||
        c == ';')
      return true;
    if (mode_ == LexMode::Hashtable) return c == '=';  // @{n=...}
    if (mode_ != LexMode::Expression) return false;
    // `$_.Size/1KB`: an arithmetic operator ends a number, except the sign of
    // an exponent (1e+5).
    if (c == '*' || c == '/' || c == '%') return true;
    return c == '+' && !(at > 0 && (s_[at - 1] == 'e' || s_[at - 1] == 'E'));
  }

  Token next() {
    size_t start = i_;
    char c = s_[i_];
    switch (c) {
      case '|': ++i_; return make(Token::Kind::Pipe, start, "|");
      case ',': ++i_; return make(Token::Kind::Comma, start, ",");
      case '=': ++i_; return make(Token::Kind::Assign, start, "=");
      case '(': ++i_; return make(Token::Kind::LParen, start, "(");
      case ')': ++i_; return make(Token::Kind::RParen, start, ")");
      case '{': return braced(Token::Kind::ScriptBlock, start);
      case '}':
        if (tolerant_) {
          ++i_;
          return make(Token::Kind::Word, start, "}");
        }
        fail(start, "Unexpected token '}' in expression or statement.");
      case ';':
        if (mode_ == LexMode::Hashtable || tolerant_) {
          ++i_;
          return make(Token::Kind::Semicolon, start, ";");
        }
        fail(start, "Statement separators (';') are not supported: run one pipeline per line.");
      case '@':
        if (mode_ != LexMode::Expression && i_ + 1 < s_.size() && s_[i_ + 1] == '{') {
          ++i_;
          return braced(Token::Kind::Hashtable, start);
        }
        break;
      case '+':
      case '*':
      case '/':
      case '%':
        if (mode_ == LexMode::Expression) {
          ++i_;
          return make(Token::Kind::Operator, start, std::string(1, c));
        }
        break;
      case '\'': return single_quoted();
      case '"': return double_quoted();
      case '$': return variable();
      case '!':
        if (mode_ == LexMode::Expression) {
          ++i_;
          return make(Token::Kind::Bang, start, "!");
        }
        break;
      case '-':
        if (i_ + 1 < s_.size() && (std::isalpha(static_cast<unsigned char>(s_[i_ + 1])) || s_[i_ + 1] == '_'))
          return parameter();
        // Subtraction: `$_.Messages - 1`. Without the space, -1 is a number.
        if (mode_ == LexMode::Expression && (i_ + 1 == s_.size() || is_space(s_[i_ + 1]))) {
          ++i_;
          return make(Token::Kind::Operator, start, "-");
        }
        break;
      default: break;
    }
    return word();
  }

  Token parameter() {
    size_t start = i_++;
    while (i_ < s_.size() && (is_ident(s_[i_]) || s_[i_] == '-' || s_[i_] == '?')) {
      // `-Days-5` is not a thing; a hyphen ends the name unless a letter follows.
      if (s_[i_] == '-') break;
      ++i_;
    }
    Token t = make(Token::Kind::Parameter, start, std::string(s_.substr(start + 1, i_ - start - 1)));
    if (i_ < s_.size() && s_[i_] == ':') {
      t.colon = true;
      ++i_;
    }
    return t;
  }

  Token word() {
    size_t start = i_;
    while (i_ < s_.size() && !ends_word(i_)) {
      // In an expression an operator may follow a value without a space only
      // after a closing quote or paren, so a word simply runs to a delimiter.
      ++i_;
    }
    return make(Token::Kind::Word, start, std::string(s_.substr(start, i_ - start)));
  }

  Token variable() {
    size_t start = i_++;
    size_t name_start = i_;
    while (i_ < s_.size() && (is_ident(s_[i_]) || s_[i_] == ':')) ++i_;
    if (i_ == name_start && tolerant_) {
      Token t = make(Token::Kind::Variable, start, "");
      t.partial = true;
      return t;
    }
    if (i_ == name_start) fail(start, "Variable reference is not valid. '$' was not followed by a valid variable name character.");
    // Member access: $_.Prop.Sub
    while (i_ + 1 < s_.size() && s_[i_] == '.' && is_ident(s_[i_ + 1])) {
      ++i_;
      while (i_ < s_.size() && is_ident(s_[i_])) ++i_;
    }
    return make(Token::Kind::Variable, start, std::string(s_.substr(name_start, i_ - name_start)));
  }

  // 'it''s': two single quotes stand for one; nothing else is special.
  Token single_quoted() {
    size_t start = i_++;
    std::string text;
    while (true) {
      if (i_ >= s_.size()) {
        if (tolerant_) return partial(Token::Kind::String, start, std::move(text));
        fail(start, "The string is missing the terminator: '.");
      }
      char c = s_[i_++];
      if (c == '\'') {
        if (i_ < s_.size() && s_[i_] == '\'') {
          text += '\'';
          ++i_;
          continue;
        }
        break;
      }
      text += c;
    }
    return make(Token::Kind::String, start, std::move(text));
  }

  // "a`tb ""c""": backtick escapes (`n `t `r `0 `" `` `$) and "" for ".
  // Variables are not expanded inside double quotes (see README).
  Token double_quoted() {
    size_t start = i_++;
    std::string text;
    while (true) {
      if (i_ >= s_.size()) {
        if (tolerant_) return partial(Token::Kind::String, start, std::move(text));
        fail(start, "The string is missing the terminator: \".");
      }
      char c = s_[i_++];
      if (c == '"') {
        if (i_ < s_.size() && s_[i_] == '"') {
          text += '"';
          ++i_;
          continue;
        }
        break;
      }
      if (c == '`') {
        if (i_ >= s_.size()) {
          if (tolerant_) return partial(Token::Kind::String, start, std::move(text));
          fail(start, "The string is missing the terminator: \".");
        }
        char e = s_[i_++];
        switch (e) {
          case 'n': text += '\n'; break;
          case 't': text += '\t'; break;
          case 'r': text += '\r'; break;
          case '0': text += '\0'; break;
          case 'a': text += '\a'; break;
          default: text += e; break;  // `" `` `$ `' and any other character stand for themselves
        }
        continue;
      }
      text += c;
    }
    return make(Token::Kind::String, start, std::move(text));
  }

  // { ... } (or @{ ... }, `start` at the '@') up to the matching brace;
  // quotes inside are skipped so that a brace in a string does not end it.
  Token braced(Token::Kind kind, size_t start) {
    ++i_;  // the '{'
    const size_t body = i_;
    int depth = 1;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == '\'' || c == '"') {
        char q = c;
        ++i_;
        while (i_ < s_.size()) {
          if (q == '"' && s_[i_] == '`') {
            i_ += 2;
            continue;
          }
          if (s_[i_] == q) {
            if (i_ + 1 < s_.size() && s_[i_ + 1] == q) {
              i_ += 2;
              continue;
            }
            break;
          }
          ++i_;
        }
        if (i_ >= s_.size()) break;
        ++i_;
        continue;
      }
      if (c == '{') ++depth;
      if (c == '}' && --depth == 0) {
        Token t = make(kind, start, std::string(s_.substr(body, i_ - body)));
        t.inner_column = col(body);
        ++i_;
        return t;
      }
      ++i_;
    }
    if (tolerant_) {
      Token t = partial(kind, start, std::string(s_.substr(body)));
      t.inner_column = col(body);
      return t;
    }
    fail(start, kind == Token::Kind::Hashtable ? "Missing '}' at the end of the hash literal."
                                               : "Missing closing '}' in statement block or type definition.");
  }

  std::string_view s_;
  LexMode mode_;
  int offset_;
  bool tolerant_;
  size_t i_ = 0;
};

}  // namespace

std::vector<Token> tokenize(std::string_view text, LexMode mode, int column_offset) {
  return Lexer(text, mode, column_offset).run();
}

std::vector<Token> tokenize_partial(std::string_view text) {
  return Lexer(text, LexMode::Argument, 0, true).run();
}

std::string describe_token(const Token& token) {
  switch (token.kind) {
    case Token::Kind::String: return "'" + token.text + "'";
    case Token::Kind::Variable: return "$" + token.text;
    case Token::Kind::Parameter: return "-" + token.text;
    case Token::Kind::ScriptBlock: return "{" + token.text + "}";
    case Token::Kind::Hashtable: return "@{" + token.text + "}";
    case Token::Kind::End: return "end of line";
    default: return token.text;
  }
}

}  // namespace mailflow
