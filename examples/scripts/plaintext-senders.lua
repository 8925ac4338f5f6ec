-- Example script: who sends us plain text? A custom filter over message traces.
--
-- Lists the remote hosts that delivered inbound mail without TLS in a date
-- range, busiest first, with the connector they came through. Shows
-- Get-MessageTrace's own filters (pushed down to SQL) combined with a Lua
-- filter (a minimum count) and grouping from the `report` helpers.
--
-- Usage: mailflow scripts... examples/scripts/plaintext-senders.lua [START END] [MIN]
--   START END  the range (default: the 30 days ending today)
--   MIN        only hosts with at least MIN messages (default 1)
local first, last = dates.last_days(30)
local min = 1
if arg[1] then
  if not (dates.is_date(arg[1]) and dates.is_date(arg[2] or "")) then
    eprint("usage: plaintext-senders.lua [START END] [MIN]   (dates as YYYY-MM-DD)")
    exit(2)
  end
  first, last = arg[1], arg[2]
  min = tonumber(arg[3] or "1") or 1
end

-- Get-MessageTrace gives at most 5000 records a page: read page by page.
local traces = {}
for page = 1, math.huge do
  local rows = GetMessageTrace{ StartDate = first, EndDate = last, Direction = "Inbound",
                                TlsVersion = "None", Status = "Delivered", PageSize = 5000, Page = page }
  table.move(rows, 1, #rows, #traces + 1, traces)
  if #rows < 5000 then break end
end
local groups, hosts = report.group_by(traces, "RemoteHost")
local rows = {}
for _, host in ipairs(hosts) do
  local g = groups[host]
  if #g >= min then
    rows[#rows + 1] = report.record({ "RemoteHost", "Connector", "Messages", "LastSeen" },
      { RemoteHost = host, Connector = report.connector(g[1].Connector), Messages = #g, LastSeen = g[1].Received })
  end
end
print(string.format("Plain-text inbound senders, %s to %s: %d hosts", first, last, #rows))
report.print(report.sort_by(rows, "Messages", true))
