// Postfix import benchmark: generates a large Postfix log by replicating the
// captured one (tests/data/postfix/mx1-maillog.log) with shifted queue ids
// and times, then, in the same run, times `wc -l`, the parse-only pass (the
// Postfix reader into a sink that stores nothing), pflogsumm over the file
// (the baseline) and Import-MessageTrace -Format Postfix into a fresh
// store, each in its own child process so that peak RSS (ru_maxrss) is its
// own; prints the store's size against the log's and the load average.
// Usage: see tests/bench/README.md.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "core/time.h"
#include "ingest/importer.h"
#include "ingest/postfix_patterns.h"
#include "ingest/syslog_header.h"
#include "store/trace_store.h"
#include "bench_child.h"

using namespace mailflow;
using namespace mailflow::bench;

namespace {

const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Writes copies of the sample, copy k shifted by k * 30 s and with its queue
// ids suffixed by k, until the file reaches `bytes`.
std::int64_t generate(const std::string& sample_path, const std::string& out_path, std::int64_t bytes) {
  std::ifstream in(sample_path);
  if (!in) throw std::runtime_error("cannot read " + sample_path);
  struct Line {
    UnixSeconds t;
    std::string tag_and_host;  // "mx1 postfix/smtp[6683]: "
    std::string qid;           // leading queue id, or empty
    std::string rest;          // message after the queue id
  };
  std::vector<Line> lines;
  for (std::string l; std::getline(in, l);) {
    auto h = parse_syslog_header(l);
    if (!h) continue;
    CivilDate d{2026, h->month, h->day};
    Line x;
    x.t = start_of_day(days_from_civil(d)) + h->hour * 3600 + h->minute * 60 + h->second;
    x.tag_and_host = std::string(h->host) + " " + std::string(h->tag) + ": ";
    std::string_view m = h->message;
    size_t colon = m.find(": ");
    if (colon != std::string_view::npos && is_queue_id(m.substr(0, colon))) {
      x.qid = m.substr(0, colon);
      m.remove_prefix(colon);
    }
    x.rest = m;
    lines.push_back(std::move(x));
  }
  std::ofstream out(out_path, std::ios::binary);
  std::int64_t written = 0, copies = 0;
  char stamp[32], suffix[16];
  std::string buf;
  while (written < bytes) {
    std::snprintf(suffix, sizeof suffix, "%llX", static_cast<unsigned long long>(copies));
    for (const Line& l : lines) {
      UnixSeconds t = l.t + copies * 30;
      CivilDate c = civil_from_days(day_of(t));
      int s = static_cast<int>(t - start_of_day(day_of(t)));
      std::snprintf(stamp, sizeof stamp, "%s %2u %02d:%02d:%02d ", kMonths[c.month - 1], c.day, s / 3600, s / 60 % 60,
                    s % 60);
      buf.assign(stamp);
      buf += l.tag_and_host;
      if (!l.qid.empty()) buf += l.qid + "G" + suffix;
      buf += l.rest;
      buf += '\n';
      out << buf;
      written += static_cast<std::int64_t>(buf.size());
    }
    ++copies;
  }
  return copies;
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t mb = 1024;
  std::string dir = "/tmp/mailflow-postfix-bench";
  std::string sample = "tests/data/postfix/mx1-maillog.log";
  bool reuse = false, keep = false, import_only = false, parse_only_here = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--mb" && i + 1 < argc) mb = std::atoll(argv[++i]);
    else if (a == "--dir" && i + 1 < argc) dir = argv[++i];
    else if (a == "--sample" && i + 1 < argc) sample = argv[++i];
    else if (a == "--reuse") reuse = true;
    else if (a == "--keep") keep = true;
    else if (a == "--import-only") import_only = true;
    else if (a == "--parse-only") parse_only_here = true;
    else {
      std::cerr << "usage: postfix_bench [--mb N] [--dir DIR] [--sample LOG] [--reuse] [--keep] [--import-only] [--parse-only]\n";
      return 2;
    }
  }
  std::filesystem::create_directories(dir);
  std::string log = dir + "/maillog";
  std::string db = dir + "/bench.db";
  if (!reuse || !std::filesystem::exists(log)) {
    std::int64_t copies = generate(sample, log, mb * 1024 * 1024);
    std::cout << "generated " << log << ": " << copies << " copies of " << sample << "\n";
  }
  double size_mib = static_cast<double>(std::filesystem::file_size(log)) / (1024 * 1024);
  std::cout << "log size: " << size_mib << " MiB\n";

