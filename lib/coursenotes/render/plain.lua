--[[
An option value as plain tables and strings (template variables are a Context of Doc values, so
Docs become text; nil becomes JSON null). cli_options.lua reports the command line's options
through it and driver.lua reads its own back through it: one definition, so both sides of their
comparison see values alike.
]]

local function plain(v)
  if v == nil then return pandoc.json.null end
  if pandoc.utils.type(v) == 'Doc' then return tostring(v) end
  if type(v) ~= 'table' then return v end
  local out = {}
  for k, x in pairs(v) do out[k] = plain(x) end
  return out
end

return plain
