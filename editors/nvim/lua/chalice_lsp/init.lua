-- chalice_lsp: Neovim client for the chalice-lsp language server.
--
-- Two ways to use it:
--   * Neovim 0.11+: `vim.lsp.enable('chalice_ls')` picks up lsp/chalice_ls.lua from this plugin.
--   * Any Neovim from 0.7: `require('chalice_lsp').setup(opts)` starts one client per project
--     root (vim.lsp.start_client) and attaches it to the right buffers.
--
-- Either way the server is attached to `.chalice/config.json` (never to other JSON files) and
-- to Python and Go buffers inside a Chalice or CDK project (a folder with `.chalice/` or
-- `cdk.json` above the file).
local M = {}

--- Files whose presence marks a project root, nearest first.
M.root_markers = { '.chalice', 'cdk.json' }

--- Filetypes the server handles (json only for .chalice/config.json).
M.filetypes = { 'json', 'python', 'go' }

--- Server command IDs (workspace/executeCommand, lsp/server/commands.go).
M.commands = {
  package_preview = 'chalice-lsp.packagePreview',
  preview_effective_config = 'chalice-lsp.previewEffectiveConfig',
}

local defaults = {
  -- The server command; `cmd[1]` may be a name on PATH or an absolute path.
  cmd = { 'chalice-lsp', 'serve' },
  -- Sent as initializationOptions.workspaceTrusted. Neovim has no workspace-trust prompt: when
  -- true (default) the server may run `chalice package`, which imports the app's Python code.
  -- Set false for code you do not trust; the server then only validates.
  trusted = true,
  -- The "chalice" settings section (see README): python, packaging = { automatic,
  -- timeoutSeconds, useContainer, containerImage }, stage, logLevel.
  settings = {},
  -- Called after the client attaches to a buffer: function(client, bufnr).
  on_attach = nil,
  -- Extra capabilities merged into the client's (for example from nvim-cmp).
  capabilities = nil,
  -- Create the buffer-local :LspChalice* commands.
  user_commands = true,
}

local uv = vim.loop

local function is_dir(path)
  local st = uv.fs_stat(path)
  return st ~= nil and st.type == 'directory'
end

local function exists(path)
  return uv.fs_stat(path) ~= nil
end

local function dirname(path)
  return (path:gsub('[/\\][^/\\]*$', ''))
end

--- True for a path that is a Chalice config file (`…/.chalice/config.json`).
function M.is_config_file(path)
  return path:match('[/\\]%.chalice[/\\]config%.json$') ~= nil
end

--- The project root of a file: the nearest ancestor folder that has `.chalice/` or `cdk.json`.
--- Returns nil when the file is in no Chalice/CDK project.
function M.find_root(path)
  if path == nil or path == '' then
    return nil
  end
  local dir = dirname(path)
  while dir ~= nil and dir ~= '' do
    if is_dir(dir .. '/.chalice') or exists(dir .. '/cdk.json') then
      return dir
    end
    local parent = dirname(dir)
    if parent == dir then
      break
    end
    dir = parent
  end
  if is_dir('/.chalice') or exists('/cdk.json') then
    return '/'
  end
  return nil
end