  ReaderOptions reader;
  reader.year = 2026;
  reader.time_zone = "UTC";
  reader.internal_networks = {"127.0.0.1/32", "::1/128"};
  std::printf("load average before: %s\n", loadavg().c_str());
  // --import-only: the import alone, in this process (for a profiler).
  if (import_only) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
    TraceStore store(db);
    ImportOptions o;
    o.format = "Postfix";
    o.reader = reader;
    ImportSummary s = import_trace_file(store, log, o);
    std::cout << "imported " << s.imported << " traces, " << s.refused << " refused, " << s.lines << " lines\n";
    return 0;
  }
  // --parse-only: the parse-only pass alone, timed (to measure the parser
  // without pflogsumm and the import; perf follows the child).
  if (parse_only_here) {
    ChildResult parse = in_child([&] {
      std::cout << "parse only: " << parse_only(log, "Postfix", reader) << " records\n";
      return 0;
    });
    std::printf("load average after:  %s\n", loadavg().c_str());
    std::printf("parse only: wall %.3f s  cpu %.3f s  %.1f MiB/s (wall)\n", parse.wall, parse.cpu, size_mib / parse.wall);
    return parse.ok() ? 0 : 1;
  }
  ChildResult wc = run_command("wc -l '" + log + "' >/dev/null");
  ChildResult parse = in_child([&] {
    std::cout << "parse only: " << parse_only(log, "Postfix", reader) << " records\n";
    return 0;
  });
  ChildResult base = in_child([&] {
    int fd = ::open("/dev/null", O_WRONLY);
    dup2(fd, 1);
    execlp("pflogsumm", "pflogsumm", log.c_str(), static_cast<char*>(nullptr));
    std::perror("pflogsumm");
    return 127;
  });
  if (!base.ok()) {
    std::cerr << "pflogsumm failed (is it installed? apt-get install pflogsumm)\n";
    return 1;
  }

  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
  ChildResult ours = in_child([&] {
    TraceStore store(db);
    ImportOptions o;
    o.format = "Postfix";
    o.reader = reader;
    ImportSummary s = import_trace_file(store, log, o);
    std::cout << "imported " << s.imported << " traces, " << s.refused << " refused, " << s.rejected
              << " rejected, " << s.lines << " lines\n";
    return 0;
  });
  if (!ours.ok()) {
    std::cerr << "import failed\n";
    return 1;
  }
  std::int64_t store = store_bytes(db);
  std::printf("load average after:  %s\n", loadavg().c_str());
  auto line = [&](const char* what, const ChildResult& r) {
    std::printf("%-20s wall %7.2f s  cpu %7.2f s  %7.1f MiB/s (wall)  peak RSS %6.1f MiB\n", what, r.wall, r.cpu,
                size_mib / r.wall, r.max_rss_kib / 1024.0);
  };
  line("wc -l", wc);
  line("parse only", parse);
  line("pflogsumm", base);
  line("Import-MessageTrace", ours);
  double ratio = base.wall / ours.wall;
  std::printf("speed-up vs pflogsumm: %.2fx by wall time (target >= 8x: %s), %.2fx by CPU time\n", ratio,
              ratio >= 8 ? "met" : "MISSED", base.cpu / ours.cpu);
  std::printf("peak RSS %.1f MiB (target < 100 MiB: %s); store %.1f MiB = %.1f%% of the log (target <= 25%%: %s)\n",
              ours.max_rss_kib / 1024.0, ours.max_rss_kib < 100 * 1024 ? "met" : "MISSED", store / 1048576.0,
              100.0 * store / (size_mib * 1048576.0), store <= size_mib * 1048576.0 / 4 ? "met" : "MISSED");
  if (!keep) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
    std::filesystem::remove(log);
  }
  return 0;
}
