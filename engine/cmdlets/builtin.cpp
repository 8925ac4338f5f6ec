#include "cmdlets/builtin.h"

#include "cmdlets/connector_cmdlets.h"

namespace mailflow {

// Each cmdlet file defines one `CmdletSpec xxx_cmdlet()` (or one per noun
// file for a family); declare it here and add it to the list below.
CmdletSpec out_host_cmdlet();
CmdletSpec more_cmdlet();
CmdletSpec read_host_cmdlet();
CmdletSpec where_object_cmdlet();
CmdletSpec for_each_object_cmdlet();
CmdletSpec select_object_cmdlet();
CmdletSpec sort_object_cmdlet();
CmdletSpec group_object_cmdlet();
CmdletSpec measure_object_cmdlet();
CmdletSpec get_message_trace_cmdlet();
CmdletSpec get_connector_report_cmdlet();
CmdletSpec get_tls_usage_cmdlet();
CmdletSpec get_tls_peer_report_cmdlet();
CmdletSpec test_tls_policy_cmdlet();
CmdletSpec get_tls_failure_cmdlet();
CmdletSpec get_smtp_auth_client_report_cmdlet();
CmdletSpec get_mail_flow_insights_cmdlet();
CmdletSpec set_mail_flow_config_cmdlet();
CmdletSpec get_mail_flow_config_cmdlet();

CmdletSpec format_chart_cmdlet();
CmdletSpec export_mail_flow_report_cmdlet();
CmdletSpec import_message_trace_cmdlet();
CmdletSpec get_import_reject_cmdlet();
CmdletSpec new_sample_trace_data_cmdlet();
CmdletSpec format_table_cmdlet();
CmdletSpec format_list_cmdlet();
CmdletSpec convert_to_json_cmdlet();
CmdletSpec convert_to_csv_cmdlet();
CmdletSpec export_csv_cmdlet();
CmdletSpec get_help_cmdlet();
CmdletSpec get_command_cmdlet();

void register_builtin_cmdlets(Registry& registry) {
  for (CmdletSpec& c : connector_cmdlets()) registry.add(std::move(c));  // New/Get/Set/Remove-In/OutboundConnector
  registry.add(update_connector_attribution_cmdlet());
  registry.add(get_refused_connection_cmdlet());
  registry.add_topic("about_Connectors", connectors_help_topic());
  registry.add_topic("about_Pipelines", pipelines_help_topic());
  registry.add_topic("about_Boundary", boundary_help_topic());
  registry.add_topic("about_LuaCmdlets", lua_cmdlets_help_topic());
  registry.add(format_chart_cmdlet());
  registry.add(export_mail_flow_report_cmdlet());
  registry.add(import_message_trace_cmdlet());
  registry.add(get_import_reject_cmdlet());
  registry.add(new_sample_trace_data_cmdlet());
  registry.add(out_host_cmdlet());
  registry.add(more_cmdlet());
  registry.add(read_host_cmdlet());
  registry.add(format_table_cmdlet());
  registry.add(format_list_cmdlet());
  registry.add(convert_to_json_cmdlet());
  registry.add(convert_to_csv_cmdlet());
  registry.add(export_csv_cmdlet());
  registry.add(get_help_cmdlet());
  registry.add(get_command_cmdlet());
  registry.add(where_object_cmdlet());
  registry.add(for_each_object_cmdlet());
  registry.add(select_object_cmdlet());
  registry.add(sort_object_cmdlet());
  registry.add(group_object_cmdlet());
  registry.add(measure_object_cmdlet());
  registry.add(get_message_trace_cmdlet());
  registry.add(get_connector_report_cmdlet());
  registry.add(get_tls_usage_cmdlet());
  registry.add(get_tls_peer_report_cmdlet());
  registry.add(test_tls_policy_cmdlet());
  registry.add(get_tls_failure_cmdlet());
  registry.add(get_smtp_auth_client_report_cmdlet());
  registry.add(get_mail_flow_insights_cmdlet());
  registry.add(set_mail_flow_config_cmdlet());
  registry.add(get_mail_flow_config_cmdlet());
}

}  // namespace mailflow
