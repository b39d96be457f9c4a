--[[
crossref.lua: Quarto's cross-references for the coursenotes build (plain pandoc only).

Quarto numbers and resolves cross-references itself, so under Quarto this filter does nothing.
Under plain pandoc it does what Quarto's crossref filters do for HTML
(quarto-cli src/resources/filters/crossref/: sections.lua, equations.lua, refs.lua, format.lua):

- `#fig-` ids on figures (`![cap](x.png){#fig-x}`, a `.cell` div labelled `fig-x` whose output
  has a caption, or a mermaid diagram labelled `fig-x`) and `#tbl-` ids on tables
  (`: Caption {#tbl-x}`) are numbered in document order; the caption gets the prefix
  "Figure 1: " / "Table 1: ".
- `$$ ... $$ {#eq-x}` becomes a span with that id; the equation gets `\qquad(1)` as Quarto
  writes it for MathML output.
- Headings are numbered the way Quarto numbers them; with `number-sections: true` the number is
  shown in the heading (`<span class="header-section-number">`), down to `number-depth`.
- `@fig-x` becomes a link "Figure 1" (`@Fig-x`: capitalised, `[-@fig-x]`: the number only,
  `[see @fig-x]`: the prefix replaces "Figure").
- An unknown `@fig-x` is shown as Quarto shows it (bold `?@fig-x`) and reported on stderr as
  `coursenotes-warning<TAB>@fig-x<TAB>message`; the build turns it into a `path:line` warning.
- Front matter `crossref:` options `fig-title`, `tbl-title` (caption titles), `fig-prefix`,
  `tbl-prefix`, `sec-prefix`, `eq-prefix` (reference text), `title-delim` and `ref-hyperlink` work
  as in Quarto; any other `crossref:` option is reported as ignored.
Citations (`@knuth`, any id without a cross-reference prefix) are left for references.lua.
]]

local kWarningPrefix = 'coursenotes-warning'
local kNbsp = '\u{a0}'
local kRefDelim = ','
local kTitles = { fig = 'Figure', tbl = 'Table', sec = 'Section', eq = 'Equation' }
local kOptions = { 'fig-title', 'tbl-title', 'fig-prefix', 'tbl-prefix', 'sec-prefix', 'eq-prefix', 'title-delim', 'ref-hyperlink' }
-- Quarto's reserved prefixes (docs/authoring/cross-references): an unknown id with one of these
-- is an unresolved reference, never a citation.
local kReservedPrefixes = {
  'fig', 'tbl', 'lst', 'tip', 'nte', 'wrn', 'imp', 'cau', 'thm', 'lem', 'cor', 'prp', 'cnj',
  'def', 'exm', 'exr', 'sol', 'rem', 'alg', 'eq', 'sec',
}
local kMaxLevel = 7

--- The `quarto` Lua API under Quarto, nil under plain pandoc.
local function quarto_api()
  return rawget(_G, 'quarto')
end

--- The cross-reference type of an id (`fig` for `fig-x` and `Fig-x`), or nil.
local function ref_type(id)
  local prefix = id:match('^(%a+)%-')
  return prefix and prefix:lower() or nil
end

--- True for an id Quarto treats as a cross-reference (a reserved prefix).
local function is_crossref_id(id)
  local kind = ref_type(id)
  for _, prefix in ipairs(kReservedPrefixes) do
    if kind == prefix then return true end
  end
  return false
end

--- One warning line on stderr, for the build to turn into `path:line: warning`.
local function warn(needle, message)
  io.stderr:write(kWarningPrefix .. '\t' .. needle .. '\t' .. message .. '\n')
end

-- The document's state: entries by id ({kind, number}), counters per kind, section counters.
local entries = {}
local counters = { fig = 0, tbl = 0, eq = 0, sec = 0 }
local sections = { 0, 0, 0, 0, 0, 0, 0 }
local top_level = kMaxLevel       -- the highest heading level present (1 for `#`), as Quarto's maxHeading
local number_sections = false
local number_depth = kMaxLevel
local options = { ['title-delim'] = ':', ['ref-hyperlink'] = true }   -- front matter `crossref:`

--- A `crossref:` option, or the default ("Figure" for fig-title and fig-prefix).
local function option(name, kind)
  local value = options[kind and (kind .. '-' .. name) or name]
  if value ~= nil then return value end
  return kTitles[kind]
end

--- The next number for a kind, recorded for the id.
local function add_entry(id, kind)
  if entries[id] then warn('#' .. id, 'duplicate cross-reference id #' .. id .. ': references go to the first') ; return entries[id].number end
  counters[kind] = counters[kind] + 1
  entries[id] = { kind = kind, number = tostring(counters[kind]) }
  return entries[id].number
