// Pipeline benchmark (tests/bench/README.md, "Pipelines"): the script-block
// filter's rate over a million trace-shaped records in memory, against the
// baseline of the same records pulled through the pipeline with no filter
// (`... | Measure-Object`), both through invoke_pipeline in one run.
//
// When --db names a store, it also times one 5000-record page of
// `Get-MessageTrace | Where-Object TlsVersion -eq 'TLS1.0' | Measure-Object`
// (pushed down) against `Get-MessageTrace -TlsVersion TLS1.0 | Measure-Object`
// and against the same filter written so that it cannot be pushed down.
//
// With --db it also times Get-MessageTrace pages (1000 records, 7 days ending
// --now: page 1, page 100, -Connector, -SenderDomain page 20, -Status Failed,
// -SenderAddress)
// through invoke_pipeline, each against the baseline of the raw SQL that
// returns the same rows with their strings, run through the SQLite C API on
// a connection of its own to the same file in the same run (CPU time: median
// and least of 31 runs, and the first, cold, run). The raw SQL is the store's layout's own: the traces table's
// columns on a schema-5 store, the page on trace_rows joined to the
// dictionaries on a later one. This file builds against the tree before the
// compact store too (tests/bench/README.md), so it uses nothing newer.
#include <sqlite3.h>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cmdlets/builtin.h"
#include "host/cmdlet.h"
#include "host/script_host.h"
#include "host/session.h"
#include "core/error.h"
#include "shell/shell.h"
#include "store/trace_query.h"
#include "store/trace_store.h"

using namespace mailflow;

namespace {

// Emits `n` trace-shaped records built on the fly (one shared Schema), the
// way a store cursor does, so the filter is measured on streaming input.
CmdletSpec synthetic_source() {
  CmdletSpec c;
  c.name = "Get-SyntheticTrace";
  ParamSpec count;
  count.name = "Count";
  count.type = ParamType::Int;
  count.default_value = Value(std::int64_t{1000000});
  c.parameters = {count};
  c.run = [](Session&, const BoundParameters& p, std::unique_ptr<RecordStream>) -> std::unique_ptr<RecordStream> {
    struct Stream : RecordStream {
      std::shared_ptr<const Schema> schema = std::make_shared<const Schema>(std::vector<std::string>{
          "Received", "Direction", "Connector", "TlsVersion", "SenderAddress", "RecipientAddress",
          "Size", "Status"});
      std::int64_t i = 0, n = 0;
      std::optional<Value> next() override {
        if (i >= n) return std::nullopt;
        static const char* tls[] = {"TLS1.2", "TLS1.3", "TLS1.2", "TLS1.0", "None", "TLS1.2", "TLS1.1"};
        static const char* connectors[] = {"Contoso Partner", "Fabrikam Inbound", "On-Premises Relay"};
        std::int64_t k = i++;
        std::vector<Value> v;
        v.reserve(8);
        v.emplace_back(DateTime{1762000000 + k * 3});
        v.emplace_back(k % 2 ? "Inbound" : "Outbound");
        v.emplace_back(k % 5 == 0 ? Value() : Value(connectors[k % 3]));
        v.emplace_back(tls[k % 7]);
        v.emplace_back("user" + std::to_string(k % 5000) + "@contoso.com");
        v.emplace_back("rcpt" + std::to_string(k % 7000) + "@fabrikam.com");
        v.emplace_back(std::int64_t{2000 + (k * 37) % 90000});
        v.emplace_back("Delivered");
        return Value(Record(schema, std::move(v)));
      }
    };
    auto s = std::make_unique<Stream>();
    s->n = *p.integer("Count");
    return s;
  };
  return c;
}

struct Timing {
  double seconds;
  std::string result;
};

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

long minor_faults() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_minflt;
}

// Read system calls (read, pread) the process made so far: SQLite reads a
// page of the store with one pread when it is not in its page cache.
long read_calls() {
  long n = -1;
  if (std::FILE* f = std::fopen("/proc/self/io", "r")) {
    char line[128];
    while (std::fgets(line, sizeof line, f))
      if (std::sscanf(line, "syscr: %ld", &n) == 1) break;
    std::fclose(f);
  }
  return n;
}

