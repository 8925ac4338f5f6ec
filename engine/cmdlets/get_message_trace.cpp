// Get-MessageTrace: stored trace records, newest first, streamed lazily from
// one SQLite statement so that `| Select-Object -First 5` reads five rows.
#include <iostream>
#include <limits>

#include "cmdlets/report_parameters.h"
#include "host/session.h"
#include "core/error.h"
#include "core/trace_fields.h"
#include "core/wildcard.h"
#include "reports/connector_names.h"
#include "store/report_totals.h"
#include "store/trace_query.h"

namespace mailflow {

namespace {

constexpr std::int64_t kDefaultPageSize = 1000;
constexpr std::int64_t kMaxPageSize = 5000;

const std::shared_ptr<const Schema>& trace_schema() {
  static const auto schema = std::make_shared<const Schema>(trace_property_names());
  return schema;
}

Value trace_record(const Trace& t) {
  std::vector<Value> values;
  values.reserve(kTraceFieldCount);
  for (const TraceField& f : kTraceFields) values.push_back(trace_field_value(f, t));
  return Value(Record(trace_schema(), std::move(values)));
}

class MessageTraceStream : public RecordStream {
 public:
  MessageTraceStream(TraceStore& store, const TraceQuery& query) : cursor_(store, query) {}
  std::optional<Value> next() override {
    auto t = cursor_.next();
    if (!t) return std::nullopt;
    return trace_record(*t);
  }

