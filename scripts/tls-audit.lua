-- tls-audit.lua — weekly TLS audit, made to run from cron.
--
-- Prints the "Message protected in transit (by TLS)" summary (the share of
-- each TLS version per direction) and the mail flow insights for the range,
-- then exits 3 when any insight fires, so a scheduler can alert on it.
--
-- Usage: mailflow [--db FILE] [--now DATE] scripts/tls-audit.lua [--days N] [--end YYYY-MM-DD]
--   --days N          the range is the N days ending on --end (default 7, the widget's "last week")
--   --end YYYY-MM-DD  last day of the range (default: today, i.e. --now)
--
-- Exit status: 0 no insight fired, 3 at least one did, 1 an error, 2 bad arguments.
-- Example crontab line (Mondays 07:00):
--   0 7 * * 1  cd /srv/mailflow && build/mailflow --db traces.db scripts/tls-audit.lua || mail -s "TLS audit" postmaster
local USAGE = "usage: mailflow scripts/tls-audit.lua [--days N] [--end YYYY-MM-DD]"

local function usage(problem)
  eprint("tls-audit.lua: " .. problem)
  eprint(USAGE)
  exit(2)
end

local days, last = 7, dates.today()
local i = 1
while i <= #arg do
  local a, v = arg[i], arg[i + 1]
  if a == "--days" then
    days = math.tointeger(tonumber(v or ""))
    if not days or days < 1 then usage("--days needs a whole number of days, not '" .. tostring(v) .. "'") end
    i = i + 2
  elseif a == "--end" then
    if not v or not dates.is_date(v) then usage("--end needs a date YYYY-MM-DD, not '" .. tostring(v) .. "'") end
    last = v
    i = i + 2
  elseif a == "--help" or a == "-h" then
    print(USAGE)
    exit(0)
  else
    usage("unknown argument '" .. a .. "'")
  end
end
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
local insights = GetMailFlowInsights{ StartDate = first, EndDate = last }
if #insights == 0 then
  print("Insights: none fired")
  exit(0)
end
print(string.format("Insights: %d fired", #insights))
report.print_list(insights)
exit(3)
