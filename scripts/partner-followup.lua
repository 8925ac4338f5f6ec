-- partner-followup.lua — what to tell each partner whose connector has an insight.
--
-- For every partner connector (ConnectorType Partner) on which an insight
-- fires in the range, prints the insight and its recommendation, then the
-- remote hosts seen on that connector with the TLS versions they used and
-- how many delivered messages each — the list to send to the partner.
--
-- Usage: mailflow [--db FILE] [--now DATE] scripts/partner-followup.lua [--days N] [--end YYYY-MM-DD] [--all]
--   --days N          the range is the N days ending on --end (default 7)
--   --end YYYY-MM-DD  last day of the range (default: today)
--   --all             every connector with an insight, not only partner ones
--
-- Exit status: 0 (also when there is nothing to follow up), 1 an error, 2 bad arguments.
local USAGE = "usage: mailflow scripts/partner-followup.lua [--days N] [--end YYYY-MM-DD] [--all]"
local PAGE = 5000

local function usage(problem)
  eprint("partner-followup.lua: " .. problem)
  eprint(USAGE)
  exit(2)
end

local days, last, all = 7, dates.today(), false
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
  elseif a == "--all" then
    all = true
    i = i + 1
  else
    usage("unknown argument '" .. a .. "'")
  end
end
local first = dates.add(last, -(days - 1))

-- Connector types by "Direction|Name" from the connector definitions.
local types = {}
for _, def in ipairs(GetInboundConnector{}) do types["Inbound|" .. def.Name:lower()] = def.ConnectorType end
for _, def in ipairs(GetOutboundConnector{}) do types["Outbound|" .. def.Name:lower()] = def.ConnectorType end

-- Every delivered trace of one connector and direction, page by page.
local function traces(connector, direction)
  local out = {}
  for page = 1, math.huge do
    local rows = GetMessageTrace{ StartDate = first, EndDate = last, Connector = connector,
                                  Direction = direction, Status = "Delivered", PageSize = PAGE, Page = page }
    table.move(rows, 1, #rows, #out + 1, out)
    if #rows < PAGE then break end
  end
  return out
end

local followed = 0
for _, insight in ipairs(GetMailFlowInsights{ StartDate = first, EndDate = last }) do
  local kind = types[insight.Direction .. "|" .. insight.Connector:lower()]
  if all or kind == "Partner" then
    followed = followed + 1
    print(string.format("== %s (%s, %s): %s", insight.Connector, insight.Direction, kind or "not defined",
                        insight.Title))
    print(string.format("   measured %.2f%% over %d messages, %s to %s", insight.Value, insight.Messages, first, last))
    print("   " .. insight.Recommendation)
    -- Remote host x TLS version -> messages.
    local seen, keys = {}, {}
    for _, t in ipairs(traces(insight.Connector, insight.Direction)) do
      local key = (t.RemoteHost or "(unknown)") .. "|" .. t.TlsVersion
      if not seen[key] then
        seen[key] = report.record({ "RemoteHost", "RemoteIP", "TlsVersion", "Messages" },
                                  { RemoteHost = t.RemoteHost, RemoteIP = t.RemoteIP, TlsVersion = t.TlsVersion, Messages = 0 })
        keys[#keys + 1] = key
      end
      seen[key].Messages = seen[key].Messages + 1
    end
    local rows = report.map(keys, function(k) return seen[k] end)
    report.print(report.sort_by(rows, "Messages", true))
    print("")
  end
end
if followed == 0 then
  print(string.format("partner-followup: no %sconnector has an insight from %s to %s", all and "" or "partner ", first, last))
end
