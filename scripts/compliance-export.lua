-- compliance-export.lua — per-connector TLS usage of one month, to CSV.
--
-- Writes one row per direction, connector and TLS version with the month's
-- delivered messages and their share, for compliance records. Traffic
-- without a connector is a row with an empty Connector. A month can be longer
-- than the reports' cap (MaxReportDays, 30 by default), so it is read in
-- pieces of at most that many days and summed.
--
-- Usage: mailflow [--db FILE] [--now DATE] scripts/compliance-export.lua
--                 [--direction Inbound|Outbound] [--force] MONTH OUTPUT.csv
--   MONTH        YYYY-MM, e.g. 2026-10 (or "previous" for the month before --now);
--                the current month gives the month so far, a later one is refused
--   OUTPUT.csv   the file to write (Export-Csv; an existing file needs --force)
--   --direction  only inbound or only outbound traffic
--   --force      replace OUTPUT.csv when it exists
--
-- Columns: Month, Direction, Connector, TlsVersion, Messages, Percent
-- Exit status: 0 written, 1 an error (also: OUTPUT.csv exists and no --force),
-- 2 bad arguments.
local VERSIONS = mailflow.tls_report_order  -- TLS1.3 ... None, as reports list them

local opts = cli.parse(arg, {
  script = "scripts/compliance-export.lua",
  summary = "Writes the per-connector TLS usage of one month to a CSV file.",
  positional = {
    { "MONTH", help = "YYYY-MM, e.g. 2026-10, or \"previous\" for the month before --now",
      check = function(v)
        if v == "previous" then return (dates.previous_month(dates.today()):sub(1, 7)) end
        if not (v:match("^%d%d%d%d%-%d%d$") and dates.is_date(v)) then
          return nil, "MONTH is YYYY-MM, not '" .. v .. "'"
        end
        if dates.diff(dates.today(), v) > 0 then
          return nil, "MONTH " .. v .. " has not begun (today is " .. dates.today() .. ")"
        end
        return v
      end },
    { "OUTPUT.csv", help = "the file to write (an existing file needs --force)",
      check = function(v)
        if v:match("%.csv$") then return v end
        return nil, "OUTPUT must end in .csv, not '" .. v .. "'"
      end },
  },
  options = {
    { "--direction", value = "Inbound|Outbound", choices = { "Inbound", "Outbound" },
      help = "only inbound or only outbound traffic" },
    { "--force", help = "replace OUTPUT.csv when it exists" },
  },
})
local month, output, direction, force = opts.month, opts.output, opts.direction, opts.force

local first, last = dates.month(month)
-- Pieces of the month no longer than MaxReportDays.
local cap = GetMailFlowConfig{}[1].MaxReportDays
local pieces, start = {}, first
while dates.diff(start, last) >= 0 do
  local stop = dates.add(start, cap - 1)
  if dates.diff(stop, last) < 0 then stop = last end
  pieces[#pieces + 1] = { start, stop }
  start = dates.add(stop, 1)
end
-- counts["Direction|Connector"] = { Direction, Connector, [version] = n }
local counts, keys = {}, {}
for _, piece in ipairs(pieces) do
  for _, row in ipairs(GetTlsUsage{ StartDate = piece[1], EndDate = piece[2], ByConnector = true, Direction = direction }) do
    local key = row.Direction .. "|" .. report.connector(row.Connector)
    if not counts[key] then
      counts[key] = { Direction = row.Direction, Connector = row.Connector }
      keys[#keys + 1] = key
    end
    counts[key][row.TlsVersion] = (counts[key][row.TlsVersion] or 0) + row.Messages
  end
end
-- Inbound first, traffic without a connector first, then connectors by name (as the reports order them).
table.sort(keys, function(a, b)
  local x, y = counts[a], counts[b]
  if x.Direction ~= y.Direction then return x.Direction == "Inbound" end
  if (x.Connector == nil) ~= (y.Connector == nil) then return x.Connector == nil end
  return (x.Connector or ""):lower() < (y.Connector or ""):lower()
end)

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

-- Export-Csv keeps an existing file unless forced; say so in this script's terms.
local written, problem = pcall(ExportCsv, { Path = output, InputObject = rows, Force = force })
if not written then
  eprint("compliance-export.lua: " .. tostring(problem):gsub("^[^\n]-:%d+: ", ""))
  if not force and tostring(problem):find("already exists", 1, true) then
    eprint("compliance-export.lua: give --force to replace " .. output)
  end
  exit(1)
end
print(string.format("compliance-export: %d rows for %s (%s to %s) written to %s", #rows, month, first, last, output))
