// -Format ExchangeOnline: Exchange Online message traces as administrators
// save them.
//   Get-MessageTrace / Get-MessageTraceV2 | Export-Csv   (with or without the
//       remote-session columns PSComputerName, RunspaceId, PSShowComputerName,
//       and the "#TYPE ..." line)
//   ... | ConvertTo-Json   (one array; Windows PowerShell 5.1 writes dates as
//       "\/Date(ms)\/"), or one object a line
//   the Reporting web service's MessageTrace feed: {"d":{"results":[...]}} or
//       {"odata.metadata":...,"value":[...]}
//   historical search reports (Start-HistoricalSearch): the summary CSV
//       (origin_timestamp_utc, sender_address, recipient_status as
//       "addr##Receive, Deliver;addr2##Receive, Fail", directionality,
//       connector_id, ...) and the extended CSV (date_time_utc, event_id,
//       source, ...: the message tracking fields, read by the tracking rules)
// Direction comes from `directionality` where the file has it, else from the
// sender's and recipients' domains against OrganizationDomains (mail with
// both ends inside, or both outside, makes no record). Status as the service
// wrote it. TLS is Unknown: none of these say it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/net_match.h"
#include "ingest/delimited_record.h"
#include "ingest/exchange_tracking_reader.h"
#include "ingest/trace_reader.h"
#include "ingest/utf16_lines.h"

namespace mailflow {

class ExchangeOnlineReader : public TraceReader {
 public:
  explicit ExchangeOnlineReader(const ReaderOptions& options);
  static bool looks_like(const std::vector<std::string>& head);

  void line(std::string_view text, std::int64_t number, ReaderSink& sink) override;
  void finish(ReaderSink& sink) override;

  // One message-trace record by header_key() name (received, senderaddress, ...).
  struct Fields;

 private:
  enum class Mode { Unknown, Csv, Summary, Extended, Json };
  void text_line(std::string_view text, std::int64_t number, ReaderSink& sink);
  void csv_line(std::string_view text, std::int64_t number, ReaderSink& sink);
  void json_line(std::string_view text, std::int64_t number, ReaderSink& sink);
  void json_object(std::int64_t number, ReaderSink& sink);
  void trace_record(const Fields& f, std::int64_t number, std::string_view raw, ReaderSink& sink);
  void summary_record(const Fields& f, std::int64_t number, std::string_view raw, ReaderSink& sink);
  bool inside(std::string_view address) const;

  ReaderOptions options_;
  std::vector<DomainPattern> org_;
  bool first_line_ = true;
  std::int64_t last_number_ = 0;
  std::optional<Utf16LeLines> utf16_;  // the file is UTF-16LE (historical search reports)
  Mode mode_ = Mode::Unknown;
  DelimitedRecord record_;
  std::vector<std::string> header_;  // header_key() of each CSV column
  std::vector<std::string> header_names_;  // as written
  std::unique_ptr<ExchangeTrackingReader> extended_;
  // JSON: the text of the record object being read and where it started.
  std::string object_;
  std::int64_t object_line_ = 0;
  int depth_ = 0;
  int record_depth_ = -1;   // depth of the objects that are records (inside the first array)
  int collect_depth_ = -1;  // depth at which the object in object_ started; -1: not collecting
  bool in_string_ = false;
  bool escape_ = false;
};

}  // namespace mailflow