// One case of the page benchmark: the cmdlet's parameters and the raw SQL's
// condition on each layout (the text values bound as ?5).
struct PageCase {
  const char* label;
  std::string parameters;       // after "Get-MessageTrace -Days 7 -PageSize 1000"
  std::int64_t page;            // from 1
  std::string schema5_where;    // on the traces table
  std::string compact_where;    // on trace_rows (aliased traces), schemas 6-10
  std::string value;            // bound as ?5 when a condition names it
  std::string inline_where;     // compact_where from schema 11 (addresses in the rows); empty: the same
};

// The raw SQL of one page on this store's layout, columns in the trace-field
// table's order, strings resolved.
std::string raw_page_sql(bool compact, bool inline_addresses, const PageCase& c) {
  if (!compact)
    return "SELECT " + trace_field_columns() + " FROM traces WHERE received >= ?1 AND received < ?2" +
           c.schema5_where + " ORDER BY received DESC LIMIT ?3 OFFSET ?4";
  // Schema 6: page on trace_rows, then its ids joined to the dictionaries
  // (what main's trace_query_sql ran before the cursor resolved ids itself);
  // from schema 11 the addresses are in the rows.
  struct Dict { const char* column; const char* table; };
  static const Dict kDicts[] = {{"connector", "trace_connectors"}, {"tls_trust", "trust_levels"},
                                {"cipher", "ciphers"},             {"sender", "addresses"},
                                {"recipient", "addresses"},        {"remote_host", "hosts"},
                                {"remote_ip", "ips"},              {"status", "statuses"}};
  std::string select, joins, columns = trace_field_columns() + ",";
  for (std::size_t at = 0, comma; (comma = columns.find(',', at)) != std::string::npos; at = comma + 1) {
    std::string column = columns.substr(at, comma - at);
    column.erase(0, column.find_first_not_of(' '));
    if (!select.empty()) select += ", ";
    const Dict* d = std::find_if(std::begin(kDicts), std::end(kDicts),
                                 [&](const Dict& x) { return column == x.column; });
    if (d == std::end(kDicts) || (inline_addresses && std::string_view(d->table) == "addresses")) {
      select += "page." + column;
      continue;
    }
    std::string alias = "d_" + column;
    select += alias + ".value";
    joins += std::string(" LEFT JOIN ") + d->table + " " + alias + " ON " + alias + ".id = page." + column;
  }
  const std::string& where = inline_addresses && !c.inline_where.empty() ? c.inline_where : c.compact_where;
  return "SELECT " + select + " FROM (SELECT * FROM trace_rows AS traces WHERE received >= ?1 AND received < ?2" +
         where + " ORDER BY received DESC LIMIT ?3 OFFSET ?4) AS page" + joins;
}

// Runs the raw SQL once, reading every column as the cmdlet's cursor would
// (text as text, integers as integers); the rows and the last MessageId.
std::pair<std::int64_t, std::string> run_raw(sqlite3_stmt* s, UnixSeconds from, UnixSeconds to,
                                             const PageCase& c) {
  sqlite3_reset(s);
  sqlite3_bind_int64(s, 1, from);
  sqlite3_bind_int64(s, 2, to);
  sqlite3_bind_int64(s, 3, 1000);
  sqlite3_bind_int64(s, 4, (c.page - 1) * 1000);
  if (sqlite3_bind_parameter_count(s) >= 5)
    sqlite3_bind_text(s, 5, c.value.data(), static_cast<int>(c.value.size()), SQLITE_STATIC);
  std::int64_t rows = 0;
  std::string last;
  std::size_t bytes = 0;
  int n = sqlite3_column_count(s);
  while (sqlite3_step(s) == SQLITE_ROW) {
    ++rows;
    for (int i = 0; i < n; ++i) {
      if (sqlite3_column_type(s, i) == SQLITE_INTEGER) bytes += static_cast<std::size_t>(sqlite3_column_int64(s, i) & 1);
      else if (const unsigned char* t = sqlite3_column_text(s, i)) bytes += static_cast<std::size_t>(sqlite3_column_bytes(s, i)) + (t[0] & 1);
    }
    const unsigned char* id = sqlite3_column_text(s, n - 1);
    last = id ? reinterpret_cast<const char*>(id) : "";
  }
  if (bytes == 0 && rows > 0) last += " ";  // keeps the reads from being optimised away
  return {rows, last};
}

