--[[
a11y.lua: what a keyboard or screen-reader user needs from a post body, done at build time so
it works without JavaScript (docs/accessibility.md). Shared by the coursenotes build (plain
pandoc) and `quarto render` (listed in _extension.yml after coursenotes.lua).

- Every block that can scroll sideways (code, terminal output, tables) gets `tabindex="0"`, so
  a keyboard can reach and scroll it, and a name (`role="group"` + `aria-label`: a `pre` or
  `div` has no role that may carry a name otherwise). The name says what the block is: "Python
  code", "Output", "Standard error", "Error", "Output table".
- A display of other HTML (no table or pre of its own) scrolls in its `.cell-output-display`
  box, which is made focusable and named instead.
- pandas' empty header cells: the top-left one (above the index) is labelled "Index" in
  visually-hidden text; the empty ones after a row's first cell are blanks, not headers, and
  become `<td>`. An author's table with an empty corner gets "Item" there the same way.
Runs in any order with coursenotes.lua: diagrams (```mermaid fences, `<pre class="mermaid">`)
are left alone, their text alternative is their source (diagrams.js).
Only HTML output is touched.
]]

local kFocusable = 'tabindex="0"'
local kDiagramClass = 'mermaid'
local kIndexLabel = '<span class="visually-hidden">Index</span>'
-- The names of scrollable blocks inside a cell output, by the output's class.
local kOutputLabels = {
  ['cell-output-stdout'] = 'Output',
  ['cell-output-stderr'] = 'Standard error',
  ['cell-output-error'] = 'Error',
  ['cell-output-display'] = 'Output',
}
-- An author's table with an empty corner: its first column names the rows, so its header says "Item".
local kCornerLabel = 'Item'
local kCodeLabel = 'Code'
local kTableLabel = 'Table'
local kOutputTableLabel = 'Output table'

--- The `quarto` Lua API under Quarto, nil under plain pandoc.
local function quarto_api()
  return rawget(_G, 'quarto')
end

--- Text escaped for a double-quoted HTML attribute.
local function escape_attr(text)
  return (text:gsub('&', '&amp;'):gsub('<', '&lt;'):gsub('>', '&gt;'):gsub('"', '&quot;'))
end

--- "python" -> "Python code"; no language -> "Code".
local function code_label(block)
  local lang = block.classes[1]
  if lang == nil or lang == 'cell-code' or lang == 'sourceCode' then return kCodeLabel end
  return lang:sub(1, 1):upper() .. lang:sub(2) .. ' code'
end

--- A block's attributes made focusable and named, unless the author already did.
local function name_attributes(attr, label)
  if attr.attributes['tabindex'] == nil then attr.attributes['tabindex'] = '0' end
  if attr.attributes['role'] == nil then attr.attributes['role'] = 'group' end
  if attr.attributes['aria-label'] == nil then attr.attributes['aria-label'] = label end
  return attr
end

--- What makes an opening tag's attributes focusable and named ('' when it already is focusable).
--- `label` nil: no name added (a table named by its caption).
local function tag_extras(attrs, label, with_role)
  if attrs:find('tabindex=', 1, true) then return '' end
  local extras = ' ' .. kFocusable
  if with_role and not attrs:find('role=', 1, true) then extras = extras .. ' role="group"' end
  if label and not attrs:find('aria-label', 1, true) then extras = extras .. ' aria-label="' .. escape_attr(label) .. '"' end
  return extras
end

--- One table row: an empty first header cell labelled "Index", later empty header cells made plain cells.
local function fix_row(open, cells, close)
  local position = 0
  cells = cells:gsub('<th%f[%s>]([^>]*)>(.-)</th>', function(attrs, content)
    position = position + 1
    if content:match('^%s*$') == nil then return nil end
    if position == 1 then return '<th' .. attrs .. '>' .. kIndexLabel .. '</th>' end
    return '<td' .. attrs .. '></td>'
  end)
  return open .. cells .. close
end

--- Raw HTML with its tables and `pre` blocks focusable and named, and empty header cells fixed.
local function fix_raw_html(text, label)
  local table_label = label and kOutputTableLabel or kTableLabel
  if text:find('<caption', 1, true) then table_label = nil end
  text = text:gsub('<table%f[%s>]([^>]*)>', function(attrs)
    return '<table' .. attrs .. tag_extras(attrs, table_label, false) .. '>'
  end)
  text = text:gsub('<pre%f[%s>]([^>]*)>', function(attrs)
    if attrs:find(kDiagramClass, 1, true) then return nil end
    return '<pre' .. attrs .. tag_extras(attrs, label or kCodeLabel, true) .. '>'
  end)
  return (text:gsub('(<tr%f[%s>][^>]*>)(.-)(</tr>)', fix_row))
end

--- A code block that scrolls: focusable and named (a diagram fence is coursenotes.lua's).
local function code_block(block, label)
  if block.classes:includes(kDiagramClass) then return nil end
  if block.attributes['tabindex'] ~= nil then return nil end
  block.attr = name_attributes(block.attr, label or code_label(block))
  return block
end

--- Raw HTML blocks (tables and terminal text from cell outputs).
local function raw_block(block, label)
  if not block.format:match('html') then return nil end
  local fixed = fix_raw_html(block.text, label)
  if fixed == block.text then return nil end
  block.text = fixed
  return block
end

--- Visually-hidden text for an empty header cell of an author's table.
local function hidden_text(text)
  return pandoc.Blocks({ pandoc.Plain({ pandoc.Span(text, pandoc.Attr('', { 'visually-hidden' })) }) })
end

--- A pandoc table: focusable (tables scroll sideways), named by its caption or as "Table", and
--- its empty header cells given words ("Item" in the corner, "Column N" elsewhere).
local function table_block(tbl)
  if tbl.attributes['tabindex'] ~= nil then return nil end
  tbl.attributes['tabindex'] = '0'
  if #tbl.caption.long == 0 and tbl.attributes['aria-label'] == nil then tbl.attributes['aria-label'] = kTableLabel end
  for _, row in ipairs(tbl.head.rows) do
    for i, cell in ipairs(row.cells) do
      if pandoc.utils.stringify(cell.contents):match('^%s*$') then
        cell.contents = hidden_text(i == 1 and kCornerLabel or ('Column ' .. i))
      end
    end
  end
  return tbl
end

--- The output label a div's classes call for, or nil.
local function output_label(div)
  for class, label in pairs(kOutputLabels) do
    if div.classes:includes(class) then return label end
  end
  return nil
end

--- True for raw HTML that scrolls inside the display box itself: no table or pre of its own to scroll.
local function is_other_html(block)
  return block.t == 'RawBlock' and block.format:match('html') ~= nil
    and not block.text:find('<table', 1, true) and not block.text:find('<pre', 1, true)
end

--- A cell output: its blocks get the output's name ("Standard error") rather than "Code"; a
--- display of other HTML (widgets, styled divs) scrolls in its own box (.cell-output-display), so
--- that box is the one made focusable and named.
local function output_div(div)
  local label = output_label(div)
  if label == nil then return nil end
  if div.classes:includes('cell-output-display') and #div.content == 1 and is_other_html(div.content[1]) then
    div.attr = name_attributes(div.attr, label)
  end
  return div:walk({
    CodeBlock = function(block) return code_block(block, label) end,
    RawBlock = function(block) return raw_block(block, label) end,
  })
end

if FORMAT:match('html') == nil then return {} end

local everything_else = {
  RawBlock = function(block) return raw_block(block, nil) end,
  Table = table_block,
}
-- Quarto draws code blocks with its own markup and scroll container; plain pandoc's are ours.
if quarto_api() == nil then everything_else.CodeBlock = function(block) return code_block(block, nil) end end

return {
  { Div = output_div },
  everything_else,
}
