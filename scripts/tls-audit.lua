-- tls-audit.lua — weekly TLS audit, made to run from cron.
--
-- Prints the "Message protected in transit (by TLS)" summary (the share of
-- each TLS version per direction) and the mail flow insights for the range,
-- then exits 3 when any insight fires, so a scheduler can alert on it.
--
-- Usage: mailflow [--db FILE] [--now DATE] scripts/tls-audit.lua [--days N] [--end YYYY-MM-DD]
--                 [--no-tls-threshold PERCENT] [--tls10-threshold PERCENT]
--   --days N          the range is the N days ending on --end (default 7, the widget's "last week")
--   --end YYYY-MM-DD  last day of the range (default: today, i.e. --now)
--   --no-tls-threshold, --tls10-threshold PERCENT
--                     the insights' thresholds for this run (default: the stored
--                     ones, Set-MailFlowConfig -NoTlsThreshold/-Tls10Threshold)
--
-- Exit status: 0 no insight fired, 3 at least one did, 1 an error, 2 bad arguments.
-- Example crontab line (Mondays 07:00):
--   0 7 * * 1  cd /srv/mailflow && build/mailflow --db traces.db scripts/tls-audit.lua || mail -s "TLS audit" postmaster
local opts = cli.parse(arg, {
  script = "scripts/tls-audit.lua",
  summary = "Prints the TLS summary and the mail flow insights of the range; exit status 3 when any insight fires.",
  options = cli.options(cli.range_options(), cli.threshold_options()),
})
local days, last = opts.days, opts.last
local first = dates.add(last, -(days - 1))

print(string.format("TLS audit %s to %s (%d days)", first, last, days))
print("")
print("Message protected in transit (by TLS)")
local usage_rows = GetTlsUsage{ StartDate = first, EndDate = last }
if #usage_rows == 0 then
  print("  no delivered messages in the range")
else
  report.print(usage_rows)
end

print("")
local insights = GetMailFlowInsights{ StartDate = first, EndDate = last,
                                      NoTlsThreshold = opts.no_tls_threshold, Tls10Threshold = opts.tls10_threshold }
if #insights == 0 then
  print("Insights: none fired")
  exit(0)
end
print(string.format("Insights: %d fired", #insights))
report.print_list(insights)
exit(3)
