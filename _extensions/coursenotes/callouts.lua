--[[
callouts.lua: Quarto callouts under plain pandoc (Quarto draws its own, so this does nothing there).

`::: {.callout-note|tip|warning|caution|important}` becomes Quarto's callout markup (class names
as in Quarto's modules/callouts.lua, so one stylesheet serves both renderers):
- the title is `title="..."` (Markdown) or the div's first heading, which leaves the body (and so
  the table of contents); the default appearance falls back to the type's name ("Note");
- `collapse="true|false"` makes a titled callout a <details> (closed / open), no JavaScript;
- `appearance="default|simple|minimal"` (minimal = simple without icon, as Quarto does it);
- `icon=false` drops the inline SVG icon.
The document's `callout-appearance` and `callout-icon` (metadata: the build passes the site's and
the post's `format: html:` options) are the defaults, as in Quarto.
]]

local kTypes = { note = 'Note', tip = 'Tip', warning = 'Warning', caution = 'Caution', important = 'Important' }
local kAppearances = { default = true, simple = true, minimal = true }
-- Attributes pandoc writes as they are (others get a `data-` prefix, as pandoc's HTML writer does).
local kHtmlAttributes = { role = true, lang = true, dir = true, style = true }
local kOwnAttributes = { title = true, collapse = true, appearance = true, icon = true }
-- Icons drawn for this site (24x24, stroke in currentColor, so CSS colours them per type and theme).
local kIconPaths = {
  note = '<circle cx="12" cy="12" r="9"/><path d="M12 11v6M12 7.5v.5"/>',
  tip = '<path d="M9 18h6M10 21h4M12 3a6 6 0 0 0-3.5 10.9c.6.5 1 1.2 1 2.1h5c0-.9.4-1.6 1-2.1A6 6 0 0 0 12 3z"/>',
  warning = '<path d="M12 3 2 20h20L12 3z"/><path d="M12 10v5M12 17.5v.5"/>',
  caution = '<path d="M8 3h8l5 5v8l-5 5H8l-5-5V8z"/><path d="M12 8v5M12 15.5v.5"/>',
  important = '<circle cx="12" cy="12" r="9"/><path d="M12 7v6M12 15.5v.5"/>',
}

local defaults = { appearance = 'default', icon = 'true' }

--- The `quarto` Lua API under Quarto, nil under plain pandoc.
local function quarto_api()
  return rawget(_G, 'quarto')
end

--- A note for the build's report: pandoc logs it, the build prints it as `path:line: message`.
local function warn(message)
  if pandoc.log then pandoc.log.warn('coursenotes: ' .. message) end
end

--- Remember the document's callout defaults.
local function read_meta(meta)
  if meta['callout-appearance'] ~= nil then defaults.appearance = pandoc.utils.stringify(meta['callout-appearance']) end
  if meta['callout-icon'] ~= nil then defaults.icon = pandoc.utils.stringify(meta['callout-icon']) end
end

--- The callout type named by a div's classes, or nil.
local function callout_type(div)
  for _, class in ipairs(div.classes) do
    local name = class:match('^callout%-(%a+)$')
    if name and kTypes[name] then return name end
  end
  return nil
end

--- The icon for a type as raw HTML (hidden from screen readers: the type is said in words).
local function icon_html(kind)
  return '<span class="callout-icon" aria-hidden="true"><svg xmlns="http://www.w3.org/2000/svg" '
    .. 'viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="2" '
    .. 'stroke-linecap="round" stroke-linejoin="round">' .. kIconPaths[kind] .. '</svg></span>'
end

--- The title: the `title` attribute read as Markdown, else a leading heading (removed from the body).
local function take_title(div)
  local attribute = div.attributes['title']
  if attribute and attribute ~= '' then
    local blocks = pandoc.read(attribute, 'markdown').blocks
    return blocks[1] and pandoc.utils.blocks_to_inlines(blocks) or pandoc.Inlines({})
  end
  local first = div.content[1]
  if first and first.t == 'Header' then
    div.content:remove(1)
    return first.content
  end
  return pandoc.Inlines({})
end

--- The outer element's class list, Quarto's names plus ours for minimal and collapsible callouts.
local function outer_classes(div, kind, appearance, icon, titled)
  local classes = pandoc.List({ 'callout', 'callout-style-' .. (appearance == 'default' and 'default' or 'simple'),
    'callout-' .. kind })
  if appearance == 'minimal' then classes:insert('callout-minimal') end
  if not icon then classes:insert('no-icon') end
  if titled then classes:insert('callout-titled') end
  for _, class in ipairs(div.classes) do
    if class ~= 'callout-' .. kind and not classes:includes(class) then classes:insert(class) end
  end
  return classes
end

--- Text escaped for a double-quoted HTML attribute.
local function escape_attr(text)
  return (text:gsub('&', '&amp;'):gsub('<', '&lt;'):gsub('>', '&gt;'):gsub('"', '&quot;'))
end

--- The outer element's attributes as HTML (for the <details> form), as pandoc writes a div's.
local function attr_html(identifier, classes, attributes)
  local out = identifier ~= '' and (' id="' .. escape_attr(identifier) .. '"') or ''
  out = out .. ' class="' .. escape_attr(table.concat(classes, ' ')) .. '"'
  for _, kv in ipairs(attributes) do
    local name = kv[1]:match('^[%a_][%w_:%.%-]*$')
    if name then
      if not (name:match('^data%-') or name:match('^aria%-') or kHtmlAttributes[name]) then name = 'data-' .. name end
      out = out .. ' ' .. name .. '="' .. escape_attr(kv[2]) .. '"'
    end
  end
  return out
end

--- The author's other attributes, in order, without the ones that made the callout.
local function other_attributes(div)
  local kept = pandoc.List()
  for _, kv in ipairs(div.attributes) do
    if not kOwnAttributes[kv[1]] then kept:insert({ kv[1], kv[2] }) end
  end
  return kept
end

--- A titled callout: a header and the body, or a <details> whose summary is the header when it collapses.
local function titled_callout(div, heading, body, classes, attributes)
  local collapse = div.attributes['collapse']
  if collapse ~= 'true' and collapse ~= 'false' then
    return pandoc.Div({ pandoc.Div({ pandoc.Plain(heading) }, { class = 'callout-header' }), body },
      pandoc.Attr(div.identifier, classes, attributes))
  end
  classes:insert('callout-collapse')
  local open = collapse == 'false' and ' open' or ''
  heading:insert(1, pandoc.RawInline('html', '<summary class="callout-header">'))
  heading:insert(pandoc.RawInline('html', '</summary>'))
  return {
    pandoc.RawBlock('html', '<details' .. open .. attr_html(div.identifier, classes, attributes) .. '>'),
    pandoc.Plain(heading), body, pandoc.RawBlock('html', '</details>'),
  }
end

--- A callout div in Quarto's markup; collapsible ones become <details>.
local function callout(div)
  local kind = callout_type(div)
  if kind == nil then return nil end
  local appearance = div.attributes['appearance'] or defaults.appearance
  if not kAppearances[appearance] then
    warn('`appearance="' .. appearance .. '"` is not one of default, simple, minimal: the default is used')
    appearance = 'default'
  end
  local icon = (div.attributes['icon'] or defaults.icon) ~= 'false' and appearance ~= 'minimal'
  local title = take_title(div)
  local custom = #title > 0
  if not custom and appearance == 'default' then title = pandoc.Inlines({ pandoc.Str(kTypes[kind]) }) end
  local titled = #title > 0
  local attributes = other_attributes(div)
  local classes = outer_classes(div, kind, appearance, icon, titled)
  if #div.content == 0 then classes:insert('callout-empty-content') end   -- a title-only callout, as Quarto marks it
  local icon_inline = pandoc.RawInline('html', icon and icon_html(kind) or '')
  -- A screen reader hears the type before a custom title (or a bare body), as in Quarto.
  local spoken = pandoc.Span({ pandoc.Str(kTypes[kind] .. ':'), pandoc.Space() }, { class = 'visually-hidden' })
  local body = pandoc.Div(div.content, { class = 'callout-body-container callout-body' })
  if not titled then
    body.content:insert(1, pandoc.Plain({ icon_inline, spoken }))
    return pandoc.Div({ body }, pandoc.Attr(div.identifier, classes, attributes))
  end
  local heading = pandoc.List({ icon_inline })
  if custom then heading:insert(spoken) end
  heading:insert(pandoc.Span(title, { class = 'callout-title-container' }))
  return titled_callout(div, heading, body, classes, attributes)
end

if quarto_api() ~= nil or not FORMAT:match('html') then return {} end
return { { Meta = read_meta }, { Div = callout } }
