--[[
Renders many posts in one `pandoc lua` process, each as the `pandoc` command line would
(coursenotes/render/server.py starts it; docs/architecture.md, "render").

Protocol, one JSON value per line. The first line in is the setup: the reader and writer
options the command line builds for the build's arguments, as cli_options.lua reported them
from a real `pandoc` run, and the user data directory. The answer is {"ready": true} or
{"error": ...}. Then each line in is a job
  {"id", "markdown", "cwd", "reader", "writer", "template", "filters", "meta", "toc_depth"}
(`markdown` already tab-expanded as the command line does; `meta` the `--metadata` pairs in
order, values strings or booleans), and each line out its result: {"id", "html", "stderr"}
with `stderr` the text the command line would have written there, or {"id", "error"} when the
post must go through the command line (a filter failed, or did something only a process of its
own can do exactly). End of input ends the process.

What a command-line run has and this process must give each post: a fresh log (pandoc.log.silence),
FORMAT and the PANDOC_* globals per filter, filters that cannot see each other's globals (each
runs in its own environment), the post's folder as working directory, an empty media bag.
]]

local json = pandoc.json
local stdin, stdout = io.stdin, io.stdout -- ours: a filter's `io` is a stand-in (see filter_env)
local real_io, real_os, state = io, os, PANDOC_STATE
-- Option values as cli_options.lua reports them (the same file, beside this one).
local plain = dofile(pandoc.path.join { pandoc.path.directory(arg[0]), 'plain.lua' })
arg = nil -- a filter run by the command line sees no `arg`

local setup -- the first line, decoded
local reader_options -- ReaderOptions built from the setup
local templates = {} -- folder and path -> {text, compiled}: compiled once per path (again if the file changed)

--- Write one JSON value as a line and flush it: the Python side waits for the line.
local function answer(value)
  stdout:write(json.encode(value), '\n')
  stdout:flush()
end

