// New-SampleTraceData: writes a deterministic, realistic canonical CSV for
// the fictional Contoso (engine/ingest/sample_traces.h has the traffic model).
#include <memory>

#include "host/cmdlet.h"
#include "host/parameters.h"
#include "host/session.h"
#include "ingest/sample_traces.h"

namespace mailflow {

namespace {

std::unique_ptr<RecordStream> run(Session& session, const BoundParameters& params,
                                  std::unique_ptr<RecordStream>) {
  SampleTraceOptions options;
  options.end_day = session.today;
  if (auto end = params.instant("EndDate")) options.end_day = day_of(*end);
  options.days = static_cast<int>(params.integer("Days").value_or(30));
  options.messages_per_day = static_cast<int>(params.integer("MessagesPerDay").value_or(200));
  options.seed = static_cast<std::uint64_t>(params.integer("Seed").value_or(1));
  std::string path = *params.string("Path");
  SampleTraceResult r = write_sample_traces(path, options);
  static const auto schema = std::make_shared<const Schema>(
      std::vector<std::string>{"Path", "Records", "StartDate", "EndDate"});
  std::vector<Value> out;
  out.emplace_back(Record(schema, {Value(path), Value(r.records), Value(Date{r.start_day}),
                                   Value(Date{r.end_day})}));
  return std::make_unique<VectorStream>(std::move(out));
}

}  // namespace

CmdletSpec new_sample_trace_data_cmdlet() {
  CmdletSpec spec;
  spec.name = "New-SampleTraceData";
  spec.synopsis = "Writes a realistic sample trace CSV for the fictional contoso.com.";
  spec.description =
      "Generates -Days days of traffic ending on -EndDate (default: today): internet mail "
      "without a connector, the hybrid pair 'Contoso On-Premises Inbound'/'Outbound', the "
      "partner connectors 'Fabrikam Partner Inbound' (mostly TLS1.0) and 'Fabrikam Partner "
      "Outbound', and 'Legacy App Relay' (mostly plain text), with business-hours and weekly "
      "rhythm and a few Failed and Pending messages. -MessagesPerDay is a business day's volume; "
      "weekends are quieter. The same -Seed and options always give the same file. The file is "
      "written whole or not at all.";
  spec.parameters = declare_parameters({
      Param::String("Path", "CSV file to write (replaced when it exists)").mandatory().position(0).completion(Completion::Path),
      Param::Int("Days", "number of days ending on -EndDate").default_value(Value(30)).min(1).max(3660),
      Param::Int("MessagesPerDay", "messages on a business day").default_value(Value(200)).min(1).max(10000000),
      Param::Int("Seed", "seed of the generator").default_value(Value(1)).min(0),
      Param::Date("EndDate", "last day generated (default: today)"),
  });
  spec.outputs = {"Path", "Records", "StartDate", "EndDate"};
  spec.examples = {
      {"New-SampleTraceData -Path sample.csv -Days 30 -EndDate 2026-11-22",
       "The data set shipped as examples/sample-traces.csv."},
      {"New-SampleTraceData -Path week.csv -Days 7 -MessagesPerDay 1000 -Seed 7",
       "A busier week from another seed, ending today."},
  };
  spec.run = run;
  return spec;
}

}  // namespace mailflow
