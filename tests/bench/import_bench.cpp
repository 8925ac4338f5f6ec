// Import benchmark (tests/bench/README.md): generates a canonical CSV with
// New-SampleTraceData's generator, imports it into a fresh store and, in the
// same run, times the sqlite3 command-line tool's `.import --csv` of the
// same file into an unindexed table as the baseline. Prints both rates, the
// ratio and the import's peak RSS (measured in a child process so that the
// generator's memory does not count).
//
//   build/bench/import_bench [--records N] [--dir DIR] [--batch N] [--keep] [--reuse]
//   build/bench/import_bench --generate FILE --days D --per-day N --end YYYY-MM-DD [--seed S]
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>

#include "core/error.h"
#include "core/time.h"
#include "ingest/importer.h"
#include "ingest/line_source.h"
#include "ingest/sample_traces.h"
#include "store/trace_store.h"

using namespace mailflow;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void remove_db(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix);
}

struct ChildResult {
  double seconds = 0;
  long max_rss_kb = 0;
  double cpu_seconds = 0;  // user + system
  int status = 0;
};

// Runs `work` in a forked child and reports its wall time and peak RSS.
template <typename F>
ChildResult in_child(F work) {
  std::fflush(nullptr);  // the child must not repeat our buffered output
  std::cout.flush();
  auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    int rc = 0;
    try {
      rc = work();
    } catch (const std::exception& e) {
      std::cerr << "bench: " << e.what() << "\n";
      rc = 1;
    }
    std::fflush(nullptr);
    _exit(rc);
  }
  ChildResult r;
  struct rusage usage {};
  wait4(pid, &r.status, 0, &usage);
  r.seconds = seconds_since(start);
  r.max_rss_kb = usage.ru_maxrss;
  r.cpu_seconds = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec +
                  usage.ru_stime.tv_usec / 1e6;
  return r;
}

int usage() {
  std::cerr << "usage: import_bench [--records N] [--dir DIR] [--batch N] [--keep] [--reuse]\n"
               "       import_bench --generate FILE --days D --per-day N --end YYYY-MM-DD [--seed S]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t records = 1000000;
  std::string dir = "build/bench-data";
  std::size_t batch = ImportOptions{}.batch_size;
  bool keep = false;
  bool reuse = false;  // keep the CSV of a previous --keep run
  std::string generate;
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

    // Baseline: sqlite3 .import into an unindexed table, same file.
    const std::string raw_db = dir + "/bench-raw.db";
    remove_db(raw_db);
    std::string command = "sqlite3 '" + raw_db + "' -cmd 'PRAGMA journal_mode=WAL' '.import --csv " +
                          csv + " raw' >/dev/null";
    ChildResult raw = in_child([&] { return std::system(command.c_str()) == 0 ? 0 : 1; });
    double raw_seconds = raw.seconds;
    if (raw.status != 0) {
      std::cerr << "bench: sqlite3 .import failed (is the sqlite3 package installed?)\n";
      return 1;
    }

    // mailflow's import into a fresh store, in a child for a clean peak RSS.
    const std::string store_db = dir + "/bench-store.db";
    remove_db(store_db);
    ChildResult imp = in_child([&] {
      TraceStore store(store_db);
      ImportOptions o;
      o.batch_size = batch;
      ImportSummary s = import_trace_file(store, csv, o);
      std::cout << "import: " << s.imported << " imported, " << s.duplicates << " duplicates, "
                << s.rejected << " rejected\n";
      return s.imported == r.records ? 0 : 1;
    });
    if (imp.status != 0) {
      std::cerr << "bench: import failed\n";
      return 1;
    }

    double raw_rate = r.records / raw_seconds;
    double imp_rate = r.records / imp.seconds;
    std::printf("sqlite3 .import (baseline): %.2f s, %.0f records/s (%.2f s CPU)\n", raw_seconds,
                raw_rate, raw.cpu_seconds);
    std::printf("Import-MessageTrace:        %.2f s, %.0f records/s (batch %zu, %.2f s CPU)\n",
                imp.seconds, imp_rate, batch, imp.cpu_seconds);
    std::printf("ratio: %.2f of the baseline rate (target >= 0.33)\n", imp_rate / raw_rate);
    std::printf("peak RSS of the import: %.1f MiB (target < 100 MiB)\n", imp.max_rss_kb / 1024.0);
    if (!keep) {
      remove_db(raw_db);
      remove_db(store_db);
      std::filesystem::remove(csv);
    }
    return 0;
  } catch (const Error& e) {
    std::cerr << "import_bench: " << e.what() << "\n";
    return 1;
  }
}
