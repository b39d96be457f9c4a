--[[
A filter that reports the options pandoc's command line built for its arguments, so driver.lua
can render with exactly those (coursenotes/render/server.py runs it once per pandoc binary).
Writes one line to stderr: `coursenotes-cli-options<TAB>` and a JSON object with the reader and
writer options (every field but the template, which the driver compiles from the same file),
FORMAT and the user data directory. The document passes through unchanged.
]]

local plain = dofile(pandoc.path.join { pandoc.path.directory(PANDOC_SCRIPT_FILE), 'plain.lua' })

local function fields(options, skip)
  local out = {}
  for k, v in pairs(options) do
    if not skip[k] then out[k] = plain(v) end
  end
  return out
end

local report = {
  format = FORMAT,
  reader = fields(pandoc.ReaderOptions(PANDOC_READER_OPTIONS), {}),
  -- epub_chapter_level is another name for split_level
  writer = fields(PANDOC_WRITER_OPTIONS, { template = true, epub_chapter_level = true }),
  user_data_dir = PANDOC_STATE.user_data_dir or pandoc.json.null,
}
io.stderr:write('coursenotes-cli-options\t', pandoc.json.encode(report), '\n')
return {}
