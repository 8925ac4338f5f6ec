-- cli: the command line of a script (its `arg`), parsed from one declared
-- list of options and positional arguments, which also gives the usage text.
--
--   local opts = cli.parse(arg, {
--     script = "scripts/tls-audit.lua",        -- shown in the usage (default: arg[0])
--     summary = "What the script does, one or two lines.",
--     options = {
--       { "--days", value = "N", type = "int", min = 1, default = 7, help = "..." },
--       { "--end", key = "last", value = "YYYY-MM-DD", type = "date", default = dates.today() },
--       { "--direction", value = "Inbound|Outbound", choices = { "Inbound", "Outbound" } },
--       { "--force", help = "..." },             -- no `value`: a flag, true when given
--     },
--     positional = {
--       { "MONTH", check = function(v) if ok(v) then return v end return nil, "MONTH is ..." end },
--       { "OUTPUT.html", key = "output", optional = true },
--     },
--   })
--   opts.days, opts.last, opts.direction, opts.force, opts.month, opts.output
--
-- Keys default to the option's name without dashes ("--no-tls" -> no_tls) and
-- to the positional name in lower case with non-letters as "_". Option values
-- come as the next argument or after "=" (--days=7); "--" ends the options.
-- Types: "int" (with min/max), "number" (min/max), "date" (YYYY-MM-DD),
-- "string" (default); `choices` accepts any case and gives the declared
-- spelling; `check(value)` returns the value to keep, or nil and a problem.
-- --help and -h print the full help on stdout and exit 0. Any mistake prints
-- "SCRIPT: problem" and the usage on stderr and exits 2 (the status every
-- script documents for bad arguments).
local cli = {}

local function basename(path)
  return (tostring(path):match("([^/]+)$")) or tostring(path)
end

local function key_of(option)
  if option.key then return option.key end
  local name = option[1]
  if name:sub(1, 1) == "-" then return (name:gsub("^%-+", ""):gsub("%-", "_")) end
  return (name:lower():gsub("%.%w+$", ""):gsub("[^%w]", "_"))
end

-- "[--days N]" or "[--force]" or "MONTH" / "[OUTPUT.html]".
local function synopsis(item)
  if item[1]:sub(1, 1) == "-" then
    return "[" .. item[1] .. (item.value and " " .. item.value or "") .. "]"
  end
  return item.optional and "[" .. item[1] .. "]" or item[1]
end

