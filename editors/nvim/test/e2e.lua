-- End-to-end test of the chalice_lsp plugin in a real headless Neovim (0.7+) against the real
-- chalice-lsp server. Run by editors/nvim/test/run.sh, which sets these environment variables:
--   CHALICE_NVIM_PLUGIN  editors/nvim (put on the runtimepath)
--   CHALICE_LSP_BIN      the server binary
--   CHALICE_TEST_WS      a scratch copy of testdata/editors/cdkapp
--   CHALICE_TEST_EXPECT_IDS  comma-separated logical IDs completion must offer
--   CHALICE_TEST_TIMEOUT_MS  how long to wait for packaging-backed completion
--   CHALICE_TEST_STEP_MS     how long to wait for attach and diagnostics
--   CHALICE_TEST_MODE        'setup' (default, Neovim 0.7+) or 'enable' (vim.lsp.enable, 0.11+)
-- Every failure ends Neovim with `cquit 1` (an uncaught error under --headless would hang).

local log_lines = {}
local function say(msg)
  io.stdout:write('[nvim-e2e] ' .. msg .. '\n')
end

local function getenv(name)
  local v = os.getenv(name)
  if v == nil or v == '' then
    error('environment variable ' .. name .. ' is not set (run this through editors/nvim/test/run.sh)')
  end
  return v
end

local function wait_for(what, timeout_ms, pred)
  local ok = vim.wait(timeout_ms, pred, 100)
  if not ok then
    error(('timed out after %d ms waiting for %s'):format(timeout_ms, what))
  end
end

local function clients_of(bufnr)
  local out = {}
  local all = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr }) or vim.lsp.buf_get_clients(bufnr)
  for _, c in pairs(all) do
    if c.name == 'chalice_ls' then
      table.insert(out, c)
    end
  end
  return out
end

local function find_in_buffer(bufnr, needle)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local col = line:find(needle, 1, true)
    if col then
      return i - 1, col - 1 -- 0-based line, 0-based byte column of the match
    end
  end
  error(('%q not found in %s'):format(needle, vim.api.nvim_buf_get_name(bufnr)))
end

local function completion_labels(bufnr, line, col)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = line, character = col },
    context = { triggerKind = 1 },
  }
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion', params, 10000) or {}
  local labels = {}
  for _, resp in pairs(responses) do
    if resp.error then
      error('completion request failed: ' .. vim.inspect(resp.error))
    end
    local items = resp.result and (resp.result.items or resp.result) or {}
    for _, item in ipairs(items) do
      labels[item.label] = true
    end
  end
  return labels
end

