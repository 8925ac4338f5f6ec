-- weekly-report.lua: writes the HTML mail flow dashboard (Export-MailFlowReport)
-- of the previous week, Monday to Sunday, for mailing or archiving every Monday.
--
-- usage: mailflow [--db FILE] [--now DATE] scripts/weekly-report.lua [--force]
--                 [--direction Inbound|Outbound] [OUTPUT.html]
--
--   OUTPUT.html    the file to write; default: mailflow-week-YYYY-MM-DD.html in
--                  the current directory, named after the week's Monday
--   --force        replace OUTPUT.html when it exists (else it is kept and the
--                  script fails)
--   --direction D  only Inbound or only Outbound mail
--   --help         show this help
--
-- The week is the last whole Monday-Sunday week that ended before "today",
-- which is mailflow's --now (default: the real UTC date): run on Monday
-- 2026-11-23 it reports 2026-11-16 to 2026-11-22, and so does a run on any
-- day up to Sunday 2026-11-29.
--
-- Exit status: 0 when written; 1 when the export failed (the reason is on
-- stderr); 2 on bad arguments (the usage is printed on stderr).

local opts = cli.parse(arg, {
  script = "scripts/weekly-report.lua",
  summary = "Writes the HTML mail flow report of the last whole Monday-Sunday week before " ..
            "today (--now). Default OUTPUT: mailflow-week-<Monday>.html.",
  options = {
    { "--force", help = "replace OUTPUT.html when it exists (else it is kept and the script fails)" },
    { "--direction", value = "Inbound|Outbound", choices = { "Inbound", "Outbound" },
      help = "only Inbound or only Outbound mail" },
  },
  positional = {
    { "OUTPUT.html", optional = true,
      help = "the file to write (default: mailflow-week-YYYY-MM-DD.html, named after the week's Monday)" },
  },
})

-- The Monday-Sunday week before the week of today.
local monday, sunday = dates.week(dates.add(mailflow.today(), -7))
local output, force, direction = opts.output, opts.force, opts.direction
output = output or ("mailflow-week-" .. monday .. ".html")

local params = { Path = output, StartDate = monday, EndDate = sunday }
if force then params.Force = true end
if direction then params.Direction = direction end
local written = ExportMailFlowReport(params)[1]
print(string.format("Wrote %s: mail flow from Monday %s to Sunday %s (%d bytes)",
                    written.Path, monday, sunday, written.Bytes))