-- `words` joined into lines of at most 79 columns: the first starts with
-- `first`, the others with `indent`.
local function wrap(first, words, indent)
  local lines, line, empty = {}, first, true
  for _, w in ipairs(words) do
    if not empty and #line + 1 + #w > 79 then
      lines[#lines + 1] = line
      line = indent .. w
    elseif line == "" or line:match("%s$") then
      line = line .. w
    else
      line = line .. " " .. w
    end
    empty = false
  end
  lines[#lines + 1] = (line:gsub("%s+$", ""))
  return table.concat(lines, "\n")
end

local function split_words(text)
  local words = {}
  for w in tostring(text):gmatch("%S+") do words[#words + 1] = w end
  return words
end

-- The script as the usage shows it: spec.script, else the path it was run by.
local function script_of(spec, argv)
  return spec.script or (argv and argv[0]) or "SCRIPT.lua"
end

-- The usage line(s), wrapped at 79 columns. `argv` (optional) names the
-- script when spec.script does not.
function cli.usage(spec, argv)
  local words = { script_of(spec, argv) }
  for _, o in ipairs(spec.options or {}) do words[#words + 1] = synopsis(o) end
  for _, p in ipairs(spec.positional or {}) do words[#words + 1] = synopsis(p) end
  return wrap("usage: mailflow [--db FILE] [--now DATE]", words, string.rep(" ", #"usage: mailflow "))
end

-- Usage, summary and one entry per argument and option.
function cli.help(spec, argv)
  local out = { cli.usage(spec, argv) }
  if spec.summary then out[#out + 1] = wrap("", split_words(spec.summary), "") end
  local rows = {}
  for _, p in ipairs(spec.positional or {}) do rows[#rows + 1] = { p[1], p.help } end
  for _, o in ipairs(spec.options or {}) do
    rows[#rows + 1] = { o[1] .. (o.value and " " .. o.value or ""), o.help }
  end
  rows[#rows + 1] = { "--help", "show this help" }
  local width = 0
  for _, r in ipairs(rows) do width = math.max(width, #r[1]) end
  width = math.min(width, 24)
  out[#out + 1] = ""
  for _, r in ipairs(rows) do
    local indent = string.rep(" ", width + 4)
    if #r[1] > width then
      out[#out + 1] = "  " .. r[1]
      out[#out + 1] = wrap(indent, split_words(r[2] or ""), indent)
    else
      out[#out + 1] = wrap(("  %-" .. width .. "s  "):format(r[1]), split_words(r[2] or ""), indent)
    end
  end
  return table.concat(out, "\n")
end

local function range_text(o)
  if o.min and o.max then return " from " .. o.min .. " to " .. o.max end
  if o.min then return " of at least " .. o.min end
  if o.max then return " of at most " .. o.max end
  return ""
end

-- The value to keep for `text` (typed, then through `check`), or nil and the problem.
local function convert(o, text)
  local label, value = o[1], text
  if o.type == "int" or o.type == "number" then
    value = tonumber(text)
    if o.type == "int" then value = value and math.tointeger(value) end
    if not value or (o.min and value < o.min) or (o.max and value > o.max) then
      local what = o.type == "int" and "a whole number" or "a number"
      return nil, label .. " needs " .. what .. range_text(o) .. ", not '" .. text .. "'"
    end
  elseif o.type == "date" then
    if not text:match("^%d%d%d%d%-%d%d%-%d%d$") or not dates.is_date(text) then
      return nil, label .. " needs a date YYYY-MM-DD, not '" .. text .. "'"
    end
  elseif o.choices then
    value = nil
    for _, c in ipairs(o.choices) do
      if c:lower() == text:lower() then value = c end
    end
    if not value then
      return nil, label .. " is " .. table.concat(o.choices, " or ") .. ", not '" .. text .. "'"
    end
  end
  if o.check then
    local checked, problem = o.check(value)
    if checked == nil then return nil, problem or (label .. ": '" .. text .. "' is not valid") end
    return checked
  end
  return value
end

-- Parses `argv` (a script's `arg`) by `spec`; returns the options and
-- positional arguments by key, defaults filled in. Exits on --help (0) and on
-- bad arguments (2).
function cli.parse(argv, spec)
  local name = basename(script_of(spec, argv))
  local function fail(problem)
    eprint(name .. ": " .. problem)
    eprint(cli.usage(spec, argv))
    exit(2)
  end

  local by_name, result = {}, {}
  for _, o in ipairs(spec.options or {}) do
    by_name[o[1]] = o
    result[key_of(o)] = o.default
    if not o.value and o.default == nil then result[key_of(o)] = false end
  end
  local positional = spec.positional or {}
  for _, p in ipairs(positional) do result[key_of(p)] = p.default end

  local given, options_done = {}, false
  local i = 1
  while i <= #argv do
    local a = argv[i]
    if not options_done and (a == "--help" or a == "-h") then
      print(cli.help(spec, argv))
      exit(0)
    elseif not options_done and a:match("^%-%-help=") then
      fail("--help takes no value")
    elseif not options_done and a == "--" then
      options_done = true
    elseif not options_done and a:match("^%-.") then
      local flag, inline = a:match("^(%-%-?[^=]+)=(.*)$")
      flag = flag or a
      local o = by_name[flag]
      if not o then fail("unknown option '" .. flag .. "'") end
      if not o.value then
        if inline then fail(flag .. " takes no value") end
        result[key_of(o)] = true
      else
        local text = inline
        if not text then
          i = i + 1
          text = argv[i]
          if text == nil then fail(flag .. " needs a value (" .. o.value .. ")") end
        end
        local value, problem = convert(o, text)
        if value == nil then fail(problem) end
        result[key_of(o)] = value
      end
    else
      given[#given + 1] = a
    end
    i = i + 1
  end

  for n, p in ipairs(positional) do
    local text = given[n]
    if text == nil then
      if not p.optional then fail(p[1] .. " is missing") end
    else
      local value, problem = convert(p, text)
      if value == nil then fail(problem) end
      result[key_of(p)] = value
    end
  end
  if #given > #positional then
    if #positional == 0 then fail("unexpected argument '" .. given[1] .. "'") end
    fail("unexpected argument '" .. given[#positional + 1] .. "' (after " ..
         table.concat(given, " ", 1, #positional) .. ")")
  end
  return result
end

-- Option sets several scripts share; put them in an `options` list with
-- table.unpack or cli.options(...).

-- --days N and --end YYYY-MM-DD: the N days ending on --end (opts.days,
-- opts.last; the first day is dates.add(opts.last, -(opts.days - 1))).
function cli.range_options()
  return {
    { "--days", value = "N", type = "int", min = 1, default = 7,
      help = "the range is the N days ending on --end (default 7)" },
    { "--end", key = "last", value = "YYYY-MM-DD", type = "date", default = dates.today(),
      help = "last day of the range (default: today, i.e. --now)" },
  }
end

-- --no-tls-threshold and --tls10-threshold: the built-in insights'
-- thresholds for one run (opts.no_tls_threshold, opts.tls10_threshold).
function cli.threshold_options()
  return {
    { "--no-tls-threshold", value = "PERCENT", type = "number", min = 0, max = 100,
      help = "NoTls fires above this share of plain text (default: Get-MailFlowConfig's, 25)" },
    { "--tls10-threshold", value = "PERCENT", type = "number", min = 0, max = 100,
      help = "Tls10 fires above this share of TLS 1.0 (default: Get-MailFlowConfig's, 50)" },
  }
end

-- The option lists given, one after the other, as one list.
function cli.options(...)
  local out = {}
  for _, list in ipairs({ ... }) do table.move(list, 1, #list, #out + 1, out) end
  return out
end

return cli