--- The root to attach a buffer to, or nil if the server should not handle it.
function M.root_for_buffer(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' or vim.bo[bufnr].buftype ~= '' then
    return nil
  end
  local ft = vim.bo[bufnr].filetype
  if ft == 'json' or ft == 'jsonc' then
    if not M.is_config_file(name) then
      return nil
    end
    -- config.json's root is the app folder that holds .chalice/.
    return dirname(dirname(name))
  end
  if ft == 'python' or ft == 'go' then
    return M.find_root(name)
  end
  return nil
end

local function request(client, method, params, handler, bufnr)
  if vim.fn.has('nvim-0.11') == 1 then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

local function notify(msg, level)
  vim.notify('chalice-lsp: ' .. msg, level or vim.log.levels.INFO)
end

--- The server answers {path, shown, cached}; it opens the file itself with window/showDocument
--- (shown = true). Otherwise open the path here.
local function open_result(result)
  if type(result) ~= 'table' or result.shown == true or type(result.path) ~= 'string' or result.path == '' then
    return
  end
  vim.cmd('split ' .. vim.fn.fnameescape(result.path))
end

--- Runs a server command for a buffer: `command` is one of M.commands.
function M.execute(command, bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local client
  local attached = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr }) or vim.lsp.buf_get_clients(bufnr)
  for _, c in pairs(attached) do
    if c.name == 'chalice_ls' then
      client = c
    end
  end
  if client == nil then
    notify('no chalice_ls client is attached to this buffer', vim.log.levels.ERROR)
    return
  end
  if vim.bo[bufnr].modified then
    vim.api.nvim_buf_call(bufnr, function()
      vim.cmd('silent write')
    end)
  end
  local arg = { uri = vim.uri_from_bufnr(bufnr) }
  local ft = vim.bo[bufnr].filetype
  if (ft == 'python' or ft == 'go') and vim.api.nvim_get_current_buf() == bufnr then
    -- In CDK code the cursor picks the construct call: a byte offset into the file.
    local row, col = unpack(vim.api.nvim_win_get_cursor(0))
    arg.offset = vim.api.nvim_buf_get_offset(bufnr, row - 1) + col
  end
  local params = { command = command, arguments = { arg } }
  local attempts = 0
  local function handler(err, result)
    if err then
      attempts = attempts + 1
      -- A save right after ours starts packaging newer inputs, which supersedes this run
      -- (the same inputs would have joined it); asking again previews the newest inputs.
      if attempts < 3 and tostring(err.message):find('superseded', 1, true) then
        request(client, 'workspace/executeCommand', params, handler, bufnr)
        return
      end
      notify(command .. ' failed: ' .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return
    end
    open_result(result)
  end
  request(client, 'workspace/executeCommand', params, handler, bufnr)
end

--- window/showDocument for Neovim versions that lack it (0.7): open the file, select the range.
local function show_document(_, params, ctx)
  if params == nil or params.uri == nil then
    return { success = false }
  end
  local fname = vim.uri_to_fname(params.uri)
  if not params.uri:match('^file:') then
    return { success = false }
  end
  vim.schedule(function()
    vim.cmd('split ' .. vim.fn.fnameescape(fname))
    if params.selection then
      local s = params.selection.start
      pcall(vim.api.nvim_win_set_cursor, 0, { s.line + 1, s.character })
    end
  end)
  return { success = true }
end

--- Buffer-local user commands, named the nvim-lspconfig way (:Lsp…).
function M.create_user_commands(bufnr)
  vim.api.nvim_buf_create_user_command(bufnr, 'LspChalicePackagePreview', function()
    M.execute(M.commands.package_preview, bufnr)
  end, { desc = 'chalice-lsp: run chalice package and open the SAM template' })
  vim.api.nvim_buf_create_user_command(bufnr, 'LspChalicePreviewEffectiveConfig', function()
    M.execute(M.commands.preview_effective_config, bufnr)
  end, { desc = 'chalice-lsp: show the effective Chalice config for the stage' })
end

--- The shared on_attach: user commands, then the user's own on_attach.
function M.make_on_attach(opts)
  return function(client, bufnr)
    if opts.user_commands ~= false then
      M.create_user_commands(bufnr)
    end
    if opts.on_attach then
      opts.on_attach(client, bufnr)
    end
  end
end

--- Client settings and handlers common to setup() and lsp/chalice_ls.lua.
function M.client_config(opts)
  opts = vim.tbl_deep_extend('force', defaults, opts or {})
  local handlers = {}
  local capabilities = vim.lsp.protocol.make_client_capabilities()
  if vim.lsp.handlers['window/showDocument'] == nil then
    -- Neovim 0.7 has no showDocument support: provide it, so previews open in a split.
    handlers['window/showDocument'] = show_document
    capabilities.window = capabilities.window or {}
    capabilities.window.showDocument = { support = true }
  end
  if opts.capabilities then
    capabilities = vim.tbl_deep_extend('force', capabilities, opts.capabilities)
  end
  -- An empty Lua table would be sent as a JSON array; the server wants an object.
  local settings = next(opts.settings) == nil and vim.empty_dict() or opts.settings
  return {
    name = 'chalice_ls',
    cmd = opts.cmd,
    init_options = { workspaceTrusted = opts.trusted, settings = settings },
    settings = { chalice = settings },
    handlers = handlers,
    capabilities = capabilities,
    on_attach = M.make_on_attach(opts),
  }
end

-- Clients started by setup(), by root folder.
local clients = {}
local setup_opts

local function client_alive(id)
  local c = vim.lsp.get_client_by_id(id)
  if c == nil then
    return false
  end
  if vim.fn.has('nvim-0.11') == 1 then
    return not c:is_stopped()
  end
  return not c.is_stopped()
end

--- Attaches (starting a client if needed) the server to a buffer when it belongs to a project.
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local root = M.root_for_buffer(bufnr)
  if root == nil then
    return nil
  end
  local id = clients[root]
  if id == nil or not client_alive(id) then
    local config = M.client_config(setup_opts)
    config.root_dir = root
    config.workspace_folders = { { uri = vim.uri_from_fname(root), name = root } }
    if vim.fn.executable(config.cmd[1]) ~= 1 then
      notify(
        ('cannot start the server: %q is not an executable or not on PATH. Set cmd in require("chalice_lsp").setup({ cmd = { "/path/to/chalice-lsp", "serve" } })'):format(
          config.cmd[1]
        ),
        vim.log.levels.ERROR
      )
      return nil
    end
    id = vim.lsp.start_client(config)
    if id == nil then
      return nil
    end
    clients[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

--- Sets the plugin up for Neovim 0.7+: attaches to matching buffers as they open.
function M.setup(opts)
  setup_opts = vim.tbl_deep_extend('force', defaults, opts or {})
  local group = vim.api.nvim_create_augroup('chalice_lsp', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = M.filetypes,
    callback = function(args)
      M.attach(args.buf)
    end,
  })
  -- Buffers opened before setup().
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(M.filetypes, vim.bo[bufnr].filetype) then
      M.attach(bufnr)
    end
  end
end

--- The client ID started by setup() for a root (for tests and statuslines).
function M.client_for_root(root)
  return clients[root]
end

return M
