-- report: small helpers for working with the records cmdlets return
-- (arrays of plain tables) in scripts, rules and Lua cmdlets.
--
--   report.record(names, t)          t with its property order fixed to `names`
--   report.where(rows, fn)           rows for which fn(row) is true
--   report.map(rows, fn)             { fn(row), ... }
--   report.group_by(rows, key)       groups, keys = report.group_by(rows, "Connector")
--   report.sum(rows, field)          sum of a numeric field
--   report.sort_by(rows, field [, descending])   sorted copy (nil sorts first)
--   report.index(rows, fn)           { [fn(row)] = row }
--   report.percent(part, whole)      0-100 with two decimals (0 when whole is 0)
--   report.round(x [, decimals])
--   report.connector(name)           the name, or "(none)" for traffic without a connector
--   report.print(rows)               prints rows as a table (Format-Table)
--   report.print_list(rows)          prints rows as a list (Format-List)
local report = {}

function report.record(names, t)
  return setmetatable(t, { __fields = names, __name = "record" })
end

function report.where(rows, fn)
  local out = {}
  for _, row in ipairs(rows) do
    if fn(row) then out[#out + 1] = row end
  end
  return out
end

function report.map(rows, fn)
  local out = {}
  for i, row in ipairs(rows) do out[i] = fn(row) end
  return out
end

-- `key` is a field name or a function of the row. Returns the groups by key
-- and the keys in order of first appearance (nil keys group under "(none)").
function report.group_by(rows, key)
  local fn = type(key) == "function" and key or function(row) return row[key] end
  local groups, keys = {}, {}
  for _, row in ipairs(rows) do
    local k = fn(row)
    if k == nil then k = "(none)" end
    if not groups[k] then
      groups[k] = {}
      keys[#keys + 1] = k
    end
    local g = groups[k]
    g[#g + 1] = row
  end
  return groups, keys
end

function report.sum(rows, field)
  local total = 0
  for _, row in ipairs(rows) do total = total + (row[field] or 0) end
  return total
end

local function before(a, b)
  if a == nil then return b ~= nil end
  if b == nil then return false end
  if type(a) ~= type(b) then return tostring(a) < tostring(b) end
  if type(a) == "string" then return a:lower() < b:lower() end
  return a < b
end

function report.sort_by(rows, field, descending)
  local out = table.move(rows, 1, #rows, 1, {})
  table.sort(out, function(x, y)
    if descending then return before(y[field], x[field]) end
    return before(x[field], y[field])
  end)
  return out
end

function report.index(rows, fn)
  local out = {}
  for _, row in ipairs(rows) do out[fn(row)] = row end
  return out
end

function report.round(x, decimals)
  local scale = 10 ^ (decimals or 0)
  local r = math.floor(x * scale + 0.5) / scale
  return decimals and decimals > 0 and r or math.tointeger(r) or r
end

function report.percent(part, whole)
  if not whole or whole == 0 then return 0.0 end
  return math.floor(part * 10000 / whole + 0.5) / 100
end

function report.connector(name)
  return name == nil and "(none)" or name
end

local function print_lines(lines)
  for _, line in ipairs(lines) do print(line) end
end

function report.print(rows)
  if #rows == 0 then return end
  print_lines(FormatTable{ InputObject = rows })
end

function report.print_list(rows)
  if #rows == 0 then return end
  print_lines(FormatList{ InputObject = rows })
end

return report
