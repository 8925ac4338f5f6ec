// Import-MessageTrace, Get-ImportReject and New-SampleTraceData through the
// registry, as the shell runs them.
#include <gtest/gtest.h>

#include "../ingest/import_fixture.h"
#include "cmdlets/builtin.h"
#include "host/session.h"
#include "core/error.h"
#include "ingest/trace_reader.h"

namespace mailflow {

class IngestCmdlets : public testing::ImportFixture {
 protected:
  void SetUp() override {
    ImportFixture::SetUp();
    register_builtin_cmdlets(registry_);
    session_.store = store_.get();
    session_.registry = &registry_;
    session_.today = *parse_date("2026-11-22");
  }

  std::vector<Value> run(const std::string& cmdlet, BoundParameters params) {
    const CmdletSpec* spec = registry_.find(cmdlet);
    EXPECT_NE(spec, nullptr);
    for (const ParamSpec& p : spec->parameters)
      if (!params.has(p.name) && p.default_value) params.set(p.name, *p.default_value);
    auto out = spec->run(session_, params, std::make_unique<VectorStream>(std::vector<Value>{}));
    return collect(*out);
  }

  static std::string show(const Value& record) {
    std::string s;
    const Record& r = record.as_record();
    for (size_t i = 0; i < r.size(); ++i) s += (i ? " " : "") + r.name(i) + "=" + r.value(i).to_display();
    return s;
  }

  Registry registry_;
  Session session_;
};

TEST_F(IngestCmdlets, SampleThenImportThenReimport) {
  std::string file = path("sample.csv");
  BoundParameters gen;
  gen.set("Path", Value(file));
  gen.set("Days", Value(2));
  auto made = run("New-SampleTraceData", gen);
  ASSERT_EQ(made.size(), 1u);
  // Default EndDate is the session's today.
  EXPECT_EQ(made[0].as_record().get("EndDate")->to_display(), "2026-11-22");
  EXPECT_EQ(made[0].as_record().get("StartDate")->to_display(), "2026-11-21");
  std::int64_t records = made[0].as_record().get("Records")->as_int();

  BoundParameters imp;
  imp.set("Path", Value(Array{Value(file)}));
  auto first = run("Import-MessageTrace", imp);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(show(first[0]), "Path=" + file + " Format=Csv Lines=" + std::to_string(records + 1) +
                                " Imported=" + std::to_string(records) + " Duplicates=0 Rejected=0");
  auto second = run("Import-MessageTrace", imp);
  EXPECT_EQ(show(second[0]), "Path=" + file + " Format=Csv Lines=" + std::to_string(records + 1) +
                                 " Imported=0 Duplicates=" + std::to_string(records) + " Rejected=0");
}

TEST_F(IngestCmdlets, SeveralFilesOneSummaryEachAndRejectsListed) {
  std::string good = write_file("good.jsonl",
                                R"({"received":"2026-11-20T10:00:00Z","direction":"Inbound","sender":"a@fabrikam.com","recipient":"b@contoso.com"})"
                                "\n");
  std::string bad = write_file("bad.csv", std::string(testing::kCanonicalHeader) +
                                              "2026-11-20T10:00:00Z,Inbound,,TLS1.2,,a@b,c@d,,,1,,\n"
                                              "2026-11-20T10:00:00Z,Sideways,,TLS1.2,,a@b,c@d,,,1,,\n");
  BoundParameters imp;
  imp.set("Path", Value(Array{Value(good), Value(bad)}));
  auto out = run("Import-MessageTrace", imp);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(show(out[0]), "Path=" + good + " Format=Jsonl Lines=1 Imported=1 Duplicates=0 Rejected=0");
  EXPECT_EQ(show(out[1]), "Path=" + bad + " Format=Csv Lines=3 Imported=1 Duplicates=0 Rejected=1");

  BoundParameters filter;
  filter.set("Path", Value(bad));
  auto rejects = run("Get-ImportReject", filter);
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_EQ(show(rejects[0]), "Path=" + bad + " Line=3 Reason=unknown direction: 'Sideways' Text=" +
                                  "2026-11-20T10:00:00Z,Sideways,,TLS1.2,,a@b,c@d,,,1,,");
  EXPECT_EQ(run("Get-ImportReject", {}).size(), 1u);
  filter.set("Path", Value(good));
  EXPECT_EQ(run("Get-ImportReject", filter).size(), 0u);
}

TEST_F(IngestCmdlets, ErrorsNameTheFileOrFormat) {
  BoundParameters imp;
  imp.set("Path", Value(Array{Value(path("missing.csv"))}));
  try {
    run("Import-MessageTrace", imp);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("missing.csv"), std::string::npos);
  }
  std::string log = write_file("mail.log", "Nov 20 10:00:00 mx1 postfix/smtpd[1]: connect from x[192.0.2.1]\n");
  imp.set("Path", Value(Array{Value(log)}));
  imp.set("Format", Value("ExchangeConnectorReport"));
  try {
    run("Import-MessageTrace", imp);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.id(), "ImportFormat");
    EXPECT_NE(std::string(e.what()).find("mail.log"), std::string::npos);
  }
}

TEST_F(IngestCmdlets, WildcardPathsExpandInNameOrder) {
  std::string row = "2026-11-20T10:00:00Z,Inbound,,TLS1.2,,a@b,c@d,,,1,,";
  std::string b = write_file("b-part.csv", std::string(testing::kCanonicalHeader) + row + "\n");
  std::string a = write_file("a-part.csv", std::string(testing::kCanonicalHeader) + row + "0\n");
  BoundParameters imp;
  imp.set("Path", Value(Array{Value(path("*-part.csv"))}));
  auto out = run("Import-MessageTrace", imp);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].as_record().get("Path")->as_string(), a);
  EXPECT_EQ(out[1].as_record().get("Path")->as_string(), b);
  imp.set("Path", Value(Array{Value(path("*.nothing"))}));
  try {
    run("Import-MessageTrace", imp);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "cannot import '" + path("*.nothing") + "': no file matches it");
  }
}

TEST_F(IngestCmdlets, DeclaredFormatsMatchTheReaderList) {
  const ParamSpec* format = registry_.find("Import-MessageTrace")->parameter("Format");
  ASSERT_NE(format, nullptr);
  for (const std::string& name : format->validate_set) {
    if (name == "Auto") continue;
    EXPECT_NE(find_reader_format(name), nullptr) << name;
  }
}

}  // namespace mailflow
