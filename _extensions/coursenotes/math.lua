--[[
math.lua: TeX that MathJax accepts but pandoc's MathML converter (texmath) refuses, rewritten
into what texmath reads, for the coursenotes build (plain pandoc with --mathml; no CDN).

- Plain-TeX fractions `{a \over b}`, `{n \choose k}`, `{a \atop b}` become `\frac{a}{b}`,
  `\binom{n}{k}` and `\genfrac{}{}{0pt}{}{a}{b}` (texmath has no infix fractions).
- Plain-TeX font switches `{\bf x}`, `\rm softmax` (also `\it`, `\sf`, `\tt`, `\cal`) become
  `\mathbf{x}`, `\mathrm{softmax}` up to the end of their group; `\hbox{..}` becomes `\text{..}`.
- `\require{...}` (MathJax's extension loader: no meaning on the page) is dropped.
Anything texmath still cannot read stays as TeX, and pandoc's warning about it becomes a
`path:line` warning in the build. Under Quarto (MathJax or KaTeX in the browser) this does nothing.
docs/quarto-fidelity.md (part 2, "Math") says why the build uses MathML.
]]

local kInfix = { over = '\\frac{%s}{%s}', choose = '\\binom{%s}{%s}', atop = '\\genfrac{}{}{0pt}{}{%s}{%s}' }
local kSwitches = { rm = 'mathrm', bf = 'mathbf', it = 'mathit', sf = 'mathsf', tt = 'mathtt', cal = 'mathcal' }
local kRenamed = { hbox = 'text' }

--- The `quarto` Lua API under Quarto, nil under plain pandoc.
local function quarto_api()
  return rawget(_G, 'quarto')
end

--- The index of the `}` closing the `{` at `open`, or nil when unbalanced.
local function closing_brace(text, open)
  local depth, i = 0, open
  while i <= #text do
    local c = text:sub(i, i)
    if c == '\\' then i = i + 1
    elseif c == '{' then depth = depth + 1
    elseif c == '}' then
      depth = depth - 1
      if depth == 0 then return i end
    end
    i = i + 1
  end
  return nil
end

local rewrite

--- A run of TeX with no `&` or `\\` at its own level: its first infix fraction applied, groups rewritten.
local function rewrite_part(text)
  local i, out, left = 1, {}, nil
  while i <= #text do
    local c = text:sub(i, i)
    if c == '\\' then
      local name = text:match('^%a+', i + 1)
      if name and kInfix[name] and left == nil then
        left = { table.concat(out), name }
        out = {}
        i = i + 1 + #name
      elseif name and kSwitches[name] and left == nil then
        -- a switch sets the rest of its group: `\bf x y` is `\mathbf{x y}`
        local rest = rewrite_part((text:sub(i + 1 + #name):gsub('^%s+', '')))
        return table.concat(out) .. '\\' .. kSwitches[name] .. '{' .. rest .. '}'
      elseif name and kRenamed[name] then
        out[#out + 1] = '\\' .. kRenamed[name]
        i = i + 1 + #name
      else
        local token = name and ('\\' .. name) or text:sub(i, i + 1)
        out[#out + 1] = token
        i = i + #token
      end
    elseif c == '{' then
      local close = closing_brace(text, i)
      if close == nil then out[#out + 1] = text:sub(i); break end
      out[#out + 1] = '{' .. rewrite(text:sub(i + 1, close - 1)) .. '}'
      i = close + 1
    else
      out[#out + 1] = c
      i = i + 1
    end
  end
  local rest = table.concat(out)
  if left == nil then return rest end
  return kInfix[left[2]]:format(left[1], rest)
end

--- TeX with infix fractions rewritten, cell by cell and row by row (`&`, `\\` bound them as groups do).
rewrite = function(text)
  local parts, start, i, depth = {}, 1, 1, 0
  while i <= #text do
    local c = text:sub(i, i)
    if c == '\\' and text:sub(i + 1, i + 1) == '\\' and depth == 0 then
      parts[#parts + 1] = rewrite_part(text:sub(start, i - 1)) .. '\\\\'
      i = i + 2; start = i
    elseif c == '\\' then i = i + 2
    else
      if c == '{' then depth = depth + 1 elseif c == '}' then depth = depth - 1 end
      if c == '&' and depth == 0 then
        parts[#parts + 1] = rewrite_part(text:sub(start, i - 1)) .. '&'
        start = i + 1
      end
      i = i + 1
    end
  end
  parts[#parts + 1] = rewrite_part(text:sub(start))
  return table.concat(parts)
end

--- One formula, rewritten only when it uses something texmath lacks (others are left byte for byte).
local function math(el)
  local text = el.text:gsub('\\require%s*{[^}]*}', '')
  local has_infix = false
  for _, names in ipairs({ kInfix, kSwitches, kRenamed }) do
    for name in pairs(names) do
      if text:find('\\' .. name .. '%f[^%a]') then has_infix = true end
    end
  end
  if has_infix then text = rewrite(text) end
  if text == el.text then return nil end
  el.text = text
  return el
end

if quarto_api() ~= nil or not FORMAT:match('html') then return {} end

return { { Math = math } }
