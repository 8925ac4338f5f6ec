// Cost of insight rules written in Lua, measured on the rule interface the
// reports engine calls (InsightRule::evaluate): one evaluation pass over 200
// connectors x 2 directions with the two built-in Lua rules (NoTls, Tls10),
// then with those plus 20 custom Lua rules, in the same run. Target: the 20
// custom rules add under 20 ms per pass.
// Usage (tests/bench/README.md): build/bench/lua_rules_bench [CONNECTORS] [REPETITIONS]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <unistd.h>
#include <vector>

#include "host/cmdlet.h"
#include "host/session.h"
#include "lua/lua_runtime.h"
#include "reports/insight_rule.h"

using namespace mailflow;
namespace fs = std::filesystem;

namespace {

// Twenty rules of the kind admins write: a share over a threshold, a count,
// a comparison between versions, string formatting for the recommendation.
std::string custom_rule(int i) {
  static const char* versions[] = {"None", "TLS1.0", "TLS1.1", "TLS1.2", "TLS1.3"};
  const char* v = versions[i % 5];
  char text[1024];
  std::snprintf(text, sizeof text, R"(
RegisterInsightRule{
  Name = "Custom%02d",
  Title = "%s share above {threshold}%%",
  Parameters = { { Name = "Custom%02dThreshold", Default = %d, Help = "percent" } },
  Recommendation = "Look at the servers behind this connector.",
  Evaluate = function(stats, params)
    local share = stats.Percent["%s"]
    local weak = stats.Count["None"] + stats.Count["TLS1.0"] + stats.Count["TLS1.1"]
    if stats.Messages >= 10 and share > params.Custom%02dThreshold and weak >= 0 then
      return true, share, string.format("%%s %%s: %%.2f%%%% over %s", stats.Connector, stats.Direction, share)
    end
    return false, share
  end,
}
)",
                i, v, i, 10 + i * 2, v, i, v);
  return text;
}

// Per-connector statistics with shares that vary, so some rules fire.
std::vector<InsightStats> make_stats(int connectors) {
  std::vector<InsightStats> out;
  for (int c = 0; c < connectors; ++c)
    for (Direction d : {Direction::Inbound, Direction::Outbound}) {
      InsightStats s;
      char name[32];
      std::snprintf(name, sizeof name, "Partner %03d", c);
      s.connector = name;
      s.direction = d;
      s.connector_type = c % 3 == 0 ? "Partner" : c % 3 == 1 ? "OnPremises" : "";
      std::int64_t total = 0;
      int i = 0;
      for (TlsVersion v : kTlsReportOrder) {
        s.count[v] = 1 + (c * 7 + i * 13 + static_cast<int>(d)) % 40;
        total += s.count[v];
        ++i;
      }
      s.messages = total;
      for (auto& [v, n] : s.count)
        s.percent[v] = static_cast<double>(n * 10000 / total) / 100.0;
      s.start_date = "2026-11-16";
      s.end_date = "2026-11-22";
      out.push_back(std::move(s));
    }
  return out;
}

struct Timing {
  double wall_ms, cpu_ms;
};

// The built-in rules beyond NoTls and Tls10 are not measured here:
// PlainTextRise calls Get-TlsUsage on a store for the period before, and
// TlsFailures judges failure counts these statistics do not have; both run
// in report_bench's Get-MailFlowInsights over a real store.
bool measured(const InsightRule& rule) { return rule.name() != "PlainTextRise" && rule.name() != "TlsFailures"; }

// Median over `reps` passes of every measured rule over every statistic.
Timing measure(InsightRuleSet& rules, const std::vector<InsightStats>& stats, int reps, int* fired) {
  std::vector<double> wall, cpu;
  for (int r = 0; r < reps; ++r) {
    auto w0 = std::chrono::steady_clock::now();
    std::clock_t c0 = std::clock();
    int n = 0;
    for (const InsightStats& s : stats)
      for (InsightRule* rule : rules.all())
        if (measured(*rule)) n += rule->evaluate(s, {}).fires;
    cpu.push_back((std::clock() - c0) * 1000.0 / CLOCKS_PER_SEC);
    wall.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - w0).count());
    *fired = n;
  }
  std::sort(wall.begin(), wall.end());
  std::sort(cpu.begin(), cpu.end());
  return {wall[wall.size() / 2], cpu[cpu.size() / 2]};
}

}  // namespace

int main(int argc, char** argv) {
  int connectors = argc > 1 ? std::atoi(argv[1]) : 200;
  int reps = argc > 2 ? std::atoi(argv[2]) : 21;
  fs::path dir = fs::temp_directory_path() / ("mailflow_lua_bench_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  for (int i = 1; i <= 20; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "custom%02d.lua", i);
    std::ofstream(dir / name) << custom_rule(i);
  }
  Registry registry;
  InsightRuleSet rules;
  std::atomic<bool> interrupted{false};
  Session session;
  session.registry = &registry;
  session.rules = &rules;
  session.today = *parse_date("2026-11-22");
  session.interrupted = &interrupted;
  LuaRuntime lua(session);
  lua.load_stdlib(MAILFLOW_SOURCE_STDLIB);
  std::vector<InsightStats> stats = make_stats(connectors);

  int fired_builtin = 0, fired_all = 0;
  measure(rules, stats, 2, &fired_builtin);  // warm up
  Timing builtin = measure(rules, stats, reps, &fired_builtin);
  if (lua.load_rule_dir(dir.string(), std::cerr) != 20) return 1;
  Timing all = measure(rules, stats, reps, &fired_all);
  fs::remove_all(dir);

  int evaluations = static_cast<int>(stats.size());
  std::printf("Lua insight rules over %d connectors x 2 directions, median of %d passes\n", connectors, reps);
  std::printf("  2 built-in rules:            %7.2f ms wall %7.2f ms cpu  (%d fired)\n", builtin.wall_ms, builtin.cpu_ms, fired_builtin);
  std::printf("  2 built-in + 20 custom:      %7.2f ms wall %7.2f ms cpu  (%d fired)\n", all.wall_ms, all.cpu_ms, fired_all);
  std::printf("  the 20 custom rules add:     %7.2f ms wall %7.2f ms cpu  (%.2f us cpu per evaluation; target < 20 ms)\n",
              all.wall_ms - builtin.wall_ms, all.cpu_ms - builtin.cpu_ms,
              (all.cpu_ms - builtin.cpu_ms) * 1000.0 / (20.0 * evaluations));
  std::printf("  ratio 22 rules / 2 rules:    %7.2fx (cpu)\n", all.cpu_ms / builtin.cpu_ms);
  return 0;
}
