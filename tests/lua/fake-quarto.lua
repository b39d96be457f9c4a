--[[
Runs the extension's filters (every *.lua, in sorted order, as the build does) as Quarto would, under plain pandoc: a stub `quarto` global is set
before the filter loads. The stub pretends every extension file exists (so the golden file
does not depend on `npm ci`) and lists the HTML dependencies it was given in a trailing
comment, so the golden file shows them.
]]

local kExtension = pandoc.path.join({ pandoc.path.directory(PANDOC_SCRIPT_FILE),
  '..', '..', '_extensions', 'coursenotes' })

local dependencies = pandoc.List()

quarto = {
  utils = { resolve_path = function(_) return PANDOC_SCRIPT_FILE end },
  log = { warning = function(message) io.stderr:write(message, '\n') end },
  doc = {
    add_html_dependency = function(dep)
      dependencies:insert(dep.name .. ' ' .. dep.version .. ': ' .. table.concat(dep.scripts, ' '))
    end,
  },
}

--- A last pass that writes the recorded dependencies as an HTML comment.
local function report(doc)
  for _, line in ipairs(dependencies) do
    doc.blocks:insert(pandoc.RawBlock('html', '<!-- html dependency ' .. line .. ' -->'))
  end
  return doc
end

local names = pandoc.List(pandoc.system.list_directory(kExtension)):filter(function(n) return n:match('%.lua$') end)
table.sort(names)
local filters = {}
for _, name in ipairs(names) do
  for _, f in ipairs(dofile(pandoc.path.join({ kExtension, name }))) do table.insert(filters, f) end
end
table.insert(filters, { Pandoc = report })
return filters