// Get-MessageTrace pages against their raw SQL; false when a page and its
// baseline disagree (rows or last MessageId).
// `runs`: the first (cold) run and runs - 1 timed ones (1: the first only,
// for profiling a new process's page); `faults`: also print the first run's
// minor page faults, raw SQL and cmdlet.
bool page_bench(Session& session, const std::string& db, const std::string& connector, const std::string& only,
                int runs = 32, bool faults = false) {
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "pipeline_bench: cannot open %s\n", db.c_str());
    return false;
  }
  // The page cache the store's own connection has (TraceStore), so both
  // sides read from memory after the warm-up.
  sqlite3_exec(raw, "PRAGMA cache_size=-65536", nullptr, nullptr, nullptr);
  auto has_table = [&](const char* name) {
    sqlite3_stmt* s = nullptr;
    bool found = false;
    sqlite3_prepare_v2(raw, "SELECT count(*) FROM sqlite_master WHERE name = ?1", -1, &s, nullptr);
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW) found = sqlite3_column_int(s, 0) > 0;
    sqlite3_finalize(s);
    return found;
  };
  bool compact = has_table("trace_rows");
  bool inline_addresses = compact && !has_table("addresses");
  // The 7 days ending --now, as -Days 7 gives them.
  UnixSeconds to = start_of_day(session.today + 1), from = start_of_day(session.today - 6);
  const std::string conn_where5 = " AND connector = ?5";
  const std::string conn_where6 = " AND connector = (SELECT id FROM trace_connectors WHERE value = ?5)";
  std::vector<PageCase> cases = {
      {"page 1", "", 1, "", "", "", ""},
      {"page 100", " -Page 100", 100, "", "", "", ""},
      {"page 1, -Connector", " -Connector '" + connector + "'", 1, conn_where5, conn_where6, connector, ""},
      {"page 20, -SenderDomain contoso.com", " -SenderDomain contoso.com -Page 20", 20,
       " AND lower(sender) GLOB ?5", " AND sender IN (SELECT id FROM addresses WHERE lower(value) GLOB ?5)",
       "*@contoso.com", " AND lower(sender) GLOB ?5"},
      {"page 1, -Status Failed", " -Status Failed", 1, " AND status = ?5 COLLATE NOCASE",
       " AND status IN (SELECT id FROM statuses WHERE value = ?5 COLLATE NOCASE)", "Failed", ""},
      // One address (New-SampleTraceData's alerts@contoso.com, about 2,700
      // messages a week): its page reads about 90,000 rows.
      {"page 1, -SenderAddress alerts@...", " -SenderAddress alerts@contoso.com", 1, " AND lower(sender) GLOB ?5",
       " AND sender IN (SELECT id FROM addresses WHERE lower(value) GLOB ?5)", "alerts@contoso.com",
       " AND lower(sender) GLOB ?5"},
  };
  std::printf("\nGet-MessageTrace pages over %s (%s layout), 1000 records, 7 days ending %s; "
              "CPU ms, median of 31 (wall in brackets), the least of the 31, and the first run (cold caches):\n",
              db.c_str(), !compact ? "schema 5" : inline_addresses ? "compact, addresses in the rows (schema 11+)" : "compact (schema 6-10)", format_date(session.today).c_str());
  std::printf("%-36s %18s %18s %8s  %13s  %13s\n", "page", "raw SQL", "Get-MessageTrace", "ratio", "least", "first run");
  bool ok = true;
  for (const PageCase& c : cases) {
    // --page-case: a part of the label, or `=` and the whole label.
    if (!only.empty() && (only[0] == '=' ? only.compare(1, std::string::npos, c.label) != 0
                                         : std::string(c.label).find(only) == std::string::npos))
      continue;
    std::string sql = raw_page_sql(compact, inline_addresses, c);
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(raw, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
      std::fprintf(stderr, "pipeline_bench: %s\n", sqlite3_errmsg(raw));
      sqlite3_close(raw);
      return false;
    }
    std::string pipeline = "Get-MessageTrace -Days 7 -PageSize 1000" + c.parameters;
    std::vector<double> raw_cpu, raw_wall, cmd_cpu, cmd_wall;
    double raw_first = 0, cmd_first = 0;
    long raw_faults = 0, cmd_faults = 0, raw_reads = 0, cmd_reads = 0;
    std::pair<std::int64_t, std::string> raw_result;
    std::vector<Value> records;
    for (int r = 0; r < runs; ++r) {  // the first of each is a warm-up
      long f0 = minor_faults(), r0 = faults && r == 0 ? read_calls() : 0;
      double c0 = cpu_seconds();
      auto w0 = std::chrono::steady_clock::now();
      raw_result = run_raw(s, from, to, c);
      double c1 = cpu_seconds();
      auto w1 = std::chrono::steady_clock::now();
      long f1 = minor_faults(), r1 = faults && r == 0 ? read_calls() : 0;
      records = invoke_pipeline(session, pipeline);
      double c2 = cpu_seconds();
      auto w2 = std::chrono::steady_clock::now();
      long f2 = minor_faults(), r2 = faults && r == 0 ? read_calls() : 0;
      if (r == 0) {  // the first of the process: caches (SQLite's pages, the store's strings) cold
        raw_first = c1 - c0;
        cmd_first = c2 - c1;
        raw_faults = f1 - f0;
        cmd_faults = f2 - f1;
        raw_reads = r1 - r0 - 1;  // less read_calls' own read
        cmd_reads = r2 - r1 - 1;
        continue;
      }
      raw_cpu.push_back(c1 - c0);
      cmd_cpu.push_back(c2 - c1);
      raw_wall.push_back(std::chrono::duration<double>(w1 - w0).count());
      cmd_wall.push_back(std::chrono::duration<double>(w2 - w1).count());
    }
    sqlite3_finalize(s);
    if (raw_cpu.empty()) {  // --runs 1
      raw_cpu.push_back(raw_first);
      cmd_cpu.push_back(cmd_first);
      raw_wall.push_back(0);
      cmd_wall.push_back(0);
    }
    auto median = [](std::vector<double> v) {
      std::sort(v.begin(), v.end());
      return v[v.size() / 2] * 1000.0;
    };
    std::string last;
    if (!records.empty() && records.back().is_record())
      if (const Value* id = records.back().as_record().get("MessageId")) last = id->to_display();
    double rc = median(raw_cpu), cc = median(cmd_cpu);
    double rmin = *std::min_element(raw_cpu.begin(), raw_cpu.end()) * 1000.0;
    double cmin = *std::min_element(cmd_cpu.begin(), cmd_cpu.end()) * 1000.0;
    std::printf("%-36s %8.2f [%7.2f] %8.2f [%7.2f] %7.2fx  %6.2f %6.2f  %6.2f %6.2f\n", c.label, rc,
                median(raw_wall), cc, median(cmd_wall), cc / rc, rmin, cmin, raw_first * 1000.0, cmd_first * 1000.0);
    if (faults)
      std::printf("%-36s first run's minor page faults: raw SQL %ld, Get-MessageTrace %ld; reads: %ld, %ld\n", "",
                  raw_faults, cmd_faults, raw_reads, cmd_reads);
    if (static_cast<std::int64_t>(records.size()) != raw_result.first || last != raw_result.second) {
      std::printf("MISMATCH: %s: Get-MessageTrace %zu records (last %s), raw SQL %lld rows (last %s)\n", c.label,
                  records.size(), last.c_str(), static_cast<long long>(raw_result.first), raw_result.second.c_str());
      ok = false;
    }
  }
  sqlite3_close(raw);
  return ok;
}

