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
--   report.round(x [, decimals])     half away from zero, as the reports round (mailflow.round)
--   report.connector(name)           the name, or "(none)" for traffic without a connector
--   report.print(rows)               prints rows as a table (Format-Table)
--   report.print_list(rows)          prints rows as a list (Format-List)
--   report.share_rule{ ... }         an insight rule on one TLS version's share, for RegisterInsightRule
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
  return mailflow.round(x, decimals)
end

function report.percent(part, whole)
  if not whole or whole == 0 then return 0.0 end
  return mailflow.percent(part, whole)
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

-- The definition of an insight rule that fires when one TLS version's share
-- of a connector's messages is strictly above a threshold parameter (NoTls
-- and Tls10 are two), to hand to RegisterInsightRule:
--
--   RegisterInsightRule(report.share_rule{
--     Name = "Tls10", Version = "TLS1.0", Title = "TLS 1.0 is above {threshold}%",
--     Threshold = { Name = "Tls10Threshold", Default = 50, Help = "..." },
--     Recommendation = "...",               -- the rule's default one
--     Advice = { OnPremises = "...", Partner = "...", Inbound = "...", Outbound = "..." },
--   })
--
-- Advice (optional) gives the recommendation by the connector's type, and for
-- connectors the store does not define by direction; in it {share} is the
-- share ("69.57%"), {direction} "inbound" or "outbound", {connector} the name.
-- Where Advice has no entry, Recommendation applies, and without that
-- mailflow's default one by connector type.
-- Title, Recommendation and each Advice entry are strings (looked up in
-- mailflow's catalogs when the rule runs: built-in rules mark theirs with N_)
-- or tables of translations { en = "...", es = "..." }; {share} and
-- {direction} are written in the culture in force.
-- Value is the share; Threshold the parameter in force. The rule file calls
-- RegisterInsightRule itself because the engine records the file of the
-- function that calls it as the rule's source (named in errors and in the
-- "defined twice" refusal); a call from here would name report.lua.
local TLS_VERSIONS = {}
for _, v in ipairs(mailflow.tls_report_order) do TLS_VERSIONS[v] = true end

-- TRANSLATORS: {direction} in an insight's recommendation, as in
-- "69.57% of inbound messages on the partner connector 'X' were sent without TLS".
local DIRECTION_WORDS = { Inbound = N_"inbound", Outbound = N_"outbound" }

function report.share_rule(rule)
  local version, threshold, advice = rule.Version, rule.Threshold, rule.Advice or {}
  if not TLS_VERSIONS[version] then
    local names = mailflow.tls_report_order
    error("report.share_rule: Version is " .. table.concat(names, ", ", 1, #names - 1) .. " or " ..
      names[#names] .. ", not " .. tostring(version), 2)
  end
  if type(threshold) ~= "table" or not threshold.Name then
    error("report.share_rule: Threshold = { Name = ..., Default = ..., Help = ... } is required", 2)
  end
  local function recommendation(stats)
    local kind = stats.ConnectorType
    local template
    if kind and kind ~= "" then template = advice[kind] else template = advice[stats.Direction] end
    if not template then return nil end
    local fields = {
      share = FormatPercent(stats.Percent[version]),
      direction = DIRECTION_WORDS[stats.Direction] and _(DIRECTION_WORDS[stats.Direction])
        or stats.Direction:lower(),
      connector = stats.Connector,
    }
    -- A function replacement: '%' in a share or a name is taken as it is.
    return (_(template):gsub("{(%w+)}", function(k) return fields[k] end))
  end
  return {
    Name = rule.Name,
    Title = rule.Title,
    Parameters = { threshold },
    Recommendation = rule.Recommendation,
    Evaluate = function(stats, params)
      local share = stats.Percent[version]
      if share > params[threshold.Name] then
        return true, share, recommendation(stats)
      end
      return false, share
    end,
  }
end

return report
