--[[
references.lua: citations for the coursenotes build (plain pandoc only; Quarto runs citeproc itself).

When the post's front matter names a `bibliography` (the build passes it, and `csl`, as metadata
with paths resolved against the post's folder), citeproc turns `@key` and `[@key, p. 3]` into
linked citations and the list of works cited, under a "References" heading as in Quarto's
appendix. It runs after crossref.lua (filters run in file-name order), so `@fig-x` is already a
link and never reaches citeproc. A key missing from the bibliography is shown bold with a `?`
(pandoc's rendering) and pandoc's warning becomes a `path:line` warning in the build.
]]

local kRefsId = 'refs'
local kHeading = 'References'       -- Quarto's `section-title-references`
local kHeadingId = 'references'

--- The `quarto` Lua API under Quarto, nil under plain pandoc.
local function quarto_api()
  return rawget(_G, 'quarto')
end

--- True when the document already has a `::: {#refs}` div where the author wants the list.
local function has_refs_div(blocks)
  local found = false
  blocks:walk({ Div = function(div) if div.identifier == kRefsId then found = true end end })
  return found
end

--- Citations resolved and the bibliography appended (or placed in the author's `#refs` div).
local function pandoc_doc(doc)
  if doc.meta.bibliography == nil and doc.meta.references == nil then return nil end
  local placed = has_refs_div(doc.blocks)
  doc.meta['link-citations'] = true
  if type(doc.meta.nocite) == 'string' then   -- `nocite: "@a, @b"` passed by the build as a string
    doc.meta.nocite = pandoc.utils.blocks_to_inlines(pandoc.read(doc.meta.nocite, 'markdown').blocks)
  end
  doc = pandoc.utils.citeproc(doc)
  if placed then return doc end
  local last = doc.blocks[#doc.blocks]
  if last and last.t == 'Div' and last.identifier == kRefsId and #last.content > 0 then
    doc.blocks:insert(#doc.blocks, pandoc.Header(2, kHeading, pandoc.Attr(kHeadingId, { 'unnumbered' })))
  end
  return doc
end

if quarto_api() ~= nil or not FORMAT:match('html') then return {} end

return { { Pandoc = pandoc_doc } }
