-- config.json's structural features in Neovim 0.11 (called from e2e.lua in vim.lsp.enable mode):
-- textDocument/documentSymbol gives the nested outline (stages > dev), and vim.lsp.buf.format()
-- re-indents an unindented config.json with the buffer's shiftwidth/expandtab, keeping every key
-- and value as written. Errors propagate to e2e.lua, which ends Neovim with `cquit 1`.
return function(cfg, say)
  -- Document symbols: hierarchical (Neovim declares hierarchicalDocumentSymbolSupport).
  local params = { textDocument = { uri = vim.uri_from_bufnr(cfg) } }
  local responses = vim.lsp.buf_request_sync(cfg, 'textDocument/documentSymbol', params, 10000) or {}
  local stages
  for _, resp in pairs(responses) do
    assert(not resp.error, 'documentSymbol failed: ' .. vim.inspect(resp.error))
    for _, sym in ipairs(resp.result or {}) do
      if sym.name == 'stages' then
        stages = sym
      end
    end
  end
  assert(stages, 'no "stages" symbol in the outline of config.json')
  assert(stages.children and stages.children[1] and stages.children[1].name == 'dev',
    'stages should have the child symbol dev, got ' .. vim.inspect(stages.children))
  assert(stages.kind == vim.lsp.protocol.SymbolKind.Object, 'stages should be an Object symbol, got kind ' .. tostring(stages.kind))
  say(('document symbols: stages (line %d) > %s (%s)'):format(stages.range.start.line + 1, stages.children[1].name, stages.children[1].detail or ''))

  -- Formatting: the checked-in config.json, with its indentation removed, formats back to itself
  -- with shiftwidth 2 and spaces.
  local original = vim.api.nvim_buf_get_lines(cfg, 0, -1, false)
  local flat = {}
  for _, l in ipairs(original) do
    table.insert(flat, (l:gsub('^%s+', '')))
  end
  vim.api.nvim_buf_set_lines(cfg, 0, -1, false, flat)
  vim.bo[cfg].shiftwidth = 2
  vim.bo[cfg].expandtab = true
  vim.lsp.buf.format({ bufnr = cfg, name = 'chalice_ls', async = false, timeout_ms = 10000 })
  local got = vim.api.nvim_buf_get_lines(cfg, 0, -1, false)
  assert(vim.deep_equal(got, original), 'formatting gave\n' .. table.concat(got, '\n') .. '\nwant\n' .. table.concat(original, '\n'))
  say(('formatting: %d unindented lines re-indented as checked in'):format(#got))
end
