--[[
coursenotes.lua: the site's pandoc Lua filter, shared by the coursenotes build (plain
pandoc, `--lua-filter`) and by `quarto render` (as the `coursenotes` extension).

- ```mermaid fences become <figure class="diagram"><pre class="mermaid">source</pre></figure>;
  the escaped source stays readable text, so a reader without JavaScript (or with a
  mermaid.js that fails) still sees the diagram's source.
- Headings with an id get a trailing `#` link (plain pandoc only: Quarto has its own).
Only HTML output is touched; other formats get the document unchanged.
]]

local kDiagramClass = 'mermaid'
local kQuartoCellCodeClass = 'cell-code' -- the echoed source of a Quarto ```{mermaid} cell
local kAnchorClass = 'anchor'
-- The `#` is drawn by CSS (a.anchor::after): an empty link keeps it out of pandoc's table of contents.
local kAnchorLabel = 'Link to this section'
-- Under Quarto, plain ```mermaid fences need mermaid.js on the page: Quarto only adds its
-- own copy for ```{mermaid} cells. Paths are relative to this file (Quarto resolves them so).
local kDependency = 'coursenotes-diagrams'
local kDependencyVersion = '0.1.0'
local kDependencyScripts = {
  '../../node_modules/mermaid/dist/mermaid.min.js',
  '../../lib/coursenotes/assets/diagrams.js',
}

--- The `quarto` Lua API under Quarto, nil under plain pandoc: the one guard for Quarto calls.
local function quarto_api()
  return rawget(_G, 'quarto')
end

--- True when pandoc writes some flavour of HTML (html, html4, html5, chunkedhtml).
local function is_html_output()
  return FORMAT:match('html') ~= nil
end

--- Text escaped for an HTML element body (`&` first, so entities are not escaped twice).
local function escape_html(text)
  return (text:gsub('&', '&amp;'):gsub('<', '&lt;'):gsub('>', '&gt;'))
end

--- Text escaped for a double-quoted HTML attribute.
local function escape_attr(text)
  return (escape_html(text):gsub('"', '&quot;'))
end

--- True for a code block that is a Quarto cell's echoed source (Quarto draws the cell itself).
local function is_quarto_cell_code(block)
  return quarto_api() ~= nil and block.classes:includes(kQuartoCellCodeClass)
end

--- The diagram container for a mermaid source, as raw HTML.
local function diagram_html(source, identifier, caption)
  local id = identifier ~= '' and (' id="' .. escape_attr(identifier) .. '"') or ''
  local figcaption = (caption and caption ~= '') and ('\n<figcaption>' .. escape_html(caption) .. '</figcaption>') or ''
  return '<figure class="diagram"' .. id .. '>\n'
    .. '<pre class="mermaid">' .. escape_html(source) .. '</pre>'
    .. figcaption .. '\n'
    .. '</figure>'
end

local dependency_added = false

--- Under Quarto, put our mermaid.js and diagrams.js on the page once; warn when not installed.
local function add_quarto_dependency()
  local quarto = quarto_api()
  if quarto == nil or dependency_added then return end
  dependency_added = true
  for _, script in ipairs(kDependencyScripts) do
    local found = io.open(quarto.utils.resolve_path(script), 'r')
    if found == nil then
      -- Leave the source visible rather than fail the whole render.
      quarto.log.warning('coursenotes: ' .. script .. ' is missing (run `npm ci`); '
        .. 'mermaid diagrams will show their source')
      return
    end
    found:close()
  end
  quarto.doc.add_html_dependency({
    name = kDependency, version = kDependencyVersion, scripts = kDependencyScripts,
  })
end

--- A ```mermaid fence becomes a diagram container; any other code block is left as it is.
local function code_block(block)
  if not block.classes:includes(kDiagramClass) or is_quarto_cell_code(block) then return nil end
  add_quarto_dependency()
  return pandoc.RawBlock('html', diagram_html(block.text, block.identifier, block.attributes['fig-cap']))
end

--- A heading with an id gets a trailing self-link, so readers can copy a section's address.
local function header(block)
  if block.identifier == '' then return nil end
  local attr = pandoc.Attr('', { kAnchorClass }, { ['aria-label'] = kAnchorLabel })
  block.content:extend({ pandoc.Link({}, '#' .. block.identifier, '', attr) })
  return block
end

if not is_html_output() then return {} end

local filter = { CodeBlock = code_block }
-- Quarto adds its own heading anchors (anchor-sections); two would show.
if quarto_api() == nil then filter.Header = header end
return { filter }
