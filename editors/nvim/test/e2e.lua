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
    -- and inlay hints with the logical IDs of app.py's handlers (appids.lua).
    dofile(plugin .. '/test/appids.lua')(ws, step, say)
    vim.cmd('buffer ' .. cfg)
  end

  -- 1b. Quick fix on a line with non-ASCII text before the key (issue #11 D6). Neovim up to
  -- 0.9 echoes the diagnostic with byte columns; the fix must still replace exactly the key.
  local cfg_client = clients_of(cfg)[1]
  local enc = cfg_client.offset_encoding or 'utf-16'
  vim.api.nvim_buf_set_lines(cfg, typo_line, typo_line + 1, false, { '      "tags": {"owner": "é🐍"}, "lambda_memroy_size": 256' })
  local echoed
  -- Wait for the diagnostic of the edited line (the key moved right, past column 20).
  wait_for('the typo diagnostic after the edit', step, function()
    if vim.lsp.diagnostic.get_line_diagnostics and vim.fn.has('nvim-0.10') == 0 then
      -- Neovim 0.7-0.9: what vim.lsp.buf.code_action() sends (converted back from byte columns).
      for _, d in ipairs(vim.lsp.diagnostic.get_line_diagnostics(cfg, typo_line)) do
        if d.message:find('lambda_memroy_size', 1, true) and d.range.start.character > 20 then echoed = d end
      end
    else
      for _, d in ipairs(vim.diagnostic.get(cfg, { lnum = typo_line })) do
        if d.message:find('lambda_memroy_size', 1, true) and d.col > 20 then echoed = d.user_data and d.user_data.lsp end
      end
    end
    return echoed ~= nil
  end)
  local ca = vim.lsp.buf_request_sync(cfg, 'textDocument/codeAction', {
    textDocument = { uri = vim.uri_from_bufnr(cfg) },
    range = echoed.range,
    context = { diagnostics = { echoed } },
  }, 10000) or {}
  local fix
  for _, resp in pairs(ca) do
    for _, a in ipairs(resp.result or {}) do
      if a.title == 'Change to "lambda_memory_size"' then fix = a end
    end
  end
  assert(fix and fix.edit, 'no quick fix for lambda_memroy_size: ' .. vim.inspect(ca))
  vim.lsp.util.apply_workspace_edit(fix.edit, enc)
  local fixed_line = vim.api.nvim_buf_get_lines(cfg, typo_line, typo_line + 1, false)[1]
  assert(fixed_line == '      "tags": {"owner": "é🐍"}, "lambda_memory_size": 256',
    'the quick fix replaced the wrong span: ' .. fixed_line)
  say('quick fix after non-ASCII text: ' .. fixed_line)

  -- 1c. Key completion as the built-in omnifunc does it (issue #11 D1, D5): the typed word
  -- (after the quote) is matched against the items, the chosen word replaces it (0.7 ignores
  -- the edit range), and the file must stay valid JSON without duplicate keys.
  local dev_line = find_in_buffer(cfg, '"dev": {')
  vim.api.nvim_buf_set_lines(cfg, dev_line + 1, dev_line + 1, false, { '      "lam' })
  local cur_col = #'      "lam'
  local resp = vim.lsp.buf_request_sync(cfg, 'textDocument/completion', {
    textDocument = { uri = vim.uri_from_bufnr(cfg) },
    position = { line = dev_line + 1, character = cur_col },
  }, 10000) or {}
  local result
  for _, r in pairs(resp) do result = r.result end
  local prefix = 'lam'
  local matches
  if vim.lsp.completion and vim.lsp.completion._lsp_to_complete_items then
    matches = vim.lsp.completion._lsp_to_complete_items(result, prefix, cfg_client.id)
  else
    matches = vim.lsp.util.text_document_completion_list_to_complete_items(result, prefix)
  end
  local chosen
  for _, m in ipairs(matches) do
    local item = m.user_data and m.user_data.nvim and m.user_data.nvim.lsp and m.user_data.nvim.lsp.completion_item
    local label = item and item.label or m.abbr
    assert(label ~= 'api_gateway_stage' and label ~= 'lambda_memory_size' and label ~= 'tags',
      'completion offers ' .. label .. ', which the stage already has')
    if label == 'lambda_timeout' then chosen = { m = m, item = item } end
  end
  assert(chosen, 'omnifunc shows no lambda_timeout for "lam (' .. #matches .. ' matches)')
  if vim.fn.has('nvim-0.10') == 0 then
    -- 0.7: the word replaces the typed prefix, whatever the range says.
    local line = vim.api.nvim_buf_get_lines(cfg, dev_line + 1, dev_line + 2, false)[1]
    vim.api.nvim_buf_set_lines(cfg, dev_line + 1, dev_line + 2, false,
      { line:sub(1, cur_col - #prefix) .. chosen.m.word .. line:sub(cur_col + 1) })
  else
    -- 0.11 applies the item's textEdit and additionalTextEdits when it is accepted.
    local te = vim.deepcopy(chosen.item.textEdit)
    if chosen.item.insertTextFormat == 2 then
      -- What vim.snippet leaves once the placeholders are accepted as they are.
      te.newText = te.newText:gsub('%${%d+:([^}]*)}', '%1'):gsub('%$%d+', '')
    end
    local edits = { te }
    for _, e in ipairs(chosen.item.additionalTextEdits or {}) do table.insert(edits, e) end
    vim.lsp.util.apply_text_edits(edits, cfg, enc)
  end
  local text = table.concat(vim.api.nvim_buf_get_lines(cfg, 0, -1, false), '\n')
  local ok_json, decoded = pcall(vim.fn.json_decode, text)
  assert(ok_json, 'invalid JSON after accepting lambda_timeout:\n' .. text)
  assert(decoded.stages.dev.lambda_timeout ~= nil, 'lambda_timeout not inserted:\n' .. text)
  say('omnifunc key completion: ' .. vim.api.nvim_buf_get_lines(cfg, dev_line + 1, dev_line + 2, false)[1])

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
  if os.getenv('CHALICE_TEST_MODE') == 'enable' then
    -- Neovim 0.11: the code lens on the construct call (codelens.lua).
    dofile(plugin .. '/test/codelens.lua')(stack, say, step, ' · stage %S+ · %d+ resources · ')
  end

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
  if os.getenv('CHALICE_TEST_MODE') == 'enable' then
    -- After packaging the lens says so (the server asked for a refresh; refresh() again is harmless).
    dofile(plugin .. '/test/codelens.lua')(stack, say, step, ' · packaged ')
  end
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
