// Declared examples are tests (STYLE.md; nushell's test_examples()): every
// example of every cmdlet, built-in or written in Lua (stdlib/cmdlets), runs
// through the pipeline runner against the example store, and must give
// output, not an error. Every record the example's last cmdlet emits is
// checked against the columns that cmdlet declares as its `outputs`.
//
// The example store: examples/sample-traces.csv (the shipped sample, 30 days
// ending 2026-11-22), a Postfix log with refused sessions, the real Postfix
// capture of 2026-12-01 (tests/data/postfix-world: failed TLS handshakes and
// SMTP AUTH submissions, for the TLS readiness examples), an export with
// one rejected line, and one disabled connector each way (Fabrikam inbound,
// 'Smart host' outbound) for the connector examples; today is 2026-11-23.
// Files the examples name are relative to a fresh working directory.
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>

#include "cmdlets/builtin.h"
#include "core/error.h"
#include "core/text.h"
#include "host/cmdlet.h"
#include "host/session.h"
#include "locale/messages.h"
#include "lua/lua_runtime.h"
#include "reports/insight_rule.h"
#include "shell/parser.h"
#include "shell/shell.h"
#include "store/trace_store.h"
#include "test_temp_dir.h"

namespace mailflow {
namespace {

namespace fs = std::filesystem;

struct ExampleCase {
  std::string cmdlet;
  size_t index;
  std::string command;
};

// Examples that cannot run in a test process, and why. Kept short: each is
// still checked to parse and to name its cmdlet's parameters.
const std::map<std::string, std::string> kNotRunHere = {
    {"Import-MessageTrace -Path '/var/log/mail.log*' -Year 2026", "reads the machine's own mail log"},
    {"Read-Host -Prompt 'Relay password' -AsSecureString", "reads the terminal"},
};

// One host: the built-in cmdlets, the stdlib (its rules and Lua cmdlets).
struct Host {
  explicit Host(TraceStore* store, DayNumber today) {
    register_builtin_cmdlets(registry);
    session.store = store;
    session.registry = &registry;
    session.rules = &rules;
    session.today = today;
    session.interrupted = &interrupted;
    lua = std::make_unique<LuaRuntime>(session);
    session.lua = lua.get();
    lua->load_stdlib(MAILFLOW_SOURCE_STDLIB);
  }
  ~Host() {
    session.lua = nullptr;
    lua.reset();
  }
  Registry registry;
  InsightRuleSet rules;
  std::atomic<bool> interrupted{false};
  Session session;
  std::unique_ptr<LuaRuntime> lua;
};

std::vector<ExampleCase> all_examples() {
  Host host(nullptr, *parse_date("2026-11-23"));
  std::vector<ExampleCase> cases;
  for (const CmdletSpec* c : host.registry.all())
    for (size_t i = 0; i < c->examples.size(); ++i) cases.push_back({c->name, i, c->examples[i].command});
  return cases;
}

// Runs in a fresh directory holding the example store; restores the
// working directory after.
class DeclaredExample : public ::testing::TestWithParam<ExampleCase> {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = info->name();
    for (char& c : name)
      if (c == '/') c = '-';
    dir_ = test::temp_dir() / ("mfex-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "examples");
    fs::create_directories(dir_ / "exports");
    fs::copy_file(fs::path(MAILFLOW_EXAMPLES) / "sample-traces.csv", dir_ / "examples" / "sample-traces.csv");
    fs::copy_file(fs::path(MAILFLOW_TEST_DATA) / "postfix" / "syslog-classic.log", dir_ / "postfix.log");
    fs::copy_file(fs::path(MAILFLOW_TEST_DATA) / "postfix-world" / "syslog-traditional.log",
                  dir_ / "postfix-world.log");
    // Today's traffic (the sample ends yesterday) and one line to reject.
    std::ofstream(dir_ / "exports" / "traces.csv")
        << "received,direction,connector,tls,cipher,sender,recipient,remote_host,remote_ip,size,status,message_id\n"
        << "2026-11-23T09:00:00Z,Inbound,Fabrikam Partner Inbound,TLS1.2,TLS_AES_256_GCM_SHA384,"
           "ann@fabrikam.com,bob@contoso.com,mail.fabrikam.com,203.0.113.25,2048,Delivered,<a1@fabrikam.com>\n"
        << "2026-11-23T09:05:00Z,Outbound,,None,,carol@contoso.com,dave@woodgrove.example,"
           "mx.woodgrove.example,198.51.100.7,4096,Delivered,<b2@contoso.com>\n"
        << "yesterday,Inbound,,TLS1.2,,ann@fabrikam.com,bob@contoso.com,,,2048,Delivered,<c3@fabrikam.com>\n";
    saved_cwd_ = fs::current_path();
    fs::current_path(dir_);
    store_ = std::make_unique<TraceStore>((dir_ / "mailflow.db").string());
    host_ = std::make_unique<Host>(store_.get(), *parse_date("2026-11-23"));
  }
  void TearDown() override {
    set_default_culture(nullptr);  // Set-MailFlowConfig -Culture sets the process default
    host_.reset();
    store_.reset();
    fs::current_path(saved_cwd_);
    fs::remove_all(dir_);
  }

