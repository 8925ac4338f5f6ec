// -Format ExchangeConnectorReport: the "Connector report details" that the
// new EAC's Inbound messages and Outbound messages reports export (Exchange
// Online keeps 90 days of them):
//   "Date","Connector direction and name","Connector type","Forced TLS","No TLS","TLS 1.0","TLS 1.1","TLS 1.2","Volume"
//   "11/10/2026","Inbound - Inbound from Fabrikam","Partner","Yes","0.00%","0.00%","0.00%","100.00%","37"
// Each row is a day's count of messages for one direction and connector
// (`Internet` as the name or type: mail without a connector), split by TLS.
// The TLS columns are shares of Volume ("97.50%") or counts; shares become
// counts that add up to Volume (largest remainder). The rows go into the
// daily rollup as delivered messages: the reports count them, Get-MessageTrace
// has no records for them.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "ingest/delimited_record.h"
#include "ingest/trace_reader.h"

namespace mailflow {

class ExchangeConnectorReportReader : public TraceReader {
 public:
  explicit ExchangeConnectorReportReader(const ReaderOptions& options);
  static bool looks_like(const std::vector<std::string>& head);

  void line(std::string_view text, std::int64_t number, ReaderSink& sink) override;
  void finish(ReaderSink& sink) override;

 private:
  enum Column : int { Date, DirectionAndName, Type, NoTls, Tls10, Tls11, Tls12, Tls13, Volume, kColumnCount };
  void row(std::int64_t number, ReaderSink& sink);

  ReaderOptions options_;
  DelimitedRecord record_;
  bool have_header_ = false;
  std::array<int, kColumnCount> index_{};
  std::array<std::string, kColumnCount> names_;
  std::size_t width_ = 0;
};

}  // namespace mailflow
