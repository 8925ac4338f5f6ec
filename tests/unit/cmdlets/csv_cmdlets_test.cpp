// ConvertTo-Csv and Export-Csv: RFC 4180 quoting, exact values, and files
// that are never overwritten by accident nor left half-written.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cmdlets/cmdlet_fixture.h"
#include "core/error.h"
#include "shell/csv_text.h"
#include "test_temp_dir.h"

namespace mailflow {
namespace {

using testing::params;
using testing::tls_row;
using Lines = std::vector<std::string>;
namespace fs = std::filesystem;

class CsvCmdlets : public testing::CmdletFixture {
 protected:
  void SetUp() override {
    CmdletFixture::SetUp();
    dir_ = test::temp_dir() /
           ("mailflow-csv-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    fs::remove_all(dir_);
    CmdletFixture::TearDown();
  }

  static std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  static void write(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
  }
  // Files in the directory other than `keep`: leftovers of a failed write.
  size_t entries() const {
    return static_cast<size_t>(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()));
  }

  fs::path dir_;
};

std::vector<Value> awkward_rows() {
  return {
      make_record({"Sender", "Subject", "Size"}, {Value("a@contoso.com"), Value("Hello, world"), Value(12)}),
      make_record({"Sender", "Subject", "Size"},
                  {Value("b@fabrikam.com"), Value("She said \"no\""), Value(3.25)}),
      make_record({"Sender", "Subject", "Size"}, {Value(nullptr), Value("two\nlines"), Value(nullptr)}),
  };
}

TEST_F(CsvCmdlets, ConvertToCsvQuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(run("ConvertTo-Csv", {}, awkward_rows()),
            (Lines{"Sender,Subject,Size", "a@contoso.com,\"Hello, world\",12",
                   "b@fabrikam.com,\"She said \"\"no\"\"\",3.25", ",\"two\nlines\","}));
}

TEST_F(CsvCmdlets, ConvertToCsvAlwaysQuotesAndOtherDelimiters) {
  EXPECT_EQ(run("ConvertTo-Csv", params({{"UseQuotes", Value("Always")}, {"Delimiter", Value(";")}}),
                {tls_row("Inbound", Value("Contoso; EU"), "TLS1.2", 5, 50.0)}),
            (Lines{"\"Direction\";\"Connector\";\"TlsVersion\";\"Messages\";\"Percent\"",
                   "\"Inbound\";\"Contoso; EU\";\"TLS1.2\";\"5\";\"50\""}));
  EXPECT_EQ(run("ConvertTo-Csv", params({{"Delimiter", Value(";")}}),
                {make_record({"A", "B"}, {Value("x;y"), Value("x,y")})}),
            (Lines{"A;B", "\"x;y\";x,y"}));
}

TEST_F(CsvCmdlets, ConvertToCsvFirstRecordDecidesTheHeader) {
  EXPECT_EQ(run("ConvertTo-Csv", params({{"NoTypeInformation", Value(true)}}),
                {make_record({"A", "B"}, {Value(1), Value(2)}), make_record({"B", "C"}, {Value(3), Value(4)}),
                 Value("scalar")}),
            (Lines{"A,B", "1,2", ",3", ","}));
  EXPECT_EQ(run("ConvertTo-Csv", {}, {Value("x"), Value(2)}), (Lines{"Value", "x", "2"}));
  EXPECT_TRUE(run("ConvertTo-Csv", {}, {}).empty());
}

TEST_F(CsvCmdlets, ValuesAreExact) {
  EXPECT_EQ(run("ConvertTo-Csv", {},
                {make_record({"Received", "Day", "Ok", "Third"},
                             {Value(DateTime{*parse_instant("2026-11-16T08:15:02Z")}),
                              Value(Date{*parse_date("2026-11-16")}), Value(true), Value(1.0 / 3.0)})}),
            (Lines{"Received,Day,Ok,Third", "2026-11-16T08:15:02Z,2026-11-16,True,0.3333333333333333"}));
}

TEST_F(CsvCmdlets, BadDelimiterIsAnError) {
  EXPECT_ERROR_MESSAGE(run("ConvertTo-Csv", params({{"Delimiter", Value("::")}}), awkward_rows()),
                       "ConvertTo-Csv: -Delimiter must be one character other than a double quote "
                       "or line break, not '::'");
  EXPECT_ERROR_MESSAGE(run("Export-Csv", params({{"Path", Value((dir_ / "x.csv").string())},
                                                 {"Delimiter", Value("\"")}}),
                           awkward_rows()),
                       "Export-Csv: -Delimiter must be one character other than a double quote or "
                       "line break, not '\"'");
  EXPECT_EQ(entries(), 0u);
}

TEST_F(CsvCmdlets, ExportCsvWritesWhatConvertToCsvPrints) {
  fs::path out = dir_ / "traces.csv";
  EXPECT_TRUE(run_values("Export-Csv", params({{"Path", Value(out.string())}}), awkward_rows()).empty());
  EXPECT_EQ(read(out),
            "Sender,Subject,Size\na@contoso.com,\"Hello, world\",12\n"
            "b@fabrikam.com,\"She said \"\"no\"\"\",3.25\n,\"two\nlines\",\n");
  EXPECT_EQ(entries(), 1u);  // no temporary file left behind
  EXPECT_EQ(fs::status(out).permissions() & fs::perms::owner_read, fs::perms::owner_read);
}

TEST_F(CsvCmdlets, ExportCsvRefusesToOverwriteWithoutForce) {
  fs::path out = dir_ / "keep.csv";
  write(out, "precious\n");
  EXPECT_ERROR_MESSAGE(run_values("Export-Csv", params({{"Path", Value(out.string())}}), awkward_rows()),
                       "Export-Csv: '" + out.string() + "' already exists; use -Force to overwrite it");
  EXPECT_EQ(read(out), "precious\n");
  EXPECT_EQ(entries(), 1u);

  run_values("Export-Csv", params({{"Path", Value(out.string())}, {"Force", Value(true)}}),
             {make_record({"A"}, {Value(1)})});
  EXPECT_EQ(read(out), "A\n1\n");
  EXPECT_EQ(entries(), 1u);
}

// An upstream failure midway (a store error, Ctrl-C) must leave the old file.
class FailingStream : public RecordStream {
 public:
  std::optional<Value> next() override {
    if (n_++ < 2) return make_record({"A"}, {Value(n_)});
    throw Error("Interrupted", "interrupted");
  }

