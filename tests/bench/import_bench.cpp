// Import benchmark (tests/bench/README.md): generates a canonical CSV with
// New-SampleTraceData's generator (in time order) and a shuffled copy of it
// (the same records in random order, as exports newest first or merged from
// several servers are), then, in the same run, for each: `wc -l`, the
// parse-only pass (the CSV reader into a sink that stores nothing), the
// sqlite3 command-line tool's `.import --csv` into an unindexed table (the
// baseline) and Import-MessageTrace into a fresh store, each in a child
// process so that its peak RSS is its own. Prints times, rates, ratios,
// peak RSS, the store's size against the input's, and the load average.
//
//   build/bench/import_bench [--records N] [--dir DIR] [--batch N] [--keep] [--reuse]
//   build/bench/import_bench --generate FILE --days D --per-day N --end YYYY-MM-DD [--seed S]
//   build/bench/import_bench --import-only FILE [--dir DIR] [--batch N]   (one import, in this process: for a profiler)
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include "bench_child.h"
#include "core/error.h"
#include "core/time.h"
#include "ingest/importer.h"
#include "ingest/line_source.h"
#include "ingest/sample_traces.h"
#include "store/trace_store.h"

using namespace mailflow;
using namespace mailflow::bench;

namespace {

void remove_db(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix);
}

int usage() {
  std::cerr << "usage: import_bench [--records N] [--dir DIR] [--batch N] [--keep] [--reuse]\n"
               "       import_bench --generate FILE --days D --per-day N --end YYYY-MM-DD [--seed S]\n"
               "       import_bench --import-only FILE [--dir DIR] [--batch N]\n";
  return 2;
}

struct Side {
  ChildResult wc, parse, raw, import;
  std::int64_t store = 0;
};

// One input file through every contender, in the same run.
bool measure(const std::string& csv, const std::string& dir, std::size_t batch, std::int64_t records, Side& out) {
  out.wc = run_command("wc -l '" + csv + "' >/dev/null");
  out.parse = in_child([&] { return parse_only(csv, "Csv", {}) == records ? 0 : 1; });
  const std::string raw_db = dir + "/bench-raw.db";
  remove_db(raw_db);
  out.raw = run_command("sqlite3 '" + raw_db + "' -cmd 'PRAGMA journal_mode=WAL' '.import --csv " + csv +
                        " raw' >/dev/null");
  remove_db(raw_db);
  if (!out.raw.ok()) {
    std::cerr << "bench: sqlite3 .import failed (is the sqlite3 package installed?)\n";
    return false;
  }
  const std::string store_db = dir + "/bench-store.db";
  remove_db(store_db);
  out.import = in_child([&] {
    TraceStore store(store_db);
    ImportOptions o;
    o.batch_size = batch;
    ImportSummary s = import_trace_file(store, csv, o);
    return s.imported == records ? 0 : 1;
  });
  out.store = store_bytes(store_db);
  remove_db(store_db);
  if (!out.import.ok()) {
    std::cerr << "bench: import failed\n";
    return false;
  }
  return true;
}

