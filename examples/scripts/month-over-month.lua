-- Example script: last month against the month before, with date ranges.
--
-- Compare-MailFlow compares a range with the period of the same length just
-- before it. For calendar months the lengths differ, so this script asks
-- Get-TlsUsage for each month itself (in halves: a month is longer than the
-- dashboard's 30-day cap) and prints per connector the TLS share of both.
--
-- Usage: mailflow examples/scripts/month-over-month.lua [YYYY-MM]   (default: the month before --now)
local month = arg[1] or dates.previous_month(dates.today()):sub(1, 7)
if not month:match("^%d%d%d%d%-%d%d$") then
  eprint("usage: month-over-month.lua [YYYY-MM]")
  exit(2)
end

-- { ["Direction|Connector"] = { messages, tls } } for one calendar month.
local function month_totals(m)
  local first, last = dates.month(m)
  local middle = dates.add(first, 14)
  local out = {}
  for _, half in ipairs({ { first, middle }, { dates.add(middle, 1), last } }) do
    for _, row in ipairs(GetTlsUsage{ StartDate = half[1], EndDate = half[2], ByConnector = true }) do
      local key = row.Direction .. "|" .. report.connector(row.Connector)
      local t = out[key] or { 0, 0 }
      t[1] = t[1] + row.Messages
      if row.TlsVersion ~= "None" then t[2] = t[2] + row.Messages end
      out[key] = t
    end
  end
  return out
end

local before_month = dates.previous_month(month):sub(1, 7)
local now, before = month_totals(month), month_totals(before_month)
local rows = {}
for key, t in pairs(now) do
  local b = before[key] or { 0, 0 }
  local direction, connector = key:match("^(%a+)|(.*)$")
  rows[#rows + 1] = report.record({ "Direction", "Connector", "Messages", "TlsPercent", "PreviousTlsPercent", "Change" },
    { Direction = direction, Connector = connector, Messages = t[1],
      TlsPercent = report.percent(t[2], t[1]), PreviousTlsPercent = report.percent(b[2], b[1]),
      Change = report.round(report.percent(t[2], t[1]) - report.percent(b[2], b[1]), 2) })
end
print(string.format("TLS share per connector, %s against %s", month, before_month))
report.print(report.sort_by(rows, "Change"))