Timing run(Session& session, const std::string& pipeline) {
  auto start = std::chrono::steady_clock::now();
  std::vector<Value> out = invoke_pipeline(session, pipeline);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::string result = out.empty() ? "" : out.front().to_display();
  return {s, result};
}

void report(const char* label, const std::string& pipeline, const Timing& t, std::int64_t records) {
  std::printf("%-34s %8.3f s  %12.0f records/s   %s\n", label, t.seconds,
              static_cast<double>(records) / t.seconds, pipeline.c_str());
  std::printf("%-34s %s\n", "", t.result.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t records = 1000000;
  std::string db, connector = "Fabrikam Partner Inbound", only;
  bool pages_only = false, faults = false;
  int runs = 32;
  DayNumber today = today_utc();
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--records") && i + 1 < argc) records = std::atoll(argv[++i]);
    else if (!std::strcmp(argv[i], "--db") && i + 1 < argc) db = argv[++i];
    else if (!std::strcmp(argv[i], "--now") && i + 1 < argc && parse_date(argv[i + 1])) today = *parse_date(argv[++i]);
    else if (!std::strcmp(argv[i], "--connector") && i + 1 < argc) connector = argv[++i];
    else if (!std::strcmp(argv[i], "--pages-only")) pages_only = true;
    else if (!std::strcmp(argv[i], "--page-case") && i + 1 < argc) only = argv[++i];
    else if (!std::strcmp(argv[i], "--runs") && i + 1 < argc && std::atoi(argv[i + 1]) >= 1) runs = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--faults")) faults = true;
    else {
      std::fprintf(stderr,
                   "usage: pipeline_bench [--records N] [--db STORE --now YYYY-MM-DD [--connector NAME] "
                   "[--pages-only] [--page-case LABEL-PART|=LABEL] [--runs N] [--faults]]\n");
      return 2;
    }
  }
  try {
    Registry registry;
    register_builtin_cmdlets(registry);
    registry.add(synthetic_source());
    Session session;
    session.registry = &registry;
    session.today = today;
    std::unique_ptr<TraceStore> store;
    if (!db.empty()) {
      store = std::make_unique<TraceStore>(db);
      session.store = store.get();
    }
    if (pages_only) {
      if (!store) {
        std::fprintf(stderr, "pipeline_bench: --pages-only needs --db STORE\n");
        return 2;
      }
      return page_bench(session, db, connector, only, runs, faults) ? 0 : 1;
    }
    std::string n = std::to_string(records);
    std::string base = "Get-SyntheticTrace -Count " + n + " | Measure-Object";
    std::string filter = "Get-SyntheticTrace -Count " + n +
                         " | Where-Object { $_.TlsVersion -eq 'TLS1.0' -and $_.Size -gt 10000 -or "
                         "$_.SenderAddress -like 'user1*' } | Measure-Object";
    std::string simple = "Get-SyntheticTrace -Count " + n + " | Where-Object TlsVersion -eq 'TLS1.0' | Measure-Object";
    Timing tb = run(session, base);
    Timing tf = run(session, filter);
    Timing ts = run(session, simple);
    report("baseline (source only)", base, tb, records);
    report("script-block filter", filter, tf, records);
    report("simple filter", simple, ts, records);
    // The filter's own rate: records over the time it adds to the baseline.
    double added = tf.seconds - tb.seconds;
    std::printf("script-block filter alone: %.0f records/s (pipeline with filter at %.2fx the baseline time)\n",
                added > 0 ? static_cast<double>(records) / added : 0.0, tf.seconds / tb.seconds);

    if (store && registry.find("Get-MessageTrace")) {
      // Each form reads one full page (5000, the largest) of the 30 days, so
      // the store does real work; the median of 21 runs after a warm-up.
      const std::string page = "Get-MessageTrace -Days 30 -PageSize 5000";
      std::string pushed = page + " | Where-Object TlsVersion -eq 'TLS1.0' | Measure-Object";
      std::string scan = page + " | Where-Object { $_.TlsVersion -eq 'TLS1.0' -or $_.Size -lt 0 } | Measure-Object";
      std::string param = page + " -TlsVersion TLS1.0 | Measure-Object";
      auto median_of = [&](const std::string& pipeline) {
        run(session, pipeline);
        std::vector<Timing> t;
        for (int r = 0; r < 21; ++r) t.push_back(run(session, pipeline));
        std::sort(t.begin(), t.end(), [](const Timing& a, const Timing& b) { return a.seconds < b.seconds; });
        return t[t.size() / 2];
      };
      Timing tp = median_of(param);
      Timing tw = median_of(pushed);
      Timing tn = median_of(scan);
      report("Get-MessageTrace -TlsVersion", param, tp, 5000);
      report("Where-Object (pushed down)", pushed, tw, 5000);
      report("Where-Object (not pushable)", scan, tn, 5000);
      // The pushed-down filter keeps what the Where-Object keeps (the TLS 1.0
      // records of the page); the parameter picks 5000 TLS 1.0 records.
      if (tw.result != tn.result) {
        std::printf("MISMATCH: pushed down %s, as written %s\n", tw.result.c_str(), tn.result.c_str());
        return 1;
      }
      std::printf("pushed-down Where-Object at %.2fx the parameter's time (target <= 1.5x) and %.2fx the "
                  "unpushed filter's\n", tw.seconds / tp.seconds, tw.seconds / tn.seconds);
      if (!page_bench(session, db, connector, only, runs, faults)) return 1;
    } else {
      std::printf("(Get-MessageTrace comparison skipped: give --db STORE with traces, and a build with Get-MessageTrace)\n");
    }
  } catch (const Error& e) {
    std::fprintf(stderr, "pipeline_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
