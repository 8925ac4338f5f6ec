// Out-Host [-Paging] and `more`: send the pipeline's output to the terminal,
// a page at a time when asked. Records are laid out by Format-Table first
// (through the registry, as a pipeline `| Format-Table | Out-Host` would),
// so paged output looks exactly like unpaged output.
//
// The pager is $PAGER, else `less -FRX` (-F: quit when it fits one screen,
// -R: keep colours, -X: leave the text on screen). When stdout is not a
// terminal there is nobody to page for: lines are written directly.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <iostream>

#include "host/cmdlet.h"
#include "host/session.h"
#include "core/error.h"
#include "core/terminal.h"
#include "host/parameters.h"

namespace mailflow {

namespace {

// Text lines for the values: strings as they are (formatters emit lines),
// anything else through Format-Table with its declared defaults.
std::vector<std::string> host_lines(Session& session, std::vector<Value> values) {
  bool all_text = true;
  for (const Value& v : values) all_text = all_text && v.is_string();
  std::vector<std::string> lines;
  if (!all_text) {
    const CmdletSpec* table = session.registry ? session.registry->find("Format-Table") : nullptr;
    if (!table || !table->run)
      throw Error("FormatterMissing", "Out-Host: Format-Table is not available to lay out records");
    BoundParameters defaults;
    for (const ParamSpec& p : table->parameters)
      if (p.default_value) defaults.set(p.name, *p.default_value);
    auto out = table->run(session, defaults, std::make_unique<VectorStream>(std::move(values)));
    values = collect(*out);
  }
  for (const Value& v : values) lines.push_back(v.is_string() ? v.as_string() : v.to_display());
  return lines;
}

void write_lines(const std::vector<std::string>& lines) {
  for (const std::string& line : lines) std::cout << terminal_safe(line) << '\n';
  std::cout.flush();
}

// SIGPIPE ignored while feeding the pager: quitting `less` early must end
// the write with EPIPE, not kill mailflow.
class IgnoreSigpipe {
 public:
  IgnoreSigpipe() {
    struct sigaction sa {};
    sa.sa_handler = SIG_IGN;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGPIPE, &sa, &old_);
  }
  ~IgnoreSigpipe() { sigaction(SIGPIPE, &old_, nullptr); }

 private:
  struct sigaction old_ {};
};

void page_lines(const std::vector<std::string>& lines) {
  if (!is_terminal(STDOUT_FILENO)) {
    write_lines(lines);
    return;
  }
  const char* env = std::getenv("PAGER");
  std::string pager = env && *env ? env : "less -FRX";
  std::cout.flush();
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    write_lines(lines);
    return;
  }
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    write_lines(lines);
    return;
  }
  if (pid == 0) {
    dup2(fds[0], STDIN_FILENO);  // dup2 clears O_CLOEXEC on the copy
    execl("/bin/sh", "sh", "-c", pager.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[0]);
  {
    IgnoreSigpipe guard;
    std::string text;
    for (const std::string& line : lines) text += line + '\n';
    size_t done = 0;
    while (done < text.size()) {
      ssize_t n = write(fds[1], text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;  // the pager quit early
      done += static_cast<size_t>(n);
    }
    close(fds[1]);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
    std::cerr << "mailflow: pager '" << pager << "' could not run; showing the output directly\n";
    write_lines(lines);
  }
}

std::unique_ptr<RecordStream> run_out_host(Session& session, bool paging,
                                           std::unique_ptr<RecordStream> input) {
  std::vector<std::string> lines = host_lines(session, collect(*input));
  if (paging) page_lines(lines);
  else write_lines(lines);
  return std::make_unique<VectorStream>(std::vector<Value>{});
}

}  // namespace

CmdletSpec out_host_cmdlet() {
  CmdletSpec spec;
  spec.name = "Out-Host";
  spec.aliases = {"oh"};
  spec.synopsis = "Sends the pipeline's output to the terminal, one page at a time with -Paging.";
  spec.description =
      "Records are laid out as Format-Table lays them out. With -Paging the lines go to $PAGER "
      "(default: less -FRX) when stdout is a terminal; otherwise they are written directly.";
  spec.parameters = declare_parameters(
      {Param::Switch("Paging", "Show the output one page at a time through $PAGER (default less -FRX).")});
  spec.examples = {{"Get-MessageTrace -Days 30 | Out-Host -Paging",
                    "Pages through a month of trace records."}};
  spec.run = [](Session& session, const BoundParameters& params,
                std::unique_ptr<RecordStream> input) {
    return run_out_host(session, params.flag("Paging"), std::move(input));
  };
  return spec;
}

CmdletSpec more_cmdlet() {
  CmdletSpec spec;
  spec.name = "more";
  spec.synopsis = "Shows the pipeline's output one page at a time (Out-Host -Paging).";
  spec.description =
      "As PowerShell's `more`: the lines go to $PAGER (default: less -FRX) when stdout is a "
      "terminal, and are written directly otherwise.";
  spec.examples = {{"Get-MessageTrace -Days 30 | more", "Pages through a month of trace records."}};
  spec.run = [](Session& session, const BoundParameters&, std::unique_ptr<RecordStream> input) {
    return run_out_host(session, true, std::move(input));
  };
  return spec;
}

}  // namespace mailflow
