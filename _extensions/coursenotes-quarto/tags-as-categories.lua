--[[
tags-as-categories.lua: a post's `tags` are its Quarto `categories`.

Course-notes authors write `tags:` (fastpages/Jekyll style); Quarto shows `categories` under a
post's title (https://quarto.org/docs/websites/website-blog.html#categories). This filter merges
the two, tags first, dropping repeats that differ only in case or spacing, as coursenotes does
for its own tag pages. Listings do not need it: their items come from the listing files that
`coursenotes quarto-prerender` writes. Pure metadata, no Quarto API: it behaves the same under
plain pandoc, which is how tests/test_quarto_filter.py checks it.
]]

local kTags = 'tags'
local kCategories = 'categories'

--- A metadata value (a string or a list of strings) as a list of plain strings.
local function as_strings(value)
  if value == nil then return {} end
  local items = pandoc.utils.type(value) == 'List' and value or { value }
  local out = {}
  for _, item in ipairs(items) do
    local text = pandoc.utils.stringify(item):match('^%s*(.-)%s*$')
    if text ~= '' then table.insert(out, text) end
  end
  return out
end

--- The key two spellings of one tag share (`Fast.ai` and ` fast.ai ` are one tag).
local function tag_key(text)
  return text:lower():gsub('%s+', '-')
end

--- Tags then categories, first spelling kept, repeats dropped.
local function merged(meta)
  local seen, out = {}, pandoc.List()
  for _, key in ipairs({ kTags, kCategories }) do
    for _, text in ipairs(as_strings(meta[key])) do
      if not seen[tag_key(text)] then
        seen[tag_key(text)] = true
        out:insert(pandoc.MetaString(text))
      end
    end
  end
  return out
end

function Meta(meta)
  if meta[kTags] == nil then return nil end
  meta[kCategories] = merged(meta)
  return meta
end
