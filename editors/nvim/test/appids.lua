-- Logical IDs in app.py with Neovim 0.11's own inlay hints (called from e2e.lua in
-- vim.lsp.enable mode): after vim.lsp.inlay_hint.enable, vim.lsp.inlay_hint.get lists a hint at
-- the end of each decorator line naming the IDs it creates (@app.lambda_function(name='resize_image')
-- -> "ResizeImage · AWS::Serverless::Function"). Errors propagate to e2e.lua (cquit 1).
return function(ws, step, say)
  vim.cmd('edit ' .. vim.fn.fnameescape(ws .. '/runtime/app.py'))
  local buf = vim.api.nvim_get_current_buf()
  assert(vim.wait(step, function()
    return #vim.lsp.get_clients({ bufnr = buf, name = 'chalice_ls' }) > 0
  end, 100), 'chalice_ls did not attach to app.py')
  vim.lsp.inlay_hint.enable(true, { bufnr = buf })
  assert(vim.lsp.inlay_hint.is_enabled({ bufnr = buf }), 'inlay hints not enabled for app.py')
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local want = {}
  for i, l in ipairs(lines) do
    if l:find("@app.lambda_function(name='resize_image')", 1, true) then
      want[i - 1] = { col = #l, label = 'ResizeImage · AWS::Serverless::Function' }
    elseif l:find('@app.schedule(', 1, true) then
      want[i - 1] = { col = #l, label = 'EveryHour · AWS::Serverless::Function' }
    end
  end
  assert(next(want), 'the test app has no lambda_function/schedule decorators')
  local got
  assert(vim.wait(step, function()
    got = vim.lsp.inlay_hint.get({ bufnr = buf })
    return #got >= 2
  end, 100), 'no inlay hints in app.py: ' .. vim.inspect(got))
  local seen = 0
  for _, h in ipairs(got) do
    local hint = h.inlay_hint
    local label = type(hint.label) == 'string' and hint.label or hint.label[1].value
    local w = want[hint.position.line]
    if w then
      assert(hint.position.character == w.col, ('hint on line %d at column %d, want the end of the decorator (%d)'):format(hint.position.line + 1, hint.position.character, w.col))
      assert(label:sub(1, #w.label) == w.label, ('hint on line %d is %q, want it to start with %q'):format(hint.position.line + 1, label, w.label))
      seen = seen + 1
      say(('inlay hint on line %d: %s'):format(hint.position.line + 1, label))
    end
  end
  assert(seen == 2, 'want the lambda_function and schedule hints, got ' .. vim.inspect(got))
end
