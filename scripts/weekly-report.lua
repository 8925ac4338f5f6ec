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
-- stderr); 2 on bad arguments (this usage is printed).

local USAGE = [[
usage: mailflow [--db FILE] [--now DATE] scripts/weekly-report.lua [--force]
                [--direction Inbound|Outbound] [OUTPUT.html]
Writes the HTML mail flow report of the last whole Monday-Sunday week before
today (--now). Default OUTPUT: mailflow-week-<Monday>.html.]]

local function usage_error(message)
  print("weekly-report.lua: " .. message)
  print(USAGE)
  exit(2)
end

-- Days since 1970-01-01 from a YYYY-MM-DD date, and back (proleptic
-- Gregorian calendar, as mailflow's own dates).
local function day_number(text)
  local y, m, d = text:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  if not y then error("not a date: " .. tostring(text)) end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  if m <= 2 then y = y - 1 end
  local era = (y >= 0 and y or y - 399) // 400
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = (153 * mp + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  return era * 146097 + doe - 719468
end

local function date_text(days)
  local z = days + 719468
  local era = (z >= 0 and z or z - 146096) // 146097
  local doe = z - era * 146097
  local yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
  local doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
  local mp = (5 * doy + 2) // 153
  local d = doy - (153 * mp + 2) // 5 + 1
  local m = mp < 10 and mp + 3 or mp - 9
  local y = yoe + era * 400 + (m <= 2 and 1 or 0)
  return string.format("%04d-%02d-%02d", y, m, d)
end

-- The Monday-Sunday week before the week of `today` (1970-01-01 was a Thursday).
local function previous_week(today)
  local t = day_number(today)
  local since_monday = (t + 3) % 7
  local this_monday = t - since_monday
  return date_text(this_monday - 7), date_text(this_monday - 1)
end

local output, force, direction = nil, false, nil
local i = 1
while i <= #arg do
  local a = arg[i]
  if a == "--help" or a == "-h" then
    print(USAGE)
    exit(0)
  elseif a == "--force" then
    force = true
  elseif a == "--direction" then
    i = i + 1
    local d = arg[i]
    if d == nil then usage_error("--direction needs Inbound or Outbound") end
    if d:lower() == "inbound" then direction = "Inbound"
    elseif d:lower() == "outbound" then direction = "Outbound"
    else usage_error("--direction '" .. d .. "' is neither Inbound nor Outbound") end
  elseif a:sub(1, 1) == "-" then
    usage_error("unknown option '" .. a .. "'")
  elseif output ~= nil then
    usage_error("one output file only ('" .. output .. "' and '" .. a .. "')")
  else
    output = a
  end
  i = i + 1
end

local monday, sunday = previous_week(mailflow.today())
output = output or ("mailflow-week-" .. monday .. ".html")

local params = { Path = output, StartDate = monday, EndDate = sunday }
if force then params.Force = true end
if direction then params.Direction = direction end
local written = ExportMailFlowReport(params)[1]
print(string.format("Wrote %s: mail flow from Monday %s to Sunday %s (%d bytes)",
                    written.Path, monday, sunday, written.Bytes))
