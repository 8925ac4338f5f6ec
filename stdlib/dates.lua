-- dates: calendar helpers on ISO dates ("2026-11-22"), the form every
-- mailflow cmdlet accepts. Days are UTC calendar days. "Today" is the day
-- --now set (else the real UTC date), so scripts and rules are reproducible.
--
--   dates.today()                 "2026-11-22"
--   dates.add("2026-11-22", -6)   "2026-11-16"
--   dates.diff(a, b)              days from a to b (b - a)
--   dates.weekday(d)              1 = Monday ... 7 = Sunday (ISO 8601)
--   dates.week(d)                 Monday, Sunday of d's ISO week
--   dates.month(d)                first and last day of d's month ("2026-11" works too)
--   dates.previous_month(d)       first and last day of the month before d's
--   dates.last_days(n [, end])    the n days ending on end (default today): start, end
--   dates.days(a, b)              array of every day from a to b
--   dates.weeks(a, b)             array of {start, end} ISO weeks covering a..b, clipped
--   dates.resolve(params, n)      start, end from StartDate/EndDate/Days (default n days to today),
--                                 resolved by the engine as every cmdlet does (mailflow.date_range)
--   dates.parse(d), dates.format(n)  ISO date <-> day number (days since 1970-01-01)
local dates = {}

-- Howard Hinnant's days_from_civil / civil_from_days.
local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = (y >= 0 and y or y - 399) // 400
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = (153 * mp + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  return era * 146097 + doe - 719468
end

local function civil_from_days(z)
  z = z + 719468
  local era = (z >= 0 and z or z - 146096) // 146097
  local doe = z - era * 146097
  local yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
  local y = yoe + era * 400
  local doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
  local mp = (5 * doy + 2) // 153
  local d = doy - (153 * mp + 2) // 5 + 1
  local m = mp < 10 and mp + 3 or mp - 9
  if m <= 2 then y = y + 1 end
  return y, m, d
end

local function days_in_month(y, m)
  local next_y, next_m = y, m + 1
  if next_m == 13 then next_y, next_m = y + 1, 1 end
  return days_from_civil(next_y, next_m, 1) - days_from_civil(y, m, 1)
end

-- Day number of an ISO date or instant ("2026-11-22", "2026-11-22T08:00:00Z"),
-- or of "YYYY-MM" (its first day); nil and a message for anything else.
local function to_day(text)
  if math.type(text) == "integer" then return text end
  if type(text) ~= "string" then return nil, "dates: expected a date string, got " .. type(text) end
  local y, m, d = text:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)")
  if not y then
    y, m = text:match("^(%d%d%d%d)%-(%d%d)$")
    d = "01"
  end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  if not y or m < 1 or m > 12 or d < 1 or d > days_in_month(y, m) then
    return nil, "dates: '" .. text .. "' is not a date (expected YYYY-MM-DD)"
  end
  return days_from_civil(y, m, d)
end

-- For the functions below: errors point at the caller's line.
local function day(text)
  local n, err = to_day(text)
  if not n then error(err, 3) end
  return n
end

function dates.parse(text)
  local n, err = to_day(text)
  if not n then error(err, 2) end
  return n
end

function dates.format(day)
  local y, m, d = civil_from_days(day)
  return string.format("%04d-%02d-%02d", y, m, d)
end

function dates.is_date(text)
  return to_day(text) ~= nil
end

function dates.today() return mailflow.today() end

function dates.add(d, n) return dates.format(day(d) + n) end

function dates.diff(a, b) return day(b) - day(a) end

function dates.weekday(d)
  -- 1970-01-01 was a Thursday (ISO 4).
  return (day(d) + 3) % 7 + 1
end

function dates.week(d)
  local n = day(d)
  local monday = n - ((n + 3) % 7)
  return dates.format(monday), dates.format(monday + 6)
end

function dates.month(d)
  local y, m = civil_from_days(day(d))
  local first = days_from_civil(y, m, 1)
  return dates.format(first), dates.format(first + days_in_month(y, m) - 1)
end

function dates.previous_month(d)
  local first = dates.month(d)
  return dates.month(dates.add(first, -1))
end

function dates.last_days(n, last)
  last = last or dates.today()
  return dates.format(day(last) - (n - 1)), dates.format(day(last))
end

function dates.days(a, b)
  local out = {}
  for n = day(a), day(b) do out[#out + 1] = dates.format(n) end
  return out
end

function dates.weeks(a, b)
  local out = {}
  local first, last = day(a), day(b)
  local n = first
  while n <= last do
    local _, sunday = dates.week(dates.format(n))
    local stop = math.min(dates.parse(sunday), last)
    out[#out + 1] = { dates.format(n), dates.format(stop) }
    n = stop + 1
  end
  return out
end

-- The range a cmdlet's StartDate/EndDate/Days parameters describe (SPEC 5),
-- by the engine's one implementation: -Days N is the N days ending on
-- -EndDate, or starting on -StartDate; the default is `default_days` ending
-- today; a range longer than MaxReportDays is refused.
function dates.resolve(params, default_days)
  return mailflow.date_range(params, default_days)
end

return dates
