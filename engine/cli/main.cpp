// The command line of SPEC section 3. Only this folder includes
// Boost.Program_options.
#include <boost/program_options.hpp>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "cli/app.h"
#include "core/error.h"
#include "core/time.h"

namespace po = boost::program_options;

int main(int argc, char** argv) {
  mailflow::AppOptions options;
  std::vector<std::string> positional;
  std::string now_text;

  po::options_description visible("Usage: mailflow [--db FILE] [--now DATE] [--rules DIR]... "
                                  "[-c PIPELINE | SCRIPT.lua [ARG...]]\n\nOptions");
  visible.add_options()
      ("help,h", "show this help and exit")
      ("version", "show the version and exit")
      ("db", po::value<std::string>(&options.db), "trace store (default: $MAILFLOW_DB, else ./mailflow.db)")
      ("now", po::value<std::string>(&now_text), "the date treated as today (YYYY-MM-DD)")
      ("rules", po::value<std::vector<std::string>>(&options.rule_dirs), "directory of *.lua insight rules (repeatable)")
      (",c", po::value<std::string>(&options.command), "run one pipeline (or one line of Lua) and exit")
      ("allow-io", "give a trusted script the Lua io library")
      ("quiet,q", "no banner in the REPL")
      ("debug", "show stack traces on errors");
  po::options_description hidden;
  hidden.add_options()("args", po::value<std::vector<std::string>>(&positional));
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description pos;
  pos.add("args", -1);

  po::variables_map vm;
  try {
    // Everything after the script name belongs to the script (its `arg`), even
    // words that look like options, so stop option parsing at the script.
    std::vector<std::string> ours;
    for (int i = 1; i < argc; ++i) {
      std::string a = argv[i];
      if (a == "--") {
        for (++i; i < argc; ++i) positional.push_back(argv[i]);
        break;
      }
      if (!a.empty() && a[0] == '-') {
        ours.push_back(a);
        bool takes_value = a == "--db" || a == "--now" || a == "--rules" || a == "-c";
        if (takes_value && i + 1 < argc) ours.push_back(argv[++i]);
        continue;
      }
      for (; i < argc; ++i) positional.push_back(argv[i]);
    }
    po::store(po::command_line_parser(ours).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "mailflow: " << e.what() << "\nTry 'mailflow --help'.\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << visible << "\n";
    return 0;
  }
  if (vm.count("version")) {
    std::cout << "mailflow " << MAILFLOW_VERSION << "\n";
    return 0;
  }
  options.allow_io = vm.count("allow-io") > 0;
  options.quiet = vm.count("quiet") > 0;
  options.debug = vm.count("debug") > 0;
  options.has_command = vm.count("-c") > 0;
  if (!now_text.empty()) {
    auto day = mailflow::parse_date(now_text);
    if (!day) {
      std::cerr << "mailflow: --now: '" << now_text << "' is not a date (expected YYYY-MM-DD)\n";
      return 2;
    }
    options.today = *day;
  }
  if (options.has_command && !positional.empty()) {
    std::cerr << "mailflow: give either -c PIPELINE or a script, not both\n";
    return 2;
  }
  if (!positional.empty()) {
    options.script = positional.front();
    options.script_args.assign(positional.begin() + 1, positional.end());
  }
  if (options.db.empty()) {
    const char* env = std::getenv("MAILFLOW_DB");
    options.db = env && *env ? env : "mailflow.db";
  }
  return mailflow::run_app(options);
}
