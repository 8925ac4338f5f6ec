// Tokens of pipeline text. One lexer serves both the argument mode of a
// pipeline (`Get-MessageTrace -Days 7 | Where-Object ...`) and the expression
// mode inside a script block (`$_.Percent -gt 50 -and (...)`): the modes
// differ only in what ends a bare word and in `!`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mailflow {

struct Token {
  enum class Kind {
    Word,         // bare word: a command name, an unquoted value, a number
    String,       // quoted string, escapes already applied
    Variable,     // $name or $_.Prop.Sub: text is "name" / "_.Prop.Sub"
    Parameter,    // -Name (text "Name"); `colon` when written -Name:value
    Comma,
    Pipe,
    Assign,       // =
    LParen,
    RParen,
    ScriptBlock,  // { ... }: text is what lies between the braces
    Hashtable,    // @{ ... } (argument mode): text is what lies between the braces
    Bang,         // ! (expression mode only)
    Operator,     // + - * / % (expression mode only; a lone '-' needs a space after it)
    Semicolon,    // ; (hashtable mode only: between entries)
    End,
  };
  Kind kind = Kind::End;
  std::string text;
  int column = 0;        // 1-based column of the token's first character
  int inner_column = 0;  // ScriptBlock, Hashtable: column of the first character after '{'
  int end_column = 0;    // column just past the token's last character
  bool colon = false;    // Parameter written -Name:value
  bool partial = false;  // tokenize_partial only: a string, block or variable cut off by the end
};

// Argument: a pipeline line. Expression: a script block's body. Hashtable:
// the body of @{ ... }, whose entries `;` separates.
enum class LexMode { Argument, Expression, Hashtable };

// Splits `text` into tokens ending with an End token. `column_offset` is added
// to every column (a script block is lexed with the column where it starts in
// the whole line). Throws mailflow::Error("ParseError") with the column of an
// unterminated string, script block or a stray character.
std::vector<Token> tokenize(std::string_view text, LexMode mode = LexMode::Argument,
                            int column_offset = 0);

// The same lexer, tolerant of partial input (what is typed so far, for Tab
// completion): it never throws. An unterminated string or block runs to the
// end as a `partial` token, a `$` alone is a partial Variable, a stray `}` is
// a Word and `;` a Semicolon (a new statement). Argument mode.
std::vector<Token> tokenize_partial(std::string_view text);

// How a token reads in an error message ("-Days", "'abc'", "{...}").
std::string describe_token(const Token& token);

}  // namespace mailflow
