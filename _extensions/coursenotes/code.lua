--[[
code.lua: Quarto's code-block options under plain pandoc (Quarto applies its own).

- `code-fold: true|show` (with `code-summary`, default "Code") folds a cell's echoed source
  (`.cell-code`) into <details> (closed / open), as Quarto's quarto-post/foldcode.lua does;
- `code-line-numbers: true` numbers the lines (pandoc's `numberLines`);
- `code-overflow: wrap|scroll` wraps long lines or scrolls them (the default);
- `filename="..."` puts the file's name above the block, in Quarto's `code-with-filename` markup.
Each option is read from the block's attributes (a cell's options arrive there from
lib/coursenotes/outputs.py), else from the document's metadata: the build passes the site's
and the post's `format: html:` defaults as pandoc metadata (`-M code-fold=true`).
]]

local kCellCodeClass = 'cell-code'
local kDefaultSummary = 'Code'
local kOptions = { 'code-fold', 'code-summary', 'code-line-numbers', 'code-overflow' }

local defaults = {}

--- The `quarto` Lua API under Quarto, nil under plain pandoc.
local function quarto_api()
  return rawget(_G, 'quarto')
end

--- Text escaped for an HTML element body.
local function escape_html(text)
  return (text:gsub('&', '&amp;'):gsub('<', '&lt;'):gsub('>', '&gt;'))
end

--- A note for the build's report: pandoc logs it, the build prints it as `path:line: message`.
local function warn(message)
  if pandoc.log then pandoc.log.warn('coursenotes: ' .. message) end
end

--- Remember the document-wide defaults (metadata values as plain strings).
local function read_meta(meta)
  for _, key in ipairs(kOptions) do
    if meta[key] ~= nil then defaults[key] = pandoc.utils.stringify(meta[key]) end
  end
end

--- One option for a block: its own attribute (removed from the output), else the document's default.
local function option(block, key)
  local value = block.attributes[key]
  block.attributes[key] = nil
  if value == nil then value = defaults[key] end
  return value
end

--- The fold mode of a value, as Quarto reads it: 'hide', 'show' or nil (not folded).
local function fold_mode(value)
  if value == 'true' or value == '1' or value == 'hide' then return 'hide' end
  if value == 'show' then return 'show' end
  return nil
end

--- The block inside <details>, its summary read as Markdown.
local function folded(blocks, mode, summary)
  local text = (summary and summary:match('%S')) and summary or kDefaultSummary
  local parsed = pandoc.utils.blocks_to_inlines(pandoc.read(text, 'markdown').blocks)
  local head = pandoc.List({ pandoc.RawInline('html', '<details class="code-fold"'
    .. (mode == 'show' and ' open' or '') .. '>\n<summary>') })
  head:extend(parsed)
  head:insert(pandoc.RawInline('html', '</summary>'))
  local out = pandoc.Blocks({ pandoc.Plain(head) })
  out:extend(blocks)
  out:insert(pandoc.RawBlock('html', '</details>'))
  return out
end

--- The block under a file-name bar.
local function with_filename(block, name)
  local bar = pandoc.RawBlock('html', '<div class="code-with-filename-file"><pre><strong>'
    .. escape_html(name) .. '</strong></pre></div>')
  return pandoc.Div({ bar, block }, { class = 'code-with-filename' })
end

--- A code block with its Quarto options applied.
local function code_block(block)
  if block.classes:includes('mermaid') then return nil end   -- coursenotes.lua draws those
  local fold, summary = option(block, 'code-fold'), option(block, 'code-summary')
  local numbers, overflow = option(block, 'code-line-numbers'), option(block, 'code-overflow')
  local filename = block.attributes['filename']
  block.attributes['filename'] = nil
  if numbers ~= nil and numbers ~= 'false' and numbers ~= '' then block.classes:insert('numberLines') end
  if numbers ~= nil and numbers:match('%d') then
    warn('`code-line-numbers` line highlighting ("' .. numbers .. '") is for slides: every line is numbered, none highlighted')
  end
  if overflow == 'wrap' or overflow == 'scroll' then block.classes:insert('code-overflow-' .. overflow) end
  local out = (filename and filename ~= '') and with_filename(block, filename) or block
  local mode = block.classes:includes(kCellCodeClass) and fold_mode(fold) or nil
  if mode == nil then return out end
  return folded({ out }, mode, summary)
end

if quarto_api() ~= nil or not FORMAT:match('html') then return {} end
return { { Meta = read_meta }, { CodeBlock = code_block } }