end

--- A section number as Quarto writes it: levels below the document's top level, joined by dots.
local function section_number(level)
  local last = 1
  for i = level, 2, -1 do
    if sections[i] > 0 then last = i; break end
  end
  local parts = top_level == 1 and { tostring(sections[1]) } or {}
  for i = 2, last do parts[#parts + 1] = tostring(sections[i]) end
  return table.concat(parts, '.')
end

--- The "Figure 1: " inlines put before a caption.
local function caption_prefix(kind, number)
  return { pandoc.Str(option('title', kind) .. kNbsp .. number .. option('title-delim')), pandoc.Space() }
end

--- A Caption (Figure or Table) with the prefix added to its first block.
local function prefix_caption(caption, kind, number)
  local first = caption.long[1]
  if first == nil then
    caption.long = { pandoc.Plain(caption_prefix(kind, number)) }
  elseif first.content then
    local prefix = pandoc.Inlines(caption_prefix(kind, number))
    first.content = prefix .. first.content
  end
  return caption
end

--- Headings: Quarto's numbering, shown when `number-sections` is on; `#sec-` ids indexed.
local function header(el)
  -- As Quarto: an unnumbered heading has no number to show, so `@sec-` cannot refer to it.
  if el.classes:includes('unnumbered') then return nil end
  local level = math.min(el.level, kMaxLevel)
  for i = level + 1, kMaxLevel do sections[i] = 0 end
  sections[level] = sections[level] + 1
  local number = section_number(level)
  if ref_type(el.identifier) == 'sec' then
    add_entry(el.identifier, 'sec')
    entries[el.identifier].number = number
  end
  if not number_sections or level > number_depth then return nil end
  el.content:insert(1, pandoc.Space())
  el.content:insert(1, pandoc.Span({ pandoc.Str(number) }, pandoc.Attr('', { 'header-section-number' })))
  return el
end

--- A `#fig-` figure: numbered, caption prefixed.
local function figure(el)
  if ref_type(el.identifier) ~= 'fig' then return nil end
  el.caption = prefix_caption(el.caption, 'fig', add_entry(el.identifier, 'fig'))
  return el
end

--- A `#tbl-` table: numbered, caption prefixed.
local function tbl(el)
  if ref_type(el.identifier) ~= 'tbl' then return nil end
  el.caption = prefix_caption(el.caption, 'tbl', add_entry(el.identifier, 'tbl'))
  return el
end

--- A div labelled `fig-`/`tbl-` (a code cell's `label:`): numbered; its first captioned figure/table gets the prefix.
local function div(el)
  local kind = ref_type(el.identifier)
  if kind ~= 'fig' and kind ~= 'tbl' then return nil end
  local number = add_entry(el.identifier, kind)
  -- A layout panel (`::: {#fig-x layout-ncol=2}`): its last paragraph is the caption (layout.lua makes
  -- the figure), so the prefix goes there and its images stay subfigures, lettered (a), (b), ...
  local last = el.content[#el.content]
  local is_panel = el.attributes['layout'] or el.attributes['layout-ncol'] or el.attributes['layout-nrow']
  if kind == 'fig' and is_panel and not el.classes:includes('cell') and last and last.t == 'Para'
      and not last.content:find_if(function(x) return x.t == 'Image' end) then
    last.content = pandoc.Inlines(caption_prefix(kind, number)) .. last.content
    return el
  end
  local done = false
  local function caption_once(inner)
    if done or #inner.caption.long == 0 then return nil end
    done = true
    inner.caption = prefix_caption(inner.caption, kind, number)
    return inner
  end
  el.content = el.content:walk(kind == 'fig' and { Figure = caption_once } or { Table = caption_once })
  return el
end

--- A mermaid diagram labelled `fig-` (coursenotes.lua, which runs first, made it a raw `<figure class="diagram">`).
local function raw_block(el)
  if el.format ~= 'html' then return nil end
  local id = el.text:match('^<figure class="diagram" id="(fig%-[^"]+)">')
  if id == nil then return nil end
  local number = add_entry(id, 'fig')
  local prefix = option('title', 'fig') .. kNbsp .. number .. option('title-delim') .. ' '
  el.text = el.text:gsub('<figcaption>', function() return '<figcaption>' .. prefix:gsub('&', '&amp;'):gsub('<', '&lt;') end, 1)
  return el
end

--- The text of an attribute block that pandoc split into several inlines (`{#eq-x}` is usually one Str).
local function equation_label(inlines, i)
  local first = inlines[i]
  if first == nil or first.t ~= 'Str' then return nil end
  return first.text:match('^{#(eq%-[^%s}]+)}$')
end

--- `$$ ... $$ {#eq-x}`: the equation numbered and wrapped in a span with the id.
local function para(el)
  local out, changed, i = pandoc.Inlines({}), false, 1
  local inlines = el.content
  while i <= #inlines do
    local item = inlines[i]
    local gap = inlines[i + 1] and inlines[i + 1].t == 'Space' and 1 or 0
    local label = item.t == 'Math' and item.mathtype == 'DisplayMath' and equation_label(inlines, i + 1 + gap)
    if label then
      local number = add_entry(label, 'eq')
      item.text = item.text .. ' \\qquad(' .. number .. ')'
      out:insert(pandoc.Span({ item }, pandoc.Attr(label)))
      i, changed = i + 2 + gap, true
    else
      out:insert(item)
      i = i + 1
    end
  end
  if not changed then return nil end
  el.content = out
  return el
end

--- The inlines one resolved reference becomes.
local function reference_inlines(citation, entry)
  local kind = entry.kind
  local ref = pandoc.Inlines({})
  if #citation.prefix > 0 then
    ref:extend(citation.prefix)
    ref:insert(pandoc.Str(kNbsp))
  elseif citation.mode ~= pandoc.SuppressAuthor then
    local title = option('prefix', kind)
    if citation.id:match('^%u') then title = title:sub(1, 1):upper() .. title:sub(2) end
    ref:insert(pandoc.Str(title .. kNbsp))
  end
  ref:insert(pandoc.Str(entry.number))
  if not option('ref-hyperlink') then return ref end
  return pandoc.Link(ref, '#' .. citation.id:sub(1, 1):lower() .. citation.id:sub(2), '', pandoc.Attr('', { 'quarto-xref' }))
end

--- `@fig-x` and friends: links with Quarto's text; unknown ones bold `?@id` and a warning.
local function cite(el)
  local refs, found = pandoc.Inlines({}), false
  for i, citation in ipairs(el.citations) do
    if is_crossref_id(citation.id) then
      found = true
      if #refs > 0 then refs:extend({ pandoc.Str(kRefDelim), pandoc.Space() }) end
      local id = citation.id:sub(1, 1):lower() .. citation.id:sub(2)
      local entry = entries[id]
      if entry and kTitles[entry.kind] then
        refs:extend(pandoc.Inlines(reference_inlines(citation, entry)))
      else
        warn('@' .. citation.id, 'unresolved cross-reference @' .. citation.id
          .. ': no figure, table, section or equation has the id #' .. id)
        refs:insert(pandoc.Strong({ pandoc.Str('?@' .. citation.id) }))
      end
    end
  end
  if found then return refs end
  return nil
end

--- Read the options this filter takes from metadata (the build passes `-M number-sections=true`).
local function read_meta(meta)
  number_sections = meta['number-sections'] == true
  number_depth = tonumber(pandoc.utils.stringify(meta['number-depth'] or '')) or kMaxLevel
  if meta['number-offset'] ~= nil then
    warn('number-offset', '`number-offset` is not supported by the coursenotes build and is ignored')
  end
  -- `crossref:` as front matter (a mapping), or as the build passes it (`-M crossref-fig-prefix=Fig.`)
  local given = {}
  if type(meta.crossref) == 'table' then
    for key, value in pairs(meta.crossref) do given[key] = value end
  end
  for key, value in pairs(meta) do
    local name = key:match('^crossref%-(.+)$')
    if name then given[name] = value end
  end
  for key, value in pairs(given) do
    if not pandoc.List(kOptions):includes(key) then
      warn('crossref:', 'crossref option `' .. key .. '` is not supported by the coursenotes build and is ignored')
    elseif key == 'ref-hyperlink' then
      options[key] = value == true or pandoc.utils.stringify(value) == 'true'
    else
      options[key] = pandoc.utils.stringify(value)
    end
  end
end

--- The whole document in one pass over a Lua copy: options, numbering (top down), then references.
local function pandoc_doc(doc)
  read_meta(doc.meta)
  local display_math = false
  doc:walk({
    Header = function(h) top_level = math.min(top_level, h.level) end,
    Math = function(m) display_math = display_math or m.mathtype == 'DisplayMath' end,
  })
  local numbering = { traverse = 'topdown', Header = header, Figure = figure, Table = tbl, Div = div, RawBlock = raw_block }
  -- Looking for `{#eq-}` means visiting every paragraph's inlines: only when there is display math.
  if display_math then numbering.Para, numbering.Plain = para, para end
  doc = doc:walk(numbering)
  return doc:walk({ Cite = cite })
end

if quarto_api() ~= nil or not FORMAT:match('html') then return {} end

-- One Pandoc function: the document crosses into Lua once, not once per pass.
return { { Pandoc = pandoc_doc } }
