// New-SampleTraceData: writes a deterministic, realistic canonical CSV for
// the fictional Contoso (engine/ingest/sample_traces.h has the traffic model).
#include <memory>

#include "host/cmdlet.h"
#include "cmdlets/param_builder.h"
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
  const auto& param = make_param;
  ParamSpec path = param("Path", ParamType::String, "CSV file to write (replaced when it exists)");
  path.mandatory = true;
  path.position = 0;
  path.completion = Completion::Path;
  ParamSpec days = param("Days", ParamType::Int, "number of days ending on -EndDate");
  days.default_value = Value(30);
  days.min = 1;
  days.max = 3660;
  ParamSpec per_day = param("MessagesPerDay", ParamType::Int, "messages on a business day");
  per_day.default_value = Value(200);
  per_day.min = 1;
  per_day.max = 10000000;
  ParamSpec seed = param("Seed", ParamType::Int, "seed of the generator");
  seed.default_value = Value(1);
  seed.min = 0;
  ParamSpec end = param("EndDate", ParamType::Date, "last day generated (default: today)");
  end.completion = Completion::Date;
  spec.parameters = {path, days, per_day, seed, end};
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