 private:
  TraceCursor cursor_;
};

std::optional<UnixSeconds> instant_parameter(const BoundParameters& params, const char* name) {
  const Value* v = params.find(name);
  if (!v || v->is_null()) return std::nullopt;
  if (auto t = params.instant(name)) return t;
  if (v->is_string())
    if (auto t = parse_instant(trim(v->as_string()))) return t;
  throw Error("InvalidDate", std::string("-") + name + " '" + v->to_display() +
                                 "' is not a date and time (expected ISO-8601, e.g. 2026-11-16T08:15:02Z)");
}

std::string address_glob(const std::string& param, const std::string& value) {
  if (trim(value).empty()) throw Error("InvalidParameter", "-" + param + " needs an address or a pattern");
  return wildcard_to_glob(trim(value));
}

std::string domain_glob(const std::string& param, const std::string& value) {
  std::string_view d = trim(value);
  if (!d.empty() && d.front() == '@') d.remove_prefix(1);
  if (d.empty() || d.find('@') != std::string_view::npos)
    throw Error("InvalidParameter", "-" + param + " '" + value + "' is not a domain (e.g. contoso.com)");
  return "*@" + literal_to_glob(d);
}

std::int64_t page_parameter(const BoundParameters& params, const char* name, std::int64_t fallback,
                            std::int64_t max) {
  auto v = params.integer(name);
  if (!v) return fallback;
  if (*v < 1 || *v > max)
    throw Error("InvalidParameter", std::string("-") + name + " " + std::to_string(*v) +
                                        " is out of range: give 1 to " + std::to_string(max));
  return *v;
}

TraceQuery bound_trace_query(Session& session, const BoundParameters& params) {
  TraceQuery q;
  DateRange range = bound_date_range(session, params);
  q.from = range.start();
  q.to = range.end();
  // A parameter pushed down from a Where-Object filters within the page;
  // the others choose the rows before paging (shell/pushdown.h).
  auto target = [&](const char* name) -> TraceFilter& { return params.pushed(name) ? q.in_page : q.where; };
  // Integer seconds make strict and inclusive bounds exact: > t is >= t+1.
  auto raise_from = [&](const char* name, UnixSeconds t) {
    if (params.pushed(name)) q.in_page.received_from = std::max(q.in_page.received_from.value_or(t), t);
    else q.from = std::max(q.from, t);
  };
  auto lower_to = [&](const char* name, UnixSeconds t) {
    if (params.pushed(name)) q.in_page.received_to = std::min(q.in_page.received_to.value_or(t), t);
    else q.to = std::min(q.to, t);
  };
  if (auto t = instant_parameter(params, "ReceivedAfter")) raise_from("ReceivedAfter", *t + 1);
  if (auto t = instant_parameter(params, "ReceivedOnOrAfter")) raise_from("ReceivedOnOrAfter", *t);
  if (auto t = instant_parameter(params, "ReceivedBefore")) lower_to("ReceivedBefore", *t);
  if (auto t = instant_parameter(params, "ReceivedOnOrBefore")) lower_to("ReceivedOnOrBefore", *t + 1);
  auto connector = params.string("Connector");
  if (connector && params.flag("NoConnector"))
    throw Error("ConflictingParameters", "-Connector and -NoConnector exclude each other; give one of them");
  // A pushed-down condition that no record can meet (`Where-Object Connector
  // -eq 'Nope'`, a TLS value that names no version) gives no rows, as the
  // same filter after a Sort-Object does; only a parameter the user typed
  // is an error (UnknownConnector, InvalidParameter).
  bool impossible = false;
  auto pushed_or_throw = [&](const char* name, const auto& convert) {
    try {
      convert();
    } catch (const Error& e) {
      if (!params.pushed(name) || e.id() == "OperationInterrupted") throw;
      impossible = true;
    }
  };
  if (connector)
    pushed_or_throw("Connector", [&] { target("Connector").connectors = resolve_connector(*session.store, *connector, session.connector_names); });
  if (params.flag("NoConnector")) target("NoConnector").no_connector = true;
  if (auto d = params.string("Direction"))
    pushed_or_throw("Direction", [&] {
      target("Direction").direction = parse_direction(*d);
      if (!target("Direction").direction)
        throw Error("InvalidDirection", "-Direction '" + *d + "' is not Inbound or Outbound");
    });
  if (auto v = params.string("TlsVersion"))
    pushed_or_throw("TlsVersion", [&] {
      target("TlsVersion").tls = parse_tls(*v);
      if (!target("TlsVersion").tls || trim(*v).empty())
        throw Error("InvalidParameter", "-TlsVersion '" + *v + "' is not one of None, TLS1.0, TLS1.1, TLS1.2, TLS1.3");
    });
  if (auto v = params.string("SenderAddress"))
    target("SenderAddress").sender_globs.push_back(address_glob("SenderAddress", *v));
  if (auto v = params.string("SenderDomain"))
    target("SenderDomain").sender_globs.push_back(domain_glob("SenderDomain", *v));
  if (auto v = params.string("RecipientAddress"))
    target("RecipientAddress").recipient_globs.push_back(address_glob("RecipientAddress", *v));
  if (auto v = params.string("RecipientDomain"))
    target("RecipientDomain").recipient_globs.push_back(domain_glob("RecipientDomain", *v));
  if (auto v = params.string("Status")) target("Status").status = std::string(trim(*v));
  std::int64_t page_size = page_parameter(params, "PageSize", kDefaultPageSize, kMaxPageSize);
  std::int64_t page = page_parameter(params, "Page", 1, std::numeric_limits<std::int64_t>::max() / kMaxPageSize);
  q.limit = impossible ? 0 : page_size;
  q.offset = (page - 1) * page_size;
  return q;
}

}  // namespace

CmdletSpec get_message_trace_cmdlet() {
  CmdletSpec spec;
  spec.name = "Get-MessageTrace";
  spec.synopsis = "Stored trace records, newest first.";
  spec.description =
      "Every record in the range (any Status), newest first, one page at a time (-PageSize, "
      "default 1000, at most 5000; -Page from 1). -SenderAddress and -RecipientAddress take "
      "PowerShell wildcards (* ? [a-z], ` escapes) and match case-insensitively; -SenderDomain and "
      "-RecipientDomain match the part after the @ exactly (case-insensitive). -ReceivedAfter and "
      "-ReceivedBefore are strict, -ReceivedOnOrAfter and -ReceivedOnOrBefore inclusive; they "
      "narrow the date range. A Where-Object on Received, Direction, Connector, TlsVersion, "
      "SenderAddress or RecipientAddress right after this cmdlet is done in the store, before "
      "paging.";
  spec.parameters = declare_parameters({
      ParameterSet::Range, ParameterSet::Direction, ParameterSet::Connector,
      Param::Enum("TlsVersion", tls_version_names(), "only this TLS version").completion(Completion::TlsVersion),
      Param::String("SenderAddress", "envelope sender; wildcards allowed"),
      Param::String("RecipientAddress", "envelope recipient; wildcards allowed"),
      Param::String("SenderDomain", "domain of the envelope sender"),
      Param::String("RecipientDomain", "domain of the envelope recipient"),
      Param::String("Status", "only this Status (Delivered, Failed, ...)"),
      Param::Int("PageSize", "records per page (default 1000, at most 5000)")
          .min(1)
          .max(static_cast<double>(kMaxPageSize))
          .default_value(Value(kDefaultPageSize)),
      Param::Int("Page", "which page, from 1").min(1).default_value(Value(static_cast<std::int64_t>(1))),
      Param::Date("ReceivedAfter", "only records received strictly after this instant"),
      Param::Date("ReceivedOnOrAfter", "only records received at or after this instant"),
      Param::Date("ReceivedBefore", "only records received strictly before this instant"),
      Param::Date("ReceivedOnOrBefore", "only records received at or before this instant"),
  });
  spec.outputs = trace_property_names();
  spec.pushdown = {
      {"Direction", "eq", "Direction"},         {"Connector", "eq", "Connector"},
      {"TlsVersion", "eq", "TlsVersion"},       {"SenderAddress", "eq", "SenderAddress"},
      {"SenderAddress", "like", "SenderAddress"}, {"RecipientAddress", "eq", "RecipientAddress"},
      {"RecipientAddress", "like", "RecipientAddress"}, {"Received", "gt", "ReceivedAfter"},
      {"Received", "ge", "ReceivedOnOrAfter"},  {"Received", "lt", "ReceivedBefore"},
      {"Received", "le", "ReceivedOnOrBefore"},
  };
  spec.examples = {
      {"Get-MessageTrace -SenderAddress *@fabrikam.com -Days 2", "Everything fabrikam.com sent in the last two days."},
      {"Get-MessageTrace -Connector 'Legacy App Relay' -TlsVersion None", "Plain-text messages through one connector."},
  };
  spec.run = [](Session& session, const BoundParameters& params, std::unique_ptr<RecordStream>)
      -> std::unique_ptr<RecordStream> {
    TraceQuery query = bound_trace_query(session, params);
    // Days imported from the EAC connector report count in the reports but
    // have no message records: say so, as the warning stream does.
    if (query.to > query.from) {
      std::vector<DayNumber> days =
          ReportTotalsStore::days_with_totals(*session.store, day_of(query.from), day_of(query.to - 1));
      if (!days.empty()) {
        std::string list;
        for (std::size_t i = 0; i < days.size() && i < 10; ++i) list += (i ? ", " : "") + format_date(days[i]);
        if (days.size() > 10) list += ", …";
        std::cerr << "WARNING: " << list << ": totals only (imported from the connector report), no message "
                  << "records for " << (days.size() == 1 ? "that day" : "those days") << "\n";
      }
    }
    return std::make_unique<MessageTraceStream>(*session.store, std::move(query));
  };
  return spec;
}

}  // namespace mailflow
