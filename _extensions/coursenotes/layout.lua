--[==[
layout.lua: Quarto's figure options, layout panels and column placement under plain pandoc
(Quarto lays these out itself, so this does nothing there).

- `fig-alt="..."` on an image is its alt text, apart from its caption;
- `fig-align="left|center|right"` (on an image, or on a cell for all its images);
- `layout-ncol`, `layout-nrow` and `layout="[[1,1],[1]]"` on a div (or a cell: its outputs) make
  rows of cells in Quarto's markup (quarto-layout-panel / -row / -cell, flex-basis widths;
  a negative width is an empty spacer, as in Quarto's layout/layout.lua);
- a layout div with a `#fig-` id is one figure: its last paragraph is the caption and its
  captioned images are subfigures, captioned (a), (b), ...;
- `.aside` is a margin note, and a cell's `column: margin|page|...` moves its outputs
  (`column-*` classes; lib/coursenotes/assets/site.css places them).
]==]

local kLetters = 'abcdefghijklmnopqrstuvwxyz'
local kLayoutKeys = { 'layout', 'layout-ncol', 'layout-nrow', 'layout-align', 'layout-valign' }

--- The `quarto` Lua API under Quarto, nil under plain pandoc.
local function quarto_api()
  return rawget(_G, 'quarto')
end

--- A note for the build's report: pandoc logs it, the build prints it as `path:line: message`.
local function warn(message)
  if pandoc.log then pandoc.log.warn('coursenotes: ' .. message) end
end

local default_align = nil   -- the document's `fig-align` (metadata), for images that give none

--- Remember the document's `fig-align`.
local function read_meta(meta)
  if meta['fig-align'] ~= nil then default_align = pandoc.utils.stringify(meta['fig-align']) end
end

--- `fig-alt` becomes the image's description (pandoc's alt text); the caption is left as it is.
local function image(img)
  local alt = img.attributes['fig-alt']
  if alt == nil then return nil end
  img.attributes['fig-alt'] = nil
  img.caption = pandoc.Inlines({ pandoc.Str(alt) })
  return img
end

--- The class for an alignment value, or nil.
local function align_class(value)
  if value == 'left' or value == 'center' or value == 'right' then return 'quarto-figure-' .. value end
  return nil
end

--- Classes without any alignment class (a cell's `fig-align` replaces the document's).
local function without_align(classes)
  return classes:filter(function(c) return not c:match('^quarto%-figure%-') end)
end

--- A figure takes its image's `fig-align` (else the document's) as a class.
local function figure(fig)
  local found
  fig.content = fig.content:walk({ Image = function(img)
    found = found or align_class(img.attributes['fig-align'])
    img.attributes['fig-align'] = nil
    return img
  end })
  found = found or align_class(default_align)
  if found then fig.classes:insert(found) end
  return fig
end

--- An uncaptioned image alone in a paragraph, with `fig-align`, in an aligned div.
local function para(block)
  local img = block.content[1]
  if #block.content ~= 1 or img.t ~= 'Image' then return nil end
  local class = align_class(img.attributes['fig-align'] or default_align)
  if class == nil then return nil end
  img.attributes['fig-align'] = nil
  return pandoc.Div({ block }, { class = 'quarto-figure ' .. class })
end

--- Row widths from `layout`, `layout-ncol` or `layout-nrow`, for n cells; nil when none is given.
local function row_widths(attrs, n)
  local rows = pandoc.List()
  local spec = attrs['layout']
  if spec then
    for row in spec:gsub('%s', ''):gsub('^%[', ''):gsub('%]$', ''):gmatch('%[([^%]]*)%]') do
      local widths = pandoc.List()
      for number in row:gmatch('[^,]+') do widths:insert(tonumber(number) or 1) end
      rows:insert(widths)
    end
    if #rows == 0 then warn('`layout="' .. spec .. '"` is not a list of rows such as [[1,1],[1]]: shown without a layout') end
    return #rows > 0 and rows or nil
  end
  local ncol, nrow = tonumber(attrs['layout-ncol']), tonumber(attrs['layout-nrow'])
  if ncol == nil and nrow ~= nil and nrow > 0 then ncol = math.ceil(n / nrow) end
  if ncol == nil or ncol < 1 then return nil end
  ncol = math.floor(ncol)
  for first = 1, n, ncol do
    local widths = pandoc.List()
    for _ = first, math.min(first + ncol - 1, n) do widths:insert(1) end
    while #widths < ncol do widths:insert(-1) end   -- a short last row keeps the column width
    rows:insert(widths)
  end
  return rows
end

--- Cells laid out in rows; cells beyond the layout get rows of their own, as in Quarto.
local function rows_of(cells, widths)
  local out, next_cell = pandoc.Blocks({}), 1
  for _, row in ipairs(widths) do
    local total = 0
    for _, w in ipairs(row) do total = total + math.abs(w) end
    local row_div = pandoc.Div({}, { class = 'quarto-layout-row' })
    for _, w in ipairs(row) do
      local basis = string.format('flex-basis: %.1f%%;', 100 * math.abs(w) / total)
      local content = {}
      if w > 0 and cells[next_cell] then content = { cells[next_cell] }; next_cell = next_cell + 1 end
      local class = w > 0 and 'quarto-layout-cell' or 'quarto-layout-cell quarto-layout-spacer'
      row_div.content:insert(pandoc.Div(content, { class = class, style = basis }))
    end
    out:insert(row_div)
  end
  for i = next_cell, #cells do
    out:insert(pandoc.Div({ pandoc.Div({ cells[i] }, { class = 'quarto-layout-cell', style = 'flex-basis: 100.0%;' }) },
      { class = 'quarto-layout-row' }))
  end
  return out
