-- tls-deprecation.lua — the weekly step of a TLS deprecation project, made to
-- run from cron: writes the mail flow dashboard (with its "TLS readiness"
-- section) of the last whole Monday-Sunday week, prints who still uses old
-- TLS, and exits 3 while any message, peer or SMTP AUTH client of that week
-- still used a TLS version below the target (plain text included), so the
-- scheduler keeps reminding until the old versions can be switched off.
--
-- usage: mailflow [--db FILE] [--now DATE] scripts/tls-deprecation.lua [--force]
--                 [--minimum TLS1.2] [OUTPUT.html]
--
--   OUTPUT.html       the dashboard to write; default: tls-readiness-YYYY-MM-DD.html
--                     in the current directory, named after the week's Monday
--   --minimum V       the TLS version to reach: TLS1.1, TLS1.2 (default) or TLS1.3
--   --force           replace OUTPUT.html when it exists
--
-- The week is the last whole Monday-Sunday week before "today" (mailflow's --now).
-- Exit status: 0 nothing below the target was used; 3 old TLS or plain text is
-- still in use (listed on stdout); 1 an error; 2 bad arguments.
-- Example crontab line (Mondays 07:00):
--   0 7 * * 1  cd /srv/mailflow && build/mailflow --db traces.db scripts/tls-deprecation.lua --force || mail -s "TLS 1.0/1.1 still in use" postmaster
local opts = cli.parse(arg, {
  script = "scripts/tls-deprecation.lua",
  summary = "Writes the weekly dashboard and lists what still uses TLS below the target; exit status 3 " ..
            "while anything does.",
  options = {
    { "--force", help = "replace OUTPUT.html when it exists (else it is kept and the script fails)" },
    { "--minimum", value = "TLS1.1|TLS1.2|TLS1.3", choices = { "TLS1.1", "TLS1.2", "TLS1.3" },
      help = "the TLS version to reach (default TLS1.2)" },
  },
  positional = {
    { "OUTPUT.html", optional = true,
      help = "the file to write (default: tls-readiness-YYYY-MM-DD.html, named after the week's Monday)" },
  },
})

local monday, sunday = dates.week(dates.add(mailflow.today(), -7))
local minimum = opts.minimum or "TLS1.2"
local output = opts.output or ("tls-readiness-" .. monday .. ".html")
-- The version just below the target: peers that used it, or weaker, at least once.
local BELOW = { ["TLS1.1"] = "TLS1.0", ["TLS1.2"] = "TLS1.1", ["TLS1.3"] = "TLS1.2" }
local RANK = { None = 0, ["TLS1.0"] = 10, ["TLS1.1"] = 11, ["TLS1.2"] = 12, ["TLS1.3"] = 13 }

local params = { Path = output, StartDate = monday, EndDate = sunday }
if opts.force then params.Force = true end
local written = ExportMailFlowReport(params)[1]
print(string.format("Wrote %s: TLS readiness from Monday %s to Sunday %s", written.Path, monday, sunday))

local range = { StartDate = monday, EndDate = sunday }
local peers = GetTlsPeerReport{ StartDate = monday, EndDate = sunday, MaximumVersion = BELOW[minimum] }
local clients = report.where(GetSmtpAuthClientReport(range), function(r)
  return RANK[r.LowestVersion] ~= nil and RANK[r.LowestVersion] < RANK[minimum]
end)

if #peers == 0 and #clients == 0 then
  print(string.format("Nothing used TLS below %s: it can be enforced.", minimum))
  exit(0)
end
if #peers > 0 then
  print("")
  print(string.format("Peers below %s (%d):", minimum, #peers))
  report.print(report.map(peers, function(p)
    return report.record({ "Direction", "Peer", "Messages", "LowestVersion", "LastSeen" }, p)
  end))
end
if #clients > 0 then
  print("")
  print(string.format("SMTP AUTH clients below %s (%d):", minimum, #clients))
  report.print(clients)
end
exit(3)
