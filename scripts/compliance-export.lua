-- compliance-export.lua — per-connector TLS usage of one month, to CSV.
--
-- Writes one row per direction, connector and TLS version with the month's
-- delivered messages and their share, for compliance records. Traffic
-- without a connector is a row with an empty Connector. A month is longer
-- than the dashboard's 30-day cap, so it is read in two halves and summed.
--
-- Usage: mailflow [--db FILE] scripts/compliance-export.lua MONTH OUTPUT.csv [--direction Inbound|Outbound] [--force]
--   MONTH        YYYY-MM, e.g. 2026-10 (or "previous" for the month before --now)
--   OUTPUT.csv   the file to write (Export-Csv; an existing file needs --force)
--   --direction  only inbound or only outbound traffic
--   --force      replace OUTPUT.csv when it exists
--
-- Columns: Month, Direction, Connector, TlsVersion, Messages, Percent
-- Exit status: 0 written, 1 an error, 2 bad arguments.
local USAGE = "usage: mailflow scripts/compliance-export.lua MONTH OUTPUT.csv [--direction Inbound|Outbound] [--force]"
local VERSIONS = { "TLS1.3", "TLS1.2", "TLS1.1", "TLS1.0", "None" }

local function usage(problem)
  eprint("compliance-export.lua: " .. problem)
  eprint(USAGE)
  exit(2)
end

local month, output, direction, force
local positional = {}
local i = 1
while i <= #arg do
  local a = arg[i]
  if a == "--direction" then
    direction = arg[i + 1]
    if direction ~= "Inbound" and direction ~= "Outbound" then
      usage("--direction is Inbound or Outbound, not '" .. tostring(direction) .. "'")
    end
    i = i + 2
  elseif a == "--force" then
    force = true
    i = i + 1
  elseif a:sub(1, 2) == "--" then
    usage("unknown option '" .. a .. "'")
  else
    positional[#positional + 1] = a
    i = i + 1
  end
end
if #positional ~= 2 then usage("give MONTH and OUTPUT.csv") end
month, output = positional[1], positional[2]
if month == "previous" then
  month = dates.previous_month(dates.today()):sub(1, 7)
elseif not month:match("^%d%d%d%d%-%d%d$") or not dates.is_date(month) then
  usage("MONTH is YYYY-MM, not '" .. month .. "'")
end
if not output:match("%.csv$") then usage("OUTPUT must end in .csv, not '" .. output .. "'") end

local first, last = dates.month(month)
local middle = dates.add(first, 14)
-- counts["Direction|Connector"] = { Direction, Connector, [version] = n }
local counts, keys = {}, {}
for _, half in ipairs({ { first, middle }, { dates.add(middle, 1), last } }) do
  for _, row in ipairs(GetTlsUsage{ StartDate = half[1], EndDate = half[2], ByConnector = true, Direction = direction }) do
    local key = row.Direction .. "|" .. report.connector(row.Connector)
    if not counts[key] then
      counts[key] = { Direction = row.Direction, Connector = row.Connector }
      keys[#keys + 1] = key
    end
    counts[key][row.TlsVersion] = (counts[key][row.TlsVersion] or 0) + row.Messages
  end
end
table.sort(keys, function(a, b) return a:lower() < b:lower() end)

local rows = {}
for _, key in ipairs(keys) do
  local c = counts[key]
  local total = 0
  for _, v in ipairs(VERSIONS) do total = total + (c[v] or 0) end
  for _, v in ipairs(VERSIONS) do
    if c[v] then
      rows[#rows + 1] = report.record(
        { "Month", "Direction", "Connector", "TlsVersion", "Messages", "Percent" },
        { Month = month, Direction = c.Direction, Connector = c.Connector, TlsVersion = v,
          Messages = c[v], Percent = report.percent(c[v], total) })
    end
  end
end

ExportCsv{ Path = output, InputObject = rows, Force = force }
print(string.format("compliance-export: %d rows for %s (%s to %s) written to %s", #rows, month, first, last, output))
