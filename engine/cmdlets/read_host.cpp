// Read-Host [-Prompt] [-AsSecureString | -MaskInput]: reads one line from the
// user. With -AsSecureString or -MaskInput the line is read without echo and
// never enters the REPL history (core/terminal.h read_secret). mailflow has no
// SecureString type: the text itself is returned, for a script to pass on.
#include <unistd.h>

#include <iostream>

#include "host/cmdlet.h"
#include "host/session.h"
#include "core/error.h"
#include "core/terminal.h"
#include "host/parameters.h"

namespace mailflow {

namespace {

std::optional<std::string> read_plain(const std::string& prompt) {
  if (is_terminal(STDIN_FILENO)) {
    std::cout.flush();
    std::cerr << prompt << std::flush;
  }
  std::string line;
  if (!std::getline(std::cin, line)) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

CmdletSpec read_host_cmdlet() {
  CmdletSpec spec;
  spec.name = "Read-Host";
  spec.synopsis = "Reads a line of input; -AsSecureString reads a secret without echo.";
  spec.description =
      "Shows `Prompt: ` and returns the line typed as a string. With -AsSecureString (or "
      "-MaskInput) typing is not echoed and the line is kept out of the REPL history. When stdin "
      "is not a terminal the next line of stdin is read. At end of input it fails.";
  spec.parameters = declare_parameters({
      Param::String("Prompt", "Text shown before the input, followed by ': '.").position(0),
      Param::Switch("AsSecureString", "Do not echo the input and keep it out of history (for passwords)."),
      Param::Switch("MaskInput", "Same as -AsSecureString."),
  });
  spec.examples = {{"Read-Host -Prompt 'Relay password' -AsSecureString",
                    "Reads a password without echoing it."}};
  spec.run = [](Session&, const BoundParameters& params, std::unique_ptr<RecordStream>) {
    std::string text = params.string("Prompt").value_or("");
    std::string shown = text.empty() ? "" : text + ": ";
    bool secret = params.flag("AsSecureString") || params.flag("MaskInput");
    std::optional<std::string> line = secret ? read_secret(shown) : read_plain(shown);
    if (!line) throw Error("EndOfInput", "Read-Host: input ended before a line was read");
    return std::make_unique<VectorStream>(std::vector<Value>{Value(*line)});
  };
  return spec;
}

}  // namespace mailflow
