-- partner-followup.lua — what to tell each partner whose connector has an insight.
--
-- For every partner connector (ConnectorType Partner) on which an insight
-- fires in the range, prints the insight and its recommendation, then the
-- remote hosts seen on that connector with the TLS versions they used and
-- how many delivered messages each — the list to send to the partner.
--
-- Usage: mailflow [--db FILE] [--now DATE] scripts/partner-followup.lua [--days N] [--end YYYY-MM-DD]
--                 [--all] [--no-tls-threshold PERCENT] [--tls10-threshold PERCENT]
--   --days N          the range is the N days ending on --end (default 7)
--   --end YYYY-MM-DD  last day of the range (default: today)
--   --all             every connector with an insight, not only partner ones
--   --no-tls-threshold, --tls10-threshold PERCENT
--                     the insights' thresholds for this run (default: the stored ones)
--
-- Partner connectors are the ones defined with New-InboundConnector or
-- New-OutboundConnector -ConnectorType Partner (Get-InboundConnector lists
-- them); a connector named in the traces but not defined counts only with --all.
-- A connector with two insights is listed once, with both.
--
-- Exit status: 0 (also when there is nothing to follow up), 1 an error, 2 bad arguments.
local PAGE = 5000  -- Get-MessageTrace's largest page

local opts = cli.parse(arg, {
  script = "scripts/partner-followup.lua",
  summary = "For each partner connector with an insight, the remote hosts seen on it and their TLS versions.",
  options = cli.options(cli.range_options(), {
    { "--all", help = "every connector with an insight, not only partner ones" },
  }, cli.threshold_options()),
})
local days, last, all = opts.days, opts.last, opts.all
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

-- The insights by connector and direction, in the order they first appear,
-- so that a connector with two insights gets one list of hosts.
local insights = GetMailFlowInsights{ StartDate = first, EndDate = last,
                                      NoTlsThreshold = opts.no_tls_threshold, Tls10Threshold = opts.tls10_threshold }
local groups, keys = report.group_by(insights, function(r) return r.Direction .. "|" .. r.Connector end)

local VERSION_RANK = {}  -- TLS1.3 = 1 ... None = 5, the report order
for rank, version in ipairs(mailflow.tls_report_order) do VERSION_RANK[version] = rank end
local followed = 0
for _, key in ipairs(keys) do
  local group = groups[key]
  local connector, direction = group[1].Connector, group[1].Direction
  local kind = types[direction .. "|" .. connector:lower()]
  if all or kind == "Partner" then
    followed = followed + 1
    for _, insight in ipairs(group) do
      print(string.format("== %s (%s, %s): %s", connector, direction, kind or "not defined", insight.Title))
      print(string.format("   measured %.2f%% over %d messages, %s to %s", insight.Value, insight.Messages, first, last))
      print("   " .. insight.Recommendation)
    end
    -- Remote host x TLS version -> messages.
    local seen, hosts = {}, {}
    for _, t in ipairs(traces(connector, direction)) do
      local host = (t.RemoteHost or "(unknown)") .. "|" .. t.TlsVersion
      if not seen[host] then
        seen[host] = report.record({ "RemoteHost", "RemoteIP", "TlsVersion", "Messages" },
                                   { RemoteHost = t.RemoteHost, RemoteIP = t.RemoteIP, TlsVersion = t.TlsVersion, Messages = 0 })
        hosts[#hosts + 1] = host
      end
      seen[host].Messages = seen[host].Messages + 1
    end
    local rows = report.map(hosts, function(h) return seen[h] end)
    -- Busiest first; ties by host name, then strongest TLS first, so the list is stable.
    table.sort(rows, function(a, b)
      if a.Messages ~= b.Messages then return a.Messages > b.Messages end
      local ha, hb = (a.RemoteHost or ""):lower(), (b.RemoteHost or ""):lower()
      if ha ~= hb then return ha < hb end
      return (VERSION_RANK[a.TlsVersion] or 9) < (VERSION_RANK[b.TlsVersion] or 9)
    end)
    report.print(rows)
    print("")
  end
end
if followed == 0 then
  print(string.format("partner-followup: no %sconnector has an insight from %s to %s", all and "" or "partner ", first, last))
end