--- The compiled template at `path` (from the post's folder), as the command line compiles `--template=path`.
local function template(path, cwd)
  local f = assert(real_io.open(path, 'rb'))
  local text = f:read('a')
  f:close()
  local key = cwd .. '\0' .. path -- a relative path names another file from another folder
  local known = templates[key]
  if known == nil or known.text ~= text then
    known = { text = text, compiled = pandoc.template.compile(text, path) }
    templates[key] = known
  end
  return known.compiled
end

--- WriterOptions for one post: the command line's, with its template, TOC depth and working folder.
local function writer_options(job)
  local fields = {}
  for k, v in pairs(setup.writer) do fields[k] = v end
  fields.template = template(job.template, job.cwd)
  fields.toc_depth = job.toc_depth
  local variables = {}
  for k, v in pairs(setup.writer.variables) do variables[k] = v end
  variables.curdir = pandoc.system.get_working_directory() -- the command line's `curdir`: where it ran
  fields.variables = variables
  return pandoc.WriterOptions(fields)
end

--- Lines as Haskell's T.lines splits them: a final newline ends the last line, it starts no empty one.
local function hs_lines(s)
  local lines, from = {}, 1
  while from <= #s do
    local nl = s:find('\n', from, true)
    if nl == nil then
      lines[#lines + 1] = s:sub(from)
      break
    end
    lines[#lines + 1] = s:sub(from, nl - 1)
    from = nl + 1
  end
  return lines
end

--- A log message as pandoc's command line prints it (logOutput): `[LEVEL] `, then its lines, all but the first indented.
local function cli_text(msg)
  local data = json.decode(json.encode(msg), false)
  local out = { '[' .. data.verbosity .. '] ' }
  for i, line in ipairs(hs_lines(data.pretty)) do
    out[#out + 1] = (i > 1 and '  ' or '') .. line .. '\n'
  end
  return data.verbosity, table.concat(out)
end

--- The post's stderr text: log messages and filter writes in the order they happened.
local function new_stderr()
  local parts, seen = {}, 0
  local self = {}
  --- Add the messages logged since the last call (PANDOC_STATE.log is oldest first, silence's list newest first).
  function self.catch_up()
    local log = state.log
    for i = seen + 1, #log do
      local level, text = cli_text(log[i])
      if level ~= 'INFO' then parts[#parts + 1] = text end -- the command line shows WARNING and ERROR
    end
    seen = #log
  end
  function self.write(text)
    self.catch_up()
    parts[#parts + 1] = text
  end
  function self.text()
    self.catch_up()
    return table.concat(parts)
  end
  return self
end

--- A function that stops the post: what it was asked can only be done exactly by the command line.
local function needs_cli(job_state, what)
  return function()
    job_state.needs_cli = what
    error('coursenotes driver: ' .. what .. ' needs a pandoc process of its own', 2)
  end
end

--- `io` for a filter: io.stderr:write adds to the post's stderr text; our own standard streams are out of reach.
local function filter_io(err, job_state)
  local stderr = {}
  function stderr.write(self, ...)
    for i = 1, select('#', ...) do
      local v = select(i, ...)
      if math.type(v) == 'float' then
        v = string.format('%.14g', v) -- as file:write prints a number
      elseif math.type(v) == 'integer' then
        v = string.format('%d', v)
      elseif type(v) ~= 'string' then
        error(string.format("bad argument #%d to 'write' (string expected, got %s)", i, type(v)), 2)
      end
      err.write(v)
    end
    return self
  end
  function stderr.flush(self) return self end
  setmetatable(stderr, { __index = function(_, k) return needs_cli(job_state, 'io.stderr:' .. k) end })
  local fake = { stderr = stderr }
  for _, name in ipairs({ 'write', 'read', 'input', 'output', 'lines', 'close', 'popen' }) do
    fake[name] = needs_cli(job_state, 'io.' .. name)
  end
  return setmetatable(fake, {
    __index = function(_, k)
      if k == 'stdout' or k == 'stdin' then needs_cli(job_state, 'io.' .. k)() end
      return real_io[k]
    end,
  })
end

--- PANDOC_STATE as a command-line run shows it: verbosity WARNING (pandoc.log.silence makes it ERROR), stdin as input.
local function cli_state()
  return setmetatable({}, {
    __index = function(_, k)
      if k == 'verbosity' then return 'WARNING' end
      if k == 'input_files' then return pandoc.List({ '-' }) end
      return state[k]
    end,
  })
end

--- One filter's globals: a copy of the shared ones, as the fresh Lua state the command line gives each filter.
local function filter_env(path, writer, err, job_state)
  local env = {}
  for k, v in pairs(_G) do env[k] = v end
  env._G = env -- `rawget(_G, 'quarto')` and globals the filter sets: its own table, as in a state of its own
  env.FORMAT = setup.format
  -- copies: a filter that changes them changes nothing else, as under the command line
  env.PANDOC_READER_OPTIONS = pandoc.ReaderOptions(reader_options)
  env.PANDOC_WRITER_OPTIONS = pandoc.WriterOptions(writer)
  env.PANDOC_SCRIPT_FILE = path
  env.PANDOC_STATE = cli_state()
  env.io = filter_io(err, job_state)
  env.os = setmetatable({ exit = needs_cli(job_state, 'os.exit') }, { __index = real_os })
  env.print = needs_cli(job_state, 'print')
  return env
end

--- One post: read, set the command-line metadata, run the filters, write. Errors are raised.
local function render(job, err, job_state)
  pandoc.mediabag.empty()
  local doc = pandoc.read(job.markdown, job.reader, reader_options)
  -- `--metadata=K:V` in order: a key given again becomes a list (pandoc's addMeta); they replace the document's keys
  local values, order = {}, {}
  for _, pair in ipairs(job.meta) do
    local key, value = pair[1], pair[2]
    if values[key] == nil then
      values[key] = { value }
      order[#order + 1] = key
    else
      table.insert(values[key], value)
    end
  end
  for _, key in ipairs(order) do
    local list = values[key]
    if #list == 1 then
      doc.meta[key] = list[1] -- a string is a MetaString, a boolean a MetaBool
    else
      doc.meta[key] = pandoc.MetaList(list)
    end
  end
  local writer = writer_options(job)
  for _, path in ipairs(job.filters) do
    doc = pandoc.utils.run_lua_filter(doc, path, filter_env(path, writer, err, job_state))
  end
  return pandoc.write(doc, job.writer, writer)
end

--- One job in its own log, user data directory and working folder: (true, html, stderr) or (false, message).
local function in_state(job, err, job_state)
  local function in_folder()
    return pandoc.system.with_working_directory(job.cwd, function()
      local done, out = pcall(render, job, err, job_state)
      if not done then return false, tostring(out) end
      return true, out, err.text() -- inside the silence: the live log is this post's
    end)
  end
  local done, ok, a, b = pcall(function()
    if setup.user_data_dir ~= nil and setup.user_data_dir ~= json.null then
      return pandoc.with_state({ user_data_dir = setup.user_data_dir }, in_folder)
    end
    return in_folder()
  end)
  if not done then return false, tostring(ok) end
  return ok, a, b
end

--- One job's result; never raises.
local function run(job)
  local err, job_state = new_stderr(), {}
  local _, ok, html, stderr = pandoc.log.silence(in_state, job, err, job_state)
  if job_state.needs_cli then
    return { id = job.id, error = 'needs a pandoc process of its own: ' .. job_state.needs_cli }
  end
  if not ok then return { id = job.id, error = html } end
  return { id = job.id, html = html, stderr = stderr }
end

--- The options as a table to build from: fields the command line left unset (null) stay at their defaults.
local function settable(fields)
  local out = {}
  for k, v in pairs(fields) do
    if v ~= json.null then out[k] = v end
  end
  return out
end

--- Every reported field reads back from the built options as the command line had it.
local function check(built, fields, what)
  for k, v in pairs(fields) do
    if json.encode(plain(built[k])) ~= json.encode(v) then
      error(what .. ' option ' .. k .. ' is ' .. json.encode(plain(built[k])):sub(1, 200) .. ', not ' .. json.encode(v):sub(1, 200))
    end
  end
end

--- Take the setup: reader and writer options built from the command line's, and checked field by field.
local function start(line)
  setup = json.decode(line, false)
  reader_options = pandoc.ReaderOptions(settable(setup.reader))
  -- checked on a twin: a field once read stays cached in the object, and every later use of it
  -- (each post's read, each filter's copy) would convert that field back, 7 ms for `extensions`
  check(pandoc.ReaderOptions(settable(setup.reader)), setup.reader, 'reader')
  local reported = setup.writer
  setup.writer = settable(reported)
  check(pandoc.WriterOptions(setup.writer), reported, 'writer')
end

local first = stdin:read('l')
if first == nil then return end
local ok, problem = pcall(start, first)
answer(ok and { ready = true } or { error = tostring(problem) })
if not ok then return end
for line in stdin:lines('l') do
  local decoded, job = pcall(json.decode, line, false)
  if decoded and type(job) == 'table' then
    local done, result = pcall(run, job)
    answer(done and result or { id = job.id, error = tostring(result) })
  else
    answer({ error = 'not a job: ' .. line:sub(1, 80) })
  end
end