 private:
  int n_ = 0;
};

TEST_F(CsvCmdlets, ExportCsvLeavesNothingHalfWritten) {
  fs::path out = dir_ / "report.csv";
  write(out, "old\n");
  const CmdletSpec* spec = registry_.find("Export-Csv");
  BoundParameters p = params({{"Path", Value(out.string())}, {"Force", Value(true)}});
  EXPECT_THROW(spec->run(session_, p, std::make_unique<FailingStream>()), Error);
  EXPECT_EQ(read(out), "old\n");
  EXPECT_EQ(entries(), 1u);

  fs::path fresh = dir_ / "fresh.csv";
  BoundParameters q = params({{"Path", Value(fresh.string())}});
  EXPECT_THROW(spec->run(session_, q, std::make_unique<FailingStream>()), Error);
  EXPECT_FALSE(fs::exists(fresh));
  EXPECT_EQ(entries(), 1u);
}

TEST_F(CsvCmdlets, ExportCsvPathErrors) {
  EXPECT_ERROR_MESSAGE(run_values("Export-Csv", params({{"Path", Value(dir_.string())}, {"Force", Value(true)}}),
                                  awkward_rows()),
                       "Export-Csv: '" + dir_.string() + "' is a directory");
  fs::path missing = dir_ / "no-such-dir" / "x.csv";
  EXPECT_ERROR_MESSAGE(run_values("Export-Csv", params({{"Path", Value(missing.string())}}), awkward_rows()),
                       "Export-Csv: cannot create '" + missing.string() + "': No such file or directory");
  EXPECT_ERROR_MESSAGE(run_values("Export-Csv", params({{"Path", Value("")}}), awkward_rows()),
                       "Export-Csv: -Path must not be empty");
}

// -Force replaces regular files only: a FIFO (standing for /dev/null and
// other devices) stays what it is; a symbolic link is written through.
TEST_F(CsvCmdlets, ExportCsvForceNeverReplacesAFifoAndWritesThroughALink) {
  fs::path fifo = dir_ / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_ERROR_MESSAGE(
      run_values("Export-Csv", params({{"Path", Value(fifo.string())}, {"Force", Value(true)}}), awkward_rows()),
      "Export-Csv: '" + fifo.string() +
          "' is not a regular file (a device, FIFO or socket); only regular files are written or replaced");
  EXPECT_TRUE(fs::is_fifo(fs::symlink_status(fifo)));

  fs::path target = dir_ / "target.csv";
  std::ofstream(target) << "old\n";
  fs::path link = dir_ / "link.csv";
  fs::create_symlink(target, link);
  run_values("Export-Csv", params({{"Path", Value(link.string())}, {"Force", Value(true)}}), awkward_rows());
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(link)));
  EXPECT_NE(read(target), "old\n");
}

TEST_F(CsvCmdlets, EmptyInputWritesAnEmptyFile) {
  fs::path out = dir_ / "empty.csv";
  run_values("Export-Csv", params({{"Path", Value(out.string())}}), {});
  EXPECT_TRUE(fs::exists(out));
  EXPECT_EQ(read(out), "");
}

TEST(CsvField, Rfc4180) {
  CsvOptions o;
  EXPECT_EQ(csv_field("plain", o), "plain");
  EXPECT_EQ(csv_field("", o), "");
  EXPECT_EQ(csv_field("a,b", o), "\"a,b\"");
  EXPECT_EQ(csv_field("a\"b", o), "\"a\"\"b\"");
  EXPECT_EQ(csv_field("a\r\nb", o), "\"a\r\nb\"");
  EXPECT_EQ(csv_field(" spaced ", o), " spaced ");
  o.quoting = CsvQuoting::Always;
  EXPECT_EQ(csv_field("", o), "\"\"");
}

}  // namespace
}  // namespace mailflow
