-- Code lenses on the Chalice construct call in Neovim 0.11 (vim.lsp.codelens; called from e2e.lua
-- in vim.lsp.enable mode): after vim.lsp.codelens.refresh() the construct's line carries the
-- information lens ("<project> · stage <s> · N resources · predicted|packaged …|stale …") and the
-- two commands. want is a Lua pattern the information lens must match. Errors propagate to
-- e2e.lua, which ends Neovim with `cquit 1`.
return function(stack, say, timeout, want)
  local titles
  local ok = vim.wait(timeout, function()
    vim.lsp.codelens.refresh({ bufnr = stack })
    vim.wait(200)
    titles = {}
    for _, l in ipairs(vim.lsp.codelens.get(stack) or {}) do
      if l.command then
        table.insert(titles, l.command.title)
      end
    end
    return #titles == 3 and titles[1]:match(want) ~= nil
  end, 500)
  assert(ok, ('code lenses on the construct: want an information lens matching %q and two commands, got %s'):format(want, vim.inspect(titles)))
  assert(titles[2] == 'Package & preview template' and titles[3] == 'Preview effective config',
    'code lens commands: ' .. vim.inspect(titles))
  say('code lens: ' .. table.concat(titles, ' | '))
end