local function run()
  local plugin = getenv('CHALICE_NVIM_PLUGIN')
  local server = getenv('CHALICE_LSP_BIN')
  local ws = getenv('CHALICE_TEST_WS')
  local expect_ids = vim.split(getenv('CHALICE_TEST_EXPECT_IDS'), ',', { plain = true })
  local timeout = tonumber(os.getenv('CHALICE_TEST_TIMEOUT_MS') or '') or 120000
  local step = tonumber(os.getenv('CHALICE_TEST_STEP_MS') or '') or 30000

  vim.opt.runtimepath:prepend(plugin)
  vim.cmd('filetype on')
  -- Collect what the server logs, to print it if the test fails.
  vim.lsp.handlers['window/logMessage'] = function(_, params)
    table.insert(log_lines, params.message)
  end
  vim.lsp.handlers['window/showMessage'] = function(_, params)
    table.insert(log_lines, 'showMessage: ' .. params.message)
  end

  local settings = { packaging = { automatic = true }, logLevel = 'debug' }
  if os.getenv('CHALICE_TEST_MODE') == 'enable' then
    -- Neovim 0.11+: lsp/chalice_ls.lua from the runtimepath, via vim.lsp.config/enable.
    assert(vim.fn.has('nvim-0.11') == 1, 'CHALICE_TEST_MODE=enable needs Neovim 0.11+')
    vim.lsp.config('chalice_ls', { cmd = { server, 'serve' }, settings = { chalice = settings } })
    vim.lsp.enable('chalice_ls')
    say('mode: vim.lsp.enable (lsp/chalice_ls.lua)')
  else
    require('chalice_lsp').setup({ cmd = { server, 'serve' }, trusted = true, settings = settings })
    say("mode: require('chalice_lsp').setup")
  end

  -- A plain JSON file outside .chalice/ must not get the server.
  vim.cmd('edit ' .. vim.fn.fnameescape(ws .. '/infrastructure/cdk.json'))
  local plain = vim.api.nvim_get_current_buf()
  assert(vim.bo[plain].filetype == 'json', 'cdk.json should be filetype json, got ' .. vim.bo[plain].filetype)

  -- 1. config.json with a typo: an error diagnostic on the misspelled key.
  vim.cmd('edit ' .. vim.fn.fnameescape(ws .. '/runtime/.chalice/config.json'))
  local cfg = vim.api.nvim_get_current_buf()
  wait_for('chalice_ls to attach to config.json', step, function()
    return #clients_of(cfg) > 0
  end)
  say('client attached to config.json')
  local typo_line = find_in_buffer(cfg, '"lambda_memroy_size"')
  local found
  wait_for('a diagnostic about lambda_memroy_size', step, function()
    for _, d in ipairs(vim.diagnostic.get(cfg)) do
      if d.lnum == typo_line and d.message:find('lambda_memroy_size', 1, true) then
        found = d
        return true
      end
    end
    return false
  end)
  assert(found.severity == vim.diagnostic.severity.ERROR, 'the typo diagnostic should be an error, got severity ' .. tostring(found.severity))
  say(('diagnostic on line %d: %s'):format(found.lnum + 1, found.message))
  assert(#clients_of(plain) == 0, 'chalice_ls attached to cdk.json, a JSON file that is not a Chalice config')
  if os.getenv('CHALICE_TEST_MODE') == 'enable' then
    -- Neovim 0.11: document symbols and formatting of config.json (structure.lua).
    dofile(plugin .. '/test/structure.lua')(cfg, say)
  end

  -- 2. Python CDK stack: completion inside get_resource("") lists the app's logical IDs.
  vim.cmd('edit ' .. vim.fn.fnameescape(ws .. '/infrastructure/stacks/chaliceapp.py'))
  local stack = vim.api.nvim_get_current_buf()
  wait_for('chalice_ls to attach to chaliceapp.py', step, function()
    return #clients_of(stack) > 0
  end)
  say('client attached to chaliceapp.py')
  local line, col = find_in_buffer(stack, 'get_resource("")')
  col = col + #'get_resource("' -- between the quotes
  vim.api.nvim_win_set_cursor(0, { line + 1, col })
  local labels = {}
  local missing
  wait_for('completion to offer ' .. table.concat(expect_ids, ', '), timeout, function()
    labels = completion_labels(stack, line, col)
    missing = {}
    for _, id in ipairs(expect_ids) do
      if not labels[id] then
        table.insert(missing, id)
      end
    end
    if #missing == 0 then
      return true
    end
    vim.wait(1000) -- packaging runs in the background; ask again
    return false
  end)
  say('completion offers: ' .. table.concat(vim.tbl_keys(labels), ', '))

  -- 3. :LspChalicePackagePreview (buffer-local user command) opens the packaged SAM template.
  assert(vim.fn.exists(':LspChalicePreviewEffectiveConfig') == 2, ':LspChalicePreviewEffectiveConfig is not defined')
  vim.cmd('LspChalicePackagePreview')
  local template
  wait_for('the packaged template to open', timeout, function()
    for _, b in ipairs(vim.api.nvim_list_bufs()) do
      local name = vim.api.nvim_buf_get_name(b)
      if vim.api.nvim_buf_is_loaded(b) and name:match('%.json$') and not name:match('config%.json$') and not name:match('cdk%.json$') then
        local text = table.concat(vim.api.nvim_buf_get_lines(b, 0, 50, false), '\n')
        if text:find('AWSTemplateFormatVersion', 1, true) then
          template = name
          return true
        end
      end
    end
    return false
  end)
  say('template opened: ' .. template)
end

local ok, err = pcall(run)
if ok then
  say('PASS')
  vim.cmd('qall!')
else
  io.stdout:write('[nvim-e2e] FAIL: ' .. tostring(err) .. '\n')
  if #log_lines > 0 then
    io.stdout:write('[nvim-e2e] server log (last 40 lines):\n')
    for i = math.max(1, #log_lines - 39), #log_lines do
      io.stdout:write('  ' .. log_lines[i] .. '\n')
    end
  end
  vim.cmd('cquit 1')
end
