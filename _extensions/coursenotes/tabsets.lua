--[[
tabsets.lua: Quarto's `::: {.panel-tabset}` under plain pandoc (Quarto draws its own tabsets).

Each heading of the first heading level inside the div starts a tab (as in Quarto's
customnodes/panel-tabset.lua); a heading with `.active` picks the first tab shown. The markup
follows the WAI-ARIA tabs pattern (`role="tablist"`, `"tab"`, `"tabpanel"`, roving tabindex);
lib/coursenotes/assets/tabsets.js adds the arrow keys and keeps tabsets with the same
`group="..."` in step. Without JavaScript the tab list is hidden by CSS and every panel shows
its title as a heading-role element, so the page still reads top to bottom. Tab titles are
not pandoc headings any more, so they stay out of the table of contents.
]]

local kAnchorClass = 'anchor'   -- coursenotes.lua's heading self-links: not part of a tab title

local tabset_count = 0

--- The `quarto` Lua API under Quarto, nil under plain pandoc.
local function quarto_api()
  return rawget(_G, 'quarto')
end

--- A note for the build's report: pandoc logs it, the build prints it as `path:line: message`.
local function warn(message)
  if pandoc.log then pandoc.log.warn('coursenotes: ' .. message) end
end

--- A heading's inlines without the self-link another filter may have appended.
local function title_of(header)
  return header.content:filter(function(el)
    return not (el.t == 'Link' and el.classes:includes(kAnchorClass))
  end)
end

--- The div's blocks split at headings of the first heading level: (lead blocks, tabs, level).
local function split_tabs(div)
  local first = div.content:find_if(function(el) return el.t == 'Header' end)
  if first == nil then return nil end
  local lead, tabs = pandoc.Blocks({}), pandoc.List()
  for _, el in ipairs(div.content) do
    if el.t == 'Header' and el.level == first.level then
      tabs:insert({ header = el, blocks = pandoc.Blocks({}) })
    elseif #tabs > 0 then
      tabs[#tabs].blocks:insert(el)
    else
      lead:insert(el)
    end
  end
  return lead, tabs, first.level
end

--- The index of the tab shown first: the heading marked `.active`, else the first.
local function active_index(tabs)
  for i, tab in ipairs(tabs) do
    if tab.header.classes:includes('active') then return i end
  end
  return 1
end

--- The tab list: one role="tab" link per tab, only the selected one in the tab order.
local function tab_list(tabs, ids, active)
  local nav = pandoc.List({ pandoc.RawInline('html', '<ul class="nav nav-tabs" role="tablist">') })
  for i, tab in ipairs(tabs) do
    local selected = i == active
    nav:insert(pandoc.RawInline('html', '<li class="nav-item" role="presentation"><a class="nav-link'
      .. (selected and ' active' or '') .. '" id="' .. ids[i] .. '-tab" href="#' .. ids[i]
      .. '" role="tab" aria-controls="' .. ids[i] .. '" aria-selected="' .. tostring(selected)
      .. '" tabindex="' .. (selected and '0' or '-1') .. '">'))
    nav:extend(title_of(tab.header))
    nav:insert(pandoc.RawInline('html', '</a></li>'))
  end
  nav:insert(pandoc.RawInline('html', '</ul>'))
  return pandoc.Plain(nav)
end

--- One tab panel: its title (shown only without JavaScript), then the tab's blocks.
local function tab_panel(tab, id, level, selected)
  local heading = pandoc.Div({ pandoc.Plain(title_of(tab.header)) }, pandoc.Attr(tab.header.identifier,
    { 'tab-heading' }, { { 'role', 'heading' }, { 'aria-level', tostring(level) } }))
  local classes = { 'tab-pane' }
  if selected then table.insert(classes, 'active') end
  local blocks = pandoc.Blocks({ heading })
  blocks:extend(tab.blocks)
  return pandoc.Div(blocks, pandoc.Attr(id, classes,
    { { 'role', 'tabpanel' }, { 'aria-labelledby', id .. '-tab' }, { 'tabindex', '0' } }))
end

--- A panel-tabset div as tab list and panels; left alone when it has no headings.
local function tabset(div)
  if not div.classes:includes('panel-tabset') then return nil end
  local lead, tabs, level = split_tabs(div)
  if lead == nil then
    warn('`panel-tabset` has no headings, so no tabs: its content is shown as it is')
    return nil
  end
  tabset_count = tabset_count + 1
  local ids, active = {}, active_index(tabs)
  for i = 1, #tabs do ids[i] = 'tabset-' .. tabset_count .. '-' .. i end
  local panels = pandoc.Blocks({})
  for i, tab in ipairs(tabs) do panels:insert(tab_panel(tab, ids[i], level, i == active)) end
  local group = div.attributes['group']
  div.attributes['group'] = nil
  if group and group ~= '' then div.attributes['data-group'] = group end
  lead:extend({ tab_list(tabs, ids, active), pandoc.Div(panels, { class = 'tab-content' }) })
  div.content = lead
  return div
end

if quarto_api() ~= nil or not FORMAT:match('html') then return {} end
return { { Div = tabset } }
