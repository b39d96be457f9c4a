--[[
shortcodes-media.lua: Quarto's `{{< video >}}`, `{{< kbd >}}` and `{{< pagebreak >}}` shortcodes
under plain pandoc (Quarto expands shortcodes itself before any filter runs).

Pandoc's Markdown reader sees `{{< video url title="Intro" >}}` as ordinary text, so this
filter finds `{{<` ... `>}}` runs in a paragraph's inlines, reads the name and arguments, and
asks kHandlers[name]. A handler returns Blocks for a shortcode alone in its paragraph
(context 'block'), Inlines inside running text (context 'inline'), or nil to leave the text as
it is: shortcodes this file does not know are left for the other shortcode handlers (more
entries of kHandlers). `{{{< name >}}}` is written out literally as `{{< name >}}`, as in Quarto,
in prose and in code (where Quarto also expands shortcodes, so authors escape them there).
]]

local kRatios = { ['1x1'] = true, ['4x3'] = true, ['16x9'] = true, ['21x9'] = true }
local kYouTubeEmbed = 'https://www.youtube.com/embed/'
-- Quarto's youtube forms (extensions/quarto/video/video.lua): the video id follows these.
local kYouTubePrefixes = { '^https://www%.youtube%.com/embed/(.+)$', '^https://www%.youtube%.com/shorts/(.+)$',
  '^https://www%.youtube%-nocookie%.com/embed/(.+)$', '^https://youtu%.be/(.+)$', '%?v=([^&]+)' }
local kOsNames = { { 'mac', 'macOS' }, { 'win', 'Windows' }, { 'linux', 'Linux' } }

--- The `quarto` Lua API under Quarto, nil under plain pandoc.
local function quarto_api()
  return rawget(_G, 'quarto')
end

--- Text escaped for an HTML element body or a double-quoted attribute.
local function escape(text)
  return (text:gsub('&', '&amp;'):gsub('<', '&lt;'):gsub('>', '&gt;'):gsub('"', '&quot;'))
end

--- A note for the build's report: pandoc logs it, the build prints it as `path:line: message`.
local function warn(message)
  if pandoc.log then pandoc.log.warn('coursenotes: ' .. message) end
end

--- The source text of inlines as the author typed it (quotes kept, so arguments can be split).
local function source_text(inlines)
  local parts = {}
  for _, el in ipairs(inlines) do
    if el.t == 'Str' then table.insert(parts, el.text)
    elseif el.t == 'Space' or el.t == 'SoftBreak' or el.t == 'LineBreak' then table.insert(parts, ' ')
    elseif el.t == 'Quoted' then
      local q = el.quotetype == 'SingleQuote' and "'" or '"'
      table.insert(parts, q .. source_text(el.content) .. q)
    elseif el.t == 'RawInline' then table.insert(parts, el.text)   -- `<b>` in a title is text to us
    elseif el.t == 'Link' and pandoc.utils.stringify(el.content) == el.target then table.insert(parts, el.target)
    else table.insert(parts, pandoc.utils.stringify(el)) end
  end
  return table.concat(parts)
end

