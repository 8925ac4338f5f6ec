// How long the HTML dashboard and Format-Chart take, as a ratio to the
// cheapest way to print the same records (one line of text per record with
// Value::to_display), measured in the same run. See tests/bench/README.md.
//
//   build/bench/render_bench [DAYS] [CONNECTORS] [CHART_RECORDS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "cmdlets/builtin.h"
#include "core/time.h"
#include "core/trace.h"
#include "host/cmdlet.h"
#include "host/session.h"
#include "render/dashboard_html.h"

using namespace mailflow;

namespace {

double median_ms(int runs, const std::function<size_t()>& work, size_t& sink) {
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    sink += work();
    times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

size_t dump(const std::vector<Value>& records) {
  std::string out;
  for (const Value& v : records) {
    const Record& r = v.as_record();
    for (size_t i = 0; i < r.size(); ++i) out += r.value(i).to_display() + (i + 1 < r.size() ? "," : "\n");
  }
  return out.size();
}

// The dashboard's typed rows as text lines: what writing the same data out
// costs at least.
std::string connector_text(const std::optional<std::string>& c) { return c ? *c : "(none)"; }

size_t dump(const DashboardInput& in) {
  std::string out;
  for (const ConnectorDayRow& r : in.mail_flow)
    out += format_date(r.day) + "," + std::string(direction_name(r.direction)) + "," + connector_text(r.connector) + "," +
           std::to_string(r.messages) + "\n";
  for (const auto* rows : {&in.tls_by_connector, &in.tls_summary})
    for (const TlsUsageRow& r : *rows)
      out += std::string(direction_name(r.direction)) + "," + connector_text(r.connector) + "," +
             std::string(tls_name(r.tls)) + "," + std::to_string(r.messages) + "," +
             (r.percent ? std::to_string(*r.percent) : std::string()) + "\n";
  return out.size();
}

}  // namespace

int main(int argc, char** argv) {
  const int days = argc > 1 ? std::atoi(argv[1]) : 30;
  const int connectors = argc > 2 ? std::atoi(argv[2]) : 25;
  const int chart_records = argc > 3 ? std::atoi(argv[3]) : 200000;

  DashboardInput in;
  in.end_day = *parse_date("2026-11-22");
  in.start_day = in.end_day - days + 1;
  in.store = "bench.db";
  in.generated_at = "2026-11-23T00:00:00Z";
  const auto& versions = kTlsReportOrder;
  for (Direction dir : {Direction::Inbound, Direction::Outbound})
    for (int c = 0; c < connectors; ++c) {
      std::optional<std::string> name;
      if (c != 0) name = "Partner connector " + std::to_string(c);
      for (int d = 0; d < days; ++d)
        in.mail_flow.push_back({in.start_day + d, dir, name, std::int64_t{100 + (c * 37 + d * 11) % 900}});
      for (int v = 0; v < 5; ++v) in.tls_by_connector.push_back({dir, name, versions[v], std::int64_t{1000 + v}, 20.0});
    }
  for (Direction dir : {Direction::Inbound, Direction::Outbound})
    for (int v = 0; v < 5; ++v) in.tls_summary.push_back({dir, std::nullopt, versions[v], std::int64_t{5000}, 20.0});

  size_t sink = 0;
  double base = median_ms(15, [&] { return dump(in); }, sink);
  double html = median_ms(15, [&] { return render_dashboard_html(in).size(); }, sink);
  std::printf("dashboard: %zu records, %zu bytes of HTML\n",
              in.mail_flow.size() + in.tls_by_connector.size() + in.tls_summary.size(),
              render_dashboard_html(in).size());
  std::printf("  baseline (records as text lines): %.2f ms\n  render_dashboard_html:            %.2f ms  (%.1fx baseline)\n",
              base, html, html / base);

  // Format-Chart over many Get-ConnectorReport-shaped records.
  std::vector<Value> rows;
  for (int i = 0; i < chart_records; ++i)
    rows.push_back(make_record({"Date", "Direction", "Connector", "Messages"},
                               {Value(Date{in.start_day + i % days}), Value("Inbound"),
                                Value("Partner connector " + std::to_string(i % connectors)),
                                Value(std::int64_t{i % 1000})}));
  Registry registry;
  register_builtin_cmdlets(registry);
  Session session;
  const CmdletSpec* chart = registry.find("Format-Chart");
  auto run_chart = [&](bool sparkline) {
    BoundParameters p;
    p.set("Value", Value("Messages"));
    p.set("Label", Value(Array{Value("Connector")}));
    p.set("Date", Value("Date"));
    if (sparkline) p.set("Sparkline", Value(true));
    auto out = chart->run(session, p, std::make_unique<VectorStream>(rows));
    return collect(*out).size();
  };
  double chart_base = median_ms(7, [&] {
    std::vector<Value> copy = rows;  // what any stage pays to receive the records
    return copy.size() + static_cast<size_t>(dump(rows) > 0);
  }, sink);
  double bars = median_ms(7, [&] { return run_chart(false); }, sink);
  double spark = median_ms(7, [&] { return run_chart(true); }, sink);
  std::printf("Format-Chart: %d records\n  baseline (copy + records as text lines): %.2f ms\n"
              "  bars:       %.2f ms  (%.2fx baseline)\n  sparklines: %.2f ms  (%.2fx baseline)\n",
              chart_records, chart_base, bars, bars / chart_base, spark, spark / chart_base);
  return sink == 0;
}
