// Update-ConnectorAttribution and Get-RefusedConnection: commands over what
// server logs left in the store.
#include <limits>
#include <memory>

#include "cmdlets/connector_cmdlets.h"
#include "cmdlets/report_parameters.h"
#include "host/session.h"
#include "core/error.h"
#include "ingest/reattribution.h"
#include "store/import_bookkeeping.h"
#include "store/trace_store.h"

namespace mailflow {

namespace {

std::unique_ptr<RecordStream> run_update(Session& session, const BoundParameters& p, std::unique_ptr<RecordStream>) {
  if (!session.store) throw Error("NoStore", "Update-ConnectorAttribution: no trace store is open");
  // Not a report: any length of range, and without one every stored trace.
  DateRangeRequest request = bound_date_request(p);
  UnixSeconds start = std::numeric_limits<UnixSeconds>::min(), end = std::numeric_limits<UnixSeconds>::max();
  if (request.start || request.end || request.days) {
    DateRange range = resolve_date_range(request, session.today, std::numeric_limits<int>::max());
    start = range.start();
    end = range.end();
  }
  ReattributionSummary s = reattribute_connectors(*session.store, start, end);
  return std::make_unique<VectorStream>(std::vector<Value>{
      make_record({"Examined", "Changed"}, {Value(s.examined), Value(s.changed)})});
}

class RefusedStream : public RecordStream {
 public:
  RefusedStream(TraceStore& store, UnixSeconds start, UnixSeconds end)
      : schema_(std::make_shared<const Schema>(
            std::vector<std::string>{"Time", "ClientHost", "ClientIP", "Sender", "Recipient", "Reason"})),
        cursor_(store, start, end) {}
  std::optional<Value> next() override {
    auto row = cursor_.next();
    if (!row) return std::nullopt;
    auto text = [](std::optional<std::string>& s) { return s ? Value(std::move(*s)) : Value(); };
    return Value(Record(schema_, {Value(DateTime{row->time}), text(row->client_host), text(row->client_ip),
                                  text(row->sender), text(row->recipient), Value(std::move(row->reason))}));
  }

 private:
  std::shared_ptr<const Schema> schema_;
  RefusedConnectionCursor cursor_;
};

std::unique_ptr<RecordStream> run_refused(Session& session, const BoundParameters& p, std::unique_ptr<RecordStream>) {
  if (!session.store) throw Error("NoStore", "Get-RefusedConnection: no trace store is open");
  DateRange range = bound_date_range(session, p);  // as every report: default 7 days, MaxReportDays
  return std::make_unique<RefusedStream>(*session.store, range.start(), range.end());
}

}  // namespace

CmdletSpec update_connector_attribution_cmdlet() {
  CmdletSpec spec;
  spec.name = "Update-ConnectorAttribution";
  spec.synopsis = "Re-attributes stored server-log traces to connectors after connectors changed.";
  spec.description =
      "Applies the connector definitions as they are now (order: Get-Help about_Connectors) to the "
      "stored traces of log formats (Postfix) and moves their daily rollups in the same "
      "transaction, so that reports afterwards equal a fresh import. Traces from CSV or JSON Lines "
      "keep the connector their file named. Without -StartDate, -EndDate or -Days every stored "
      "trace is examined.";
  spec.parameters = declare_parameters({ParameterSet::Range});
  spec.outputs = {"Examined", "Changed"};
  spec.examples = {{"Update-ConnectorAttribution", "Re-attribute every stored log trace."},
                   {"Update-ConnectorAttribution -Days 30", "Only the last 30 days."}};
  spec.run = run_update;
  return spec;
}

CmdletSpec get_refused_connection_cmdlet() {
  CmdletSpec spec;
  spec.name = "Get-RefusedConnection";
  spec.synopsis = "Lists the sessions the mail server refused (Postfix NOQUEUE rejects), newest first.";
  spec.description =
      "Refused sessions are counted in the import summary (Refused) and kept here, one row per "
      "refusal: when, which client, the envelope sender and recipient when logged, and the "
      "server's reply. The range is that of the reports: the 7 days ending today by default, at "
      "most MaxReportDays.";
  spec.parameters = declare_parameters({ParameterSet::Range});
  spec.outputs = {"Time", "ClientHost", "ClientIP", "Sender", "Recipient", "Reason"};
  spec.examples = {{"Get-RefusedConnection -Days 30", "Every refusal of the last 30 days."}};
  spec.run = run_refused;
  return spec;
}

}  // namespace mailflow