--- A shortcode's text split into (name, positional args, keyword args); quotes group words.
local function parse_call(text)
  local words, i = {}, 1
  while i <= #text do
    local s = text:find('%S', i)
    if s == nil then break end
    local key = text:match('^([%w_%-]+)=', s)
    local body_start = key and (s + #key + 1) or s
    local quote = text:sub(body_start, body_start):match('["\']')
    local value, stop
    if quote then
      stop = text:find(quote, body_start + 1, true) or (#text + 1)
      value = text:sub(body_start + 1, stop - 1)
    else
      stop = (text:find('%s', body_start) or (#text + 1)) - 1
      value = text:sub(body_start, stop)
    end
    table.insert(words, { key = key, value = value })
    i = stop + 1
  end
  local name = table.remove(words, 1)
  local args, kwargs = {}, {}
  for _, w in ipairs(words) do
    if w.key then kwargs[w.key] = w.value else table.insert(args, w.value) end
  end
  return name and name.value or '', args, kwargs
end

--- The embed address and start suffix for a YouTube or Vimeo link; nil for any other source.
local function embed_source(src, start)
  for _, pattern in ipairs(kYouTubePrefixes) do
    local id = src:match(pattern)
    if id then return kYouTubeEmbed .. id, start and ('?start=' .. start) or '' end
  end
  local vimeo = src:match('^https://vimeo%.com/(.+)$')
  if vimeo then
    local id, hash = vimeo:gsub('%?.*', ''):match('^([^/]+)/?([^/]*)')
    local url = 'https://player.vimeo.com/video/' .. id .. (hash ~= '' and ('?h=' .. hash) or '')
    return url, start and ('#t=' .. start .. 's') or ''
  end
  return nil
end

--- `{{< video src [title= start= width= height= aspect-ratio=] >}}`: an iframe or a <video>, 16:9 unless sized.
local function video(args, kwargs, context)
  local src = args[1] or kwargs['src']
  if src == nil or src == '' then
    warn('a `{{< video` shortcode needs an address: left as text')
    return nil
  end
  if src:match('players%.brightcove%.net') then warn('`' .. src .. '`: Brightcove videos are not supported') end
  local title = kwargs['title'] or 'Video'
  local start = kwargs['start'] and tostring(tonumber(kwargs['start']) or '') or nil
  if start == '' then start = nil end
  local size = ''
  for _, key in ipairs({ 'width', 'height' }) do
    if tonumber(kwargs[key]) then size = size .. ' ' .. key .. '="' .. tonumber(kwargs[key]) .. '"' end
  end
  local asked = kwargs['aspect-ratio'] or kwargs['aspectRatio']
  if asked and not kRatios[asked] then warn('`aspect-ratio=' .. asked .. '` is not one of 1x1, 4x3, 16x9, 21x9: 16x9 is used') end
  local ratio = kRatios[asked or ''] and asked or '16x9'
  local embed, suffix = embed_source(src, start)
  local player
  if embed then
    player = '<iframe src="' .. escape(embed .. suffix) .. '"' .. size .. ' title="' .. escape(title)
      .. '" loading="lazy" allow="autoplay; clipboard-write; encrypted-media; fullscreen; picture-in-picture"></iframe>'
  else
    player = '<video controls preload="metadata"' .. size .. ' title="' .. escape(title) .. '"><source src="'
      .. escape(src .. (start and ('#t=' .. start) or '')) .. '"><a href="' .. escape(src) .. '">' .. escape(title) .. '</a></video>'
  end
  local responsive = size == '' and (' ratio ratio-' .. ratio) or ''
  local html = '<div class="quarto-video' .. responsive .. '">' .. player .. '</div>'
  if context == 'block' then return pandoc.Blocks({ pandoc.RawBlock('html', html) }) end
  return pandoc.Inlines({ pandoc.RawInline('html', html) })
end

--- `{{< kbd Ctrl-C mac=Command-C >}}`: the keys, with every system's variant in the tooltip.
local function kbd(args, kwargs, context)
  if kwargs['mode'] then warn('`mode=' .. kwargs['mode'] .. '` of {{< kbd >}} is not supported: the keys are shown as written') end
  local variants, keys = {}, pandoc.List()
  for _, os in ipairs(kOsNames) do
    local value = kwargs[os[1]]
    if value then
      table.insert(variants, os[2] .. ': ' .. value)
      if not keys:includes(value) then keys:insert(value) end
    end
  end
  -- With no key for every system, show each system's keys once (the tooltip says which is which).
  local shown = args[1] or table.concat(keys, ' / ')
  if shown == '' then return nil end
  local title = #variants > 0 and (' title="' .. escape(table.concat(variants, ', ')) .. '"') or ''
  local html = '<kbd class="kbd"' .. title .. '>' .. escape(shown) .. '</kbd>'
  if context == 'block' then return pandoc.Blocks({ pandoc.Plain({ pandoc.RawInline('html', html) }) }) end
  return pandoc.Inlines({ pandoc.RawInline('html', html) })
end

--- `{{< pagebreak >}}`: a page break when the page is printed; nothing on screen.
local function pagebreak(_, _, context)
  local html = '<div class="page-break" style="page-break-after: always;"></div>'
  if context == 'block' then return pandoc.Blocks({ pandoc.RawBlock('html', html) }) end
  return pandoc.Inlines({ pandoc.RawInline('html', '<span class="page-break" style="break-after: page;"></span>') })
end

-- name -> function(args, kwargs, context) returning Blocks ('block'), Inlines ('inline') or nil.
local kHandlers = { video = video, kbd = kbd, pagebreak = pagebreak }

--- Where the shortcode starting at inlines[first] ends: (last index, text inside, trailing text, escaped).
local function find_call(inlines, first)
  local opening = inlines[first].text
  local escaped = opening:sub(1, 4) == '{{{<'
  local pieces = pandoc.Inlines({ pandoc.Str(opening:sub(escaped and 5 or 4)) })
  for last = first, #inlines do
    if last > first then pieces:insert(inlines[last]) end
    local text = source_text(pieces)
    local close = escaped and '>}}}' or '>}}'
    local at = text:find(close, 1, true)
    if at then return last, text:sub(1, at - 1), text:sub(at + #close), escaped end
  end
  return nil
end

--- Inlines where a shortcode glued to text before it (`({{< kbd X >}})`) starts a Str of its own.
local function split_openings(inlines)
  local out = pandoc.Inlines({})
  for _, el in ipairs(inlines) do
    local at = el.t == 'Str' and el.text:find('{{{?<', 2) or nil
    if at and el.text:sub(at - 1, at - 1) ~= '{' then
      out:insert(pandoc.Str(el.text:sub(1, at - 1)))
      out:insert(pandoc.Str(el.text:sub(at)))
    else
      out:insert(el)
    end
  end
  return out
end

--- Inlines with every known shortcode expanded (or unescaped); unknown ones untouched.
local function expand_inlines(inlines, context)
  inlines = split_openings(inlines)
  local out, i = pandoc.Inlines({}), 1
  while i <= #inlines do
    local el = inlines[i]
    local last, inner, trailing, escaped
    if el.t == 'Str' and el.text:match('^{{{?<') then last, inner, trailing, escaped = find_call(inlines, i) end
    local replacement
    if last and escaped then
      replacement = pandoc.Inlines({ pandoc.Str('{{<' .. inner .. '>}}') })
    elseif last then
      local name, args, kwargs = parse_call(inner)
      local handler = kHandlers[name]
      replacement = handler and handler(args, kwargs, context)
    end
    if replacement then
      if context == 'block' then return replacement end
      out:extend(replacement)
      if trailing ~= '' then out:insert(pandoc.Str(trailing)) end
      i = last + 1
    else
      out:insert(el)
      i = i + 1
    end
  end
  return out
end

--- Whether any word of the inlines opens a shortcode (most paragraphs: no, and then they are left as they are).
local function has_opening(inlines)
  for _, el in ipairs(inlines) do
    if el.t == 'Str' and el.text:find('{{', 1, true) then return true end
  end
  return false
end

--- A paragraph that is one shortcode becomes that shortcode's blocks; otherwise its inlines are expanded.
local function para(block)
  -- Rebuilding every paragraph's inlines cost 45 ms of each post's pandoc run: leave those without `{{`.
  if not has_opening(block.content) then return nil end
  local first, last = block.content[1], block.content[#block.content]
  if first and first.t == 'Str' and first.text:match('^{{<') and last.t == 'Str' and last.text:match('>}}$') then
    local whole = find_call(block.content, 1)
    if whole == #block.content then
      local blocks = expand_inlines(block.content, 'block')
      if pandoc.utils.type(blocks) == 'Blocks' then return blocks end
    end
  end
  block.content = expand_inlines(block.content, 'inline')
  return block
end

--- Code shows an escaped shortcode as the shortcode itself (`{{{< x >}}}` reads `{{< x >}}`).
local function unescape_code(el)
  local text = el.text:gsub('{{{<(.-)>}}}', '{{<%1>}}')
  if text == el.text then return nil end
  el.text = text
  return el
end

if quarto_api() ~= nil or not FORMAT:match('html') then return {} end
return { { Para = para, Plain = para, Code = unescape_code, CodeBlock = unescape_code } }