  void prepare_store(const std::string& example) {
    run("Import-MessageTrace -Path examples/sample-traces.csv");
    run("Import-MessageTrace -Path postfix.log -Year 2026");
    run("Import-MessageTrace -Path postfix-world.log -Year 2026");
    run("Import-MessageTrace -Path exports/traces.csv");
    // The connector examples create these; the others find them.
    if (!istarts_with(example, "New-InboundConnector"))
      run("New-InboundConnector -Name Fabrikam -SenderDomains fabrikam.com -Enabled:$false");
    if (!istarts_with(example, "New-OutboundConnector"))
      run("New-OutboundConnector -Name 'Smart host' -SmartHosts relay.contoso.net -Enabled:$false");
  }

  std::vector<Value> run(const std::string& line) { return invoke_pipeline(host_->session, line); }

  const Registry& registry() const { return host_->registry; }

 private:
  fs::path dir_, saved_cwd_;
  std::unique_ptr<TraceStore> store_;
  std::unique_ptr<Host> host_;
};

// The declared outputs of `spec` as a column list, or nullopt when they
// describe something else: "String" (formatters and help emit lines) or a
// "(...)" note (Where-Object emits its input records).
std::optional<std::vector<std::string>> declared_columns(const CmdletSpec& spec) {
  if (spec.outputs.empty()) return std::vector<std::string>{};
  if (spec.outputs == std::vector<std::string>{"String"}) return std::nullopt;
  for (const std::string& o : spec.outputs)
    if (o.starts_with("(")) return std::nullopt;
  return spec.outputs;
}

// A record's columns are the declared ones, in the declared order; a view may
// leave some out (Get-TlsUsage without -ByConnector has no Connector column).
std::string check_columns(const Record& record, const std::vector<std::string>& declared) {
  size_t at = 0;
  for (const std::string& name : record.schema().names()) {
    while (at < declared.size() && declared[at] != name) ++at;
    if (at == declared.size())
      return "column '" + name + "' is not in the declared outputs (" + join(declared, ", ") +
             ") or out of their order";
    ++at;
  }
  return "";
}

TEST_P(DeclaredExample, RunsAndEmitsItsDeclaredOutputs) {
  const ExampleCase& example = GetParam();
  PipelineLine line = parse_pipeline(example.command);
  ASSERT_FALSE(line.stages.empty());
  const CmdletSpec* last = registry().find(line.stages.back().command);
  ASSERT_NE(last, nullptr) << example.command;
  bool runs_its_cmdlet = false;
  for (const Stage& stage : line.stages) runs_its_cmdlet |= registry().find(stage.command) == registry().find(example.cmdlet);
  EXPECT_TRUE(runs_its_cmdlet) << "example '" << example.command << "' does not run " << example.cmdlet;
  if (kNotRunHere.count(example.command)) GTEST_SKIP() << kNotRunHere.at(example.command);
  if ((last->name == "Out-Host" || last->name == "more") && ::isatty(STDOUT_FILENO))
    GTEST_SKIP() << "pages through $PAGER on a terminal";

  prepare_store(example.command);
  std::vector<Value> out;
  try {
    out = run(example.command);
  } catch (const Error& e) {
    FAIL() << "example '" << example.command << "' fails: " << e.what();
  }
  std::optional<std::vector<std::string>> columns = declared_columns(*last);
  if (columns && columns->empty()) {
    EXPECT_TRUE(out.empty()) << last->name << " declares no outputs but emitted " << out.size() << " values";
    return;  // a cmdlet that emits nothing (Export-Csv, Set-MailFlowConfig)
  }
  EXPECT_FALSE(out.empty()) << "example '" << example.command << "' gives no output on the example store";
  for (const Value& v : out) {
    if (!columns) continue;
    ASSERT_TRUE(v.is_record()) << last->name << " emitted " << v.to_display() << ", not a record";
    std::string problem = check_columns(v.as_record(), *columns);
    ASSERT_EQ(problem, "") << "example '" << example.command << "': " << last->name << " emitted "
                           << v.to_display();
  }
}

TEST(DeclaredExamples, EveryCmdletHasExamples) {
  Host host(nullptr, *parse_date("2026-11-23"));
  for (const CmdletSpec* c : host.registry.all())
    EXPECT_FALSE(c->examples.empty()) << c->name << " declares no examples";
}

TEST(DeclaredExamples, ColumnsAreCheckedInDeclaredOrder) {
  std::vector<std::string> declared = {"Direction", "Connector", "TlsVersion"};
  EXPECT_EQ(check_columns(make_record({"Direction", "TlsVersion"}, {Value("a"), Value("b")}).as_record(), declared), "");
  EXPECT_NE(check_columns(make_record({"TlsVersion", "Direction"}, {Value("a"), Value("b")}).as_record(), declared), "");
  EXPECT_NE(check_columns(make_record({"Extra"}, {Value("a")}).as_record(), declared), "");
}

void PrintTo(const ExampleCase& c, std::ostream* os) { *os << c.cmdlet << ": " << c.command; }

std::string case_name(const ::testing::TestParamInfo<ExampleCase>& info) {
  std::string name;
  for (char c : info.param.cmdlet)
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) name += c;
  return name + "_" + std::to_string(info.param.index + 1);
}

INSTANTIATE_TEST_SUITE_P(All, DeclaredExample, ::testing::ValuesIn(all_examples()), case_name);

}  // namespace
}  // namespace mailflow
