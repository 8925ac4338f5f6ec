// Postfix import benchmark: generates a large Postfix log by replicating the
// captured one (tests/data/postfix/mx1-maillog.log) with shifted queue ids
// and times, then, in the same run, times pflogsumm over the file (the
// baseline) and Import-MessageTrace -Format Postfix into a fresh store, each
// in its own child process so that peak RSS (ru_maxrss) is its own.
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

using namespace mailflow;

namespace {

struct ChildResult {
  double wall = 0, cpu = 0;
  long max_rss_kib = 0;
  int status = 0;
};

template <typename F>
ChildResult in_child(F work) {
  std::fflush(nullptr);
  auto t0 = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    int rc = work();
    std::fflush(nullptr);
    _exit(rc);
  }
  ChildResult r;
  struct rusage usage {};
  wait4(pid, &r.status, 0, &usage);
  r.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.cpu = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
  r.max_rss_kib = usage.ru_maxrss;
  return r;
}

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
  bool reuse = false, keep = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--mb" && i + 1 < argc) mb = std::atoll(argv[++i]);
    else if (a == "--dir" && i + 1 < argc) dir = argv[++i];
    else if (a == "--sample" && i + 1 < argc) sample = argv[++i];
    else if (a == "--reuse") reuse = true;
    else if (a == "--keep") keep = true;
    else {
      std::cerr << "usage: postfix_bench [--mb N] [--dir DIR] [--sample LOG] [--reuse] [--keep]\n";
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

  ChildResult base = in_child([&] {
    int fd = ::open("/dev/null", O_WRONLY);
    dup2(fd, 1);
    execlp("pflogsumm", "pflogsumm", log.c_str(), static_cast<char*>(nullptr));
    std::perror("pflogsumm");
    return 127;
  });
  if (!WIFEXITED(base.status) || WEXITSTATUS(base.status) != 0) {
    std::cerr << "pflogsumm failed (is it installed? apt-get install pflogsumm)\n";
    return 1;
  }

  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
  ImportSummary summary;
  ChildResult ours = in_child([&] {
    TraceStore store(db);
    ImportOptions o;
    o.format = "Postfix";
    o.reader.year = 2026;
    o.reader.time_zone = "UTC";
    o.reader.internal_networks = {"127.0.0.1/32", "::1/128"};
    ImportSummary s = import_trace_file(store, log, o);
    std::cout << "imported " << s.imported << " traces, " << s.refused << " refused, " << s.rejected
              << " rejected, " << s.lines << " lines\n";
    return 0;
  });
  if (!WIFEXITED(ours.status) || WEXITSTATUS(ours.status) != 0) {
    std::cerr << "import failed\n";
    return 1;
  }
  std::printf("pflogsumm:           wall %7.1f s  cpu %7.1f s  peak RSS %6.1f MiB  (%.1f MiB/s cpu)\n", base.wall,
              base.cpu, base.max_rss_kib / 1024.0, size_mib / base.cpu);
  std::printf("Import-MessageTrace: wall %7.1f s  cpu %7.1f s  peak RSS %6.1f MiB  (%.1f MiB/s cpu)\n", ours.wall,
              ours.cpu, ours.max_rss_kib / 1024.0, size_mib / ours.cpu);
  std::printf("speed-up vs pflogsumm: %.2fx by CPU time, %.2fx by wall time (target >= 5x); peak RSS target < 200 MiB\n",
              base.cpu / ours.cpu, base.wall / ours.wall);
  if (!keep) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
    std::filesystem::remove(log);
  }
  return 0;
}
