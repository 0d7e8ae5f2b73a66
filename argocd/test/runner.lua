-- Runs one Argo CD Lua script the way Argo CD does (the object in the global `obj`) and prints its result as JSON,
-- for tests/Whetstone.Chart.Tests/ArgoCd. Usage: lua5.1 runner.lua <health|discovery|action> <script.lua> <object.lua>
-- where object.lua returns the object as a Lua table (the test converts each YAML test input to one).
local mode, script, input = arg[1], arg[2], arg[3]

local function encode(value)
  local t = type(value)
  if t == "nil" then
    return "null"
  elseif t == "boolean" or t == "number" then
    return tostring(value)
  elseif t == "string" then
    return '"' .. value:gsub('[%c"\\]', function(c)
      return string.format("\\u%04x", c:byte())
    end) .. '"'
  end
  if #value > 0 or next(value) == nil then
    local items = {}
    for _, item in ipairs(value) do
      items[#items + 1] = encode(item)
    end
    return "[" .. table.concat(items, ",") .. "]"
  end
  local keys = {}
  for key in pairs(value) do
    keys[#keys + 1] = key
  end
  table.sort(keys)
  local fields = {}
  for _, key in ipairs(keys) do
    fields[#fields + 1] = encode(tostring(key)) .. ":" .. encode(value[key])
  end
  return "{" .. table.concat(fields, ",") .. "}"
end

obj = dofile(input)
local result = dofile(script)
if mode == "health" then
  io.write(encode({status = result.status, message = result.message}))
elseif mode == "discovery" or mode == "action" then
  io.write(encode(result))
else
  error("unknown mode " .. tostring(mode))
end