void report(const char* name, const Side& s, std::int64_t records, double input_mib) {
  auto line = [&](const char* what, const ChildResult& r) {
    std::printf("  %-22s wall %7.2f s  cpu %7.2f s  %9.0f records/s  %7.1f MiB/s  peak RSS %6.1f MiB\n", what, r.wall,
                r.cpu, records / r.wall, input_mib / r.wall, r.max_rss_kib / 1024.0);
  };
  std::printf("%s:\n", name);
  line("wc -l", s.wc);
  line("parse only", s.parse);
  line("sqlite3 .import", s.raw);
  line("Import-MessageTrace", s.import);
  double ratio = s.raw.wall / s.import.wall;
  std::printf("  import at %.2fx the rate of sqlite3 .import by wall time, %.2fx by CPU (target >= 0.9x by wall): %s\n",
              ratio, s.raw.cpu / s.import.cpu, ratio >= 0.9 ? "met" : "MISSED");
  std::printf("  peak RSS %.1f MiB (target < 100 MiB): %s;  store %.1f MiB = %.0f%% of the input\n",
              s.import.max_rss_kib / 1024.0, s.import.max_rss_kib < 100 * 1024 ? "met" : "MISSED",
              s.store / 1048576.0, 100.0 * s.store / (input_mib * 1048576.0));
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t records = 1000000;
  std::string dir = "build/bench-data";
  std::size_t batch = ImportOptions{}.batch_size;
  bool keep = false;
  bool reuse = false;  // keep the CSV of a previous --keep run
  std::string generate, import_only;
  SampleTraceOptions gen;
  gen.end_day = *parse_date("2026-11-22");
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    try {
      if (a == "--records") records = std::stoll(value());
      else if (a == "--dir") dir = value();
      else if (a == "--batch") batch = std::stoul(value());
      else if (a == "--keep") keep = true;
      else if (a == "--reuse") reuse = true;
      else if (a == "--generate") generate = value();
      else if (a == "--import-only") import_only = value();
      else if (a == "--days") gen.days = std::stoi(value());
      else if (a == "--per-day") gen.messages_per_day = std::stoi(value());
      else if (a == "--seed") gen.seed = std::stoull(value());
      else if (a == "--end") {
        auto d = parse_date(value());
        if (!d) return usage();
        gen.end_day = *d;
      } else return usage();
    } catch (const std::exception& e) {
      std::cerr << "import_bench: " << e.what() << "\n";
      return usage();
    }
  }
  try {
    if (!generate.empty()) {
      SampleTraceResult r = write_sample_traces(generate, gen);
      std::cout << generate << ": " << r.records << " records, " << format_date(r.start_day) << " to "
                << format_date(r.end_day) << "\n";
      return 0;
    }
    if (!import_only.empty()) {
      std::filesystem::create_directories(dir);
      const std::string store_db = dir + "/bench-store.db";
      remove_db(store_db);
      TraceStore store(store_db);
      ImportOptions o;
      o.batch_size = batch;
      ImportSummary s = import_trace_file(store, import_only, o);
      std::cout << "imported " << s.imported << " of " << s.lines << " lines\n";
      return 0;
    }

    std::filesystem::create_directories(dir);
    const std::string csv = dir + "/bench-traces.csv";
    // 30 days; a business day's volume chosen so that the file holds about
    // `records` records (weekends are quieter, so scale by the measured yield).
    SampleTraceOptions options;
    options.end_day = gen.end_day;
    options.days = 30;
    options.messages_per_day = 1000;
    SampleTraceResult r;
    if (reuse && std::filesystem::exists(csv)) {
      LineSource lines(csv);
      LineSource::Line line;
      while (lines.next(line)) ++r.records;
      --r.records;  // the header
    } else {
      SampleTraceResult probe = write_sample_traces(csv, options);
      // A little more than needed, then cut at exactly `records`.
      options.messages_per_day = static_cast<int>(records * 1000 / probe.records * 21 / 20 + 1);
      options.max_records = records;
      r = write_sample_traces(csv, options);
    }
    std::cout << "data: " << csv << ", " << r.records << " records, "
              << std::filesystem::file_size(csv) / (1024 * 1024) << " MiB\n";

    // The same records in random order (a fixed seed: the same file each run).
    const std::string shuffled = dir + "/bench-traces-shuffled.csv";
    if (!(reuse && std::filesystem::exists(shuffled))) {
      std::string command = "(head -n 1 '" + csv + "'; tail -n +2 '" + csv + "' | shuf --random-source=<(yes)) > '" +
                            shuffled + "'";
      if (run_command("bash -c \"" + command + "\"").status != 0) {
        std::cerr << "bench: cannot shuffle " << csv << "\n";
        return 1;
      }
    }
    double input_mib = std::filesystem::file_size(csv) / 1048576.0;
    std::printf("load average before: %s\n", loadavg().c_str());
    Side ordered, random;
    if (!measure(csv, dir, batch, r.records, ordered)) return 1;
    if (!measure(shuffled, dir, batch, r.records, random)) return 1;
    std::printf("load average after:  %s\n", loadavg().c_str());
    std::printf("%lld records, %.1f MiB, batch %s\n", static_cast<long long>(r.records), input_mib,
                batch ? std::to_string(batch).c_str() : "by file size (default)");
    report("in time order", ordered, r.records, input_mib);
    report("shuffled", random, r.records, input_mib);
    if (!keep) {
      std::filesystem::remove(csv);
      std::filesystem::remove(shuffled);
    }
    return 0;
  } catch (const Error& e) {
    std::cerr << "import_bench: " << e.what() << "\n";
    return 1;
  }
}