end

--- Subfigure captions get (a), (b), ... in order; returns how many were lettered.
local function letter_subfigures(cells)
  local count = 0
  for i, cell in ipairs(cells) do
    cells[i] = pandoc.Blocks({ cell }):walk({ Figure = function(fig)
      local caption = pandoc.utils.blocks_to_inlines(fig.caption.long)
      if #caption == 0 or count >= #kLetters then return nil end
      count = count + 1
      local letter = '(' .. kLetters:sub(count, count) .. ')'
      fig.caption.long = { pandoc.Plain({ pandoc.Str(letter), pandoc.Space(), table.unpack(caption) }) }
      return fig
    end })[1]
  end
  return count
end

--- The blocks of a layout div split into (cells, caption): a `#fig-` panel's last paragraph is its caption.
local function cells_and_caption(div)
  local blocks = pandoc.Blocks(div.content)
  local last = blocks[#blocks]
  local is_caption = last and last.t == 'Para' and not last.content:find_if(function(el) return el.t == 'Image' end)
  if div.identifier:match('^fig%-') and is_caption then
    blocks:remove(#blocks)
    return blocks, last.content
  end
  return blocks, nil
end

--- A div with layout options as a panel of rows (a figure when it has a `#fig-` id).
local function layout_panel(div, cells, caption)
  local widths = row_widths(div.attributes, #cells)
  if widths == nil then return nil end
  for _, key in ipairs({ 'layout-align', 'layout-valign' }) do
    if div.attributes[key] then warn('`' .. key .. '` is not supported: cells are centred and top-aligned') end
  end
  for _, key in ipairs(kLayoutKeys) do div.attributes[key] = nil end
  local classes = pandoc.List({ 'quarto-layout-panel' })
  classes:extend(div.classes)
  if not div.identifier:match('^fig%-') then return pandoc.Div(rows_of(cells, widths), pandoc.Attr(div.identifier, classes, div.attributes)) end
  letter_subfigures(cells)
  return pandoc.Figure(rows_of(cells, widths), caption and { pandoc.Plain(caption) } or {},
    pandoc.Attr(div.identifier, classes, div.attributes))
end

--- A code cell with layout options: its code stays on top, its outputs become the panel's cells.
local function cell_layout(div)
  local code, outputs = pandoc.Blocks({}), pandoc.Blocks({})
  for _, block in ipairs(div.content) do
    if block.t == 'Div' and block.classes:includes('cell-output-display') then outputs:insert(block) else code:insert(block) end
  end
  if #outputs == 0 then return nil end   -- nothing to lay out (the cell did not run)
  local layout = {}
  for _, key in ipairs(kLayoutKeys) do layout[key] = div.attributes[key] end
  local panel = layout_panel(pandoc.Div({}, pandoc.Attr('', {}, layout)), outputs, nil)
  if panel == nil then return nil end
  code:insert(panel)
  for _, key in ipairs(kLayoutKeys) do div.attributes[key] = nil end
  div.content = code
  return div
end

--- Cell-wide options: `fig-align` for every image, `column` moved onto the outputs (the code stays in the body).
local function cell_options(div)
  local class = align_class(div.attributes['fig-align'])
  div.attributes['fig-align'] = nil
  if class then
    div.content = div.content:walk({
      traverse = 'topdown',   -- an aligned figure or div is done: its own paragraph needs no second wrapper
      Figure = function(fig) fig.classes = without_align(fig.classes); fig.classes:insert(class); return fig, false end,
      Div = function(d)
        if d.classes:includes('quarto-figure') then d.classes = without_align(d.classes); d.classes:insert(class); return d, false end
      end,
      -- An uncaptioned output image is a paragraph, not a figure: align it in a div, as para() does.
      Para = function(p)
        if #p.content == 1 and p.content[1].t == 'Image' then return pandoc.Div({ p }, { class = 'quarto-figure ' .. class }), false end
      end,
    })
  end
  local column = div.attributes['column']
  div.attributes['column'] = nil
  if column == nil or column == '' then return div end
  local moved = false
  for _, block in ipairs(div.content) do
    if block.t == 'Div' and (block.classes:includes('cell-output-display') or block.classes:includes('quarto-layout-panel')
        or block.classes:includes('cell-output')) then
      block.classes:insert('column-' .. column); moved = true
    elseif block.t == 'Figure' and block.classes:includes('quarto-layout-panel') then
      block.classes:insert('column-' .. column); moved = true
    end
  end
  if not moved then div.classes:insert('column-' .. column) end
  return div
end

--- Layout, asides and cell options on a div.
local function div_block(div)
  if div.classes:includes('aside') then
    div.classes = div.classes:filter(function(c) return c ~= 'aside' end)
    div.classes:extend({ 'column-margin', 'margin-aside' })
    return div
  end
  if div.classes:includes('cell') then
    div = cell_layout(div) or div
    return cell_options(div)
  end
  local cells, caption = cells_and_caption(div)
  return layout_panel(div, cells, caption)
end

if quarto_api() ~= nil or not FORMAT:match('html') then return {} end
return { { Meta = read_meta }, { Image = image }, { Figure = figure, Para = para }, { Div = div_block } }
