// Shared by import_bench and postfix_bench: run a piece of work in a forked
// child (so that its peak RSS, ru_maxrss, is its own) or run a command,
// and time it; the parse-only pass (a reader feeding a sink that stores
// nothing); the size of a store with its WAL.
#pragma once

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include "core/error.h"
#include "ingest/line_source.h"
#include "ingest/trace_reader.h"

namespace mailflow::bench {

struct ChildResult {
  double wall = 0;
  double cpu = 0;  // user + system
  long max_rss_kib = 0;
  int status = 0;
  bool ok() const { return WIFEXITED(status) && WEXITSTATUS(status) == 0; }
};

template <typename F>
ChildResult in_child(F work) {
  std::fflush(nullptr);
  std::cout.flush();
  auto t0 = std::chrono::steady_clock::now();
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
    std::cout.flush();
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

inline ChildResult run_command(const std::string& command) {
  return in_child([&] { return std::system(command.c_str()) == 0 ? 0 : 1; });
}

// Records counted, nothing stored: what reading and parsing alone cost.
class CountingSink : public ReaderSink {
 public:
  void trace(const Trace&, std::int64_t) override { ++records; }
  void reject(std::int64_t, std::string_view, std::string_view) override { ++records; }
  void refused(const RefusedConnection&, std::int64_t) override { ++records; }
  std::int64_t records = 0;
};

inline std::int64_t parse_only(const std::string& path, const std::string& format, const ReaderOptions& options) {
  const ReaderFormat* f = find_reader_format(format);
  if (!f || !f->make) throw Error("UnknownFormat", format);
  auto reader = f->make(options);
  LineSource source(path);
  LineSource::Line line;
  CountingSink sink;
  while (source.next(line)) reader->line(line.text, line.number, sink);
  reader->finish(sink);
  return sink.records;
}

inline std::int64_t store_bytes(const std::string& db) {
  std::int64_t total = 0;
  for (const char* suffix : {"", "-wal"})
    if (std::filesystem::exists(db + suffix)) total += static_cast<std::int64_t>(std::filesystem::file_size(db + suffix));
  return total;
}

inline std::string loadavg() {
  std::FILE* f = std::fopen("/proc/loadavg", "r");
  if (!f) return "?";
  char buf[128] = {};
  if (!std::fgets(buf, sizeof buf, f)) buf[0] = 0;
  std::fclose(f);
  std::string s(buf);
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace mailflow::bench
