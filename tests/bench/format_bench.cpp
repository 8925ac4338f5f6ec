// Output formatting benchmark (tests/bench/README.md): Format-Table (streamed
// and -AutoSize), Format-List, ConvertTo-Json and ConvertTo-Csv over
// trace-shaped records, each against a baseline measured in the same run:
// writing every cell's display text separated by spaces, the least work any
// text output of the same records must do.
//
//   build/bench/format_bench [--records N]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include "cmdlets/builtin.h"
#include "host/cmdlet.h"
#include "host/session.h"
#include "core/time.h"

using namespace mailflow;

namespace {

// Records shaped like Get-MessageTrace output (SPEC 4), all sharing a schema.
std::vector<Value> traces(size_t n) {
  auto schema = std::make_shared<Schema>(std::vector<std::string>{
      "Received", "Direction", "Connector", "TlsVersion", "Cipher", "SenderAddress",
      "RecipientAddress", "RemoteHost", "RemoteIP", "Size", "Status", "MessageId"});
  const char* tls[] = {"TLS1.3", "TLS1.2", "TLS1.2", "None", "TLS1.0"};
  std::vector<Value> out;
  out.reserve(n);
  UnixSeconds t = *parse_instant("2026-11-16T00:00:00Z");
  for (size_t i = 0; i < n; ++i) {
    std::string id = std::to_string(i);
    out.emplace_back(Record(
        schema, {Value(DateTime{t + static_cast<UnixSeconds>(i % 86400)}), Value(i % 2 ? "Inbound" : "Outbound"),
                 i % 7 ? Value("Contoso Partner") : Value(nullptr), Value(tls[i % 5]),
                 Value("TLS_AES_256_GCM_SHA384"), Value("user" + id + "@fabrikam.com"),
                 Value("admin@contoso.com"), Value("mx" + std::to_string(i % 50) + ".fabrikam.com"),
                 Value("203.0.113." + std::to_string(i % 250)), Value(static_cast<std::int64_t>(2048 + i % 90000)),
                 Value("Delivered"), Value("<" + id + "@mail.fabrikam.com>")}));
  }
  return out;
}

struct Result {
  double seconds;
  size_t bytes;
};

template <typename F>
Result timed(F f) {
  auto start = std::chrono::steady_clock::now();
  size_t bytes = f();
  return {std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), bytes};
}

size_t baseline(const std::vector<Value>& records) {
  size_t bytes = 0;
  std::string line;
  for (const Value& v : records) {
    line.clear();
    for (const Value& cell : v.as_record().values()) {
      line += cell.to_display();
      line += ' ';
    }
    bytes += line.size() + 1;
  }
  return bytes;
}

size_t run_cmdlet(Session& session, const char* name, BoundParameters params,
                  const std::vector<Value>& records) {
  const CmdletSpec* spec = session.registry->find(name);
  for (const ParamSpec& p : spec->parameters)
    if (p.default_value && !params.has(p.name)) params.set(p.name, *p.default_value);
  auto out = spec->run(session, params, std::make_unique<VectorStream>(records));
  size_t bytes = 0;
  while (auto line = out->next()) bytes += line->as_string().size() + 1;
  return bytes;
}

}  // namespace

int main(int argc, char** argv) {
  size_t n = 200000;
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], "--records") == 0) n = std::strtoul(argv[i + 1], nullptr, 10);
  setenv("LC_ALL", "C.UTF-8", 1);
  Registry registry;
  register_builtin_cmdlets(registry);
  Session session;
  session.registry = &registry;
  session.terminal_width = 200;

  std::vector<Value> records = traces(n);
  Result base = timed([&] { return baseline(records); });
  std::printf("records: %zu\n", n);
  std::printf("%-28s %8.3f s %9.1f MiB  1.00x\n", "baseline (cells joined)", base.seconds,
              base.bytes / 1048576.0);

  auto report = [&](const char* label, const char* cmdlet, BoundParameters params) {
    Result r = timed([&] { return run_cmdlet(session, cmdlet, params, records); });
    std::printf("%-28s %8.3f s %9.1f MiB  %.2fx baseline time\n", label, r.seconds, r.bytes / 1048576.0,
                r.seconds / base.seconds);
  };
  BoundParameters none;
  BoundParameters autosize;
  autosize.set("AutoSize", Value(true));
  BoundParameters compress;
  compress.set("Compress", Value(true));
  report("Format-Table", "Format-Table", none);
  report("Format-Table -AutoSize", "Format-Table", autosize);
  report("Format-List", "Format-List", none);
  report("ConvertTo-Json", "ConvertTo-Json", none);
  report("ConvertTo-Json -Compress", "ConvertTo-Json", compress);
  report("ConvertTo-Csv", "ConvertTo-Csv", none);
  return 0;
}
