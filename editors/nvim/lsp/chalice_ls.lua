-- chalice-lsp for Neovim 0.11+ (vim.lsp.config / vim.lsp.enable).
--
--   vim.lsp.enable('chalice_ls')
--   -- optional overrides:
--   vim.lsp.config('chalice_ls', { cmd = { '/path/to/chalice-lsp', 'serve' },
--     settings = { chalice = { python = '/path/to/venv/bin/python' } } })
--
-- Attaches to `.chalice/config.json` (not to other JSON files) and to Python and Go files inside
-- a Chalice/CDK project: the nearest folder with `.chalice/` or `cdk.json` is the root.
local chalice = require('chalice_lsp')

---@type vim.lsp.Config
return {
  cmd = { 'chalice-lsp', 'serve' },
  filetypes = chalice.filetypes,
  -- Used by :checkhealth and by anyone who replaces root_dir; root_dir below implements them
  -- (plus the config.json-only rule for JSON).
  root_markers = chalice.root_markers,
  root_dir = function(bufnr, on_dir)
    local root = chalice.root_for_buffer(bufnr)
    if root then
      on_dir(root)
    end
  end,
  -- initializationOptions.workspaceTrusted: Neovim has no trust prompt; set false for code you
  -- do not trust (the server then never runs `chalice package`, which imports app.py).
  init_options = { workspaceTrusted = true },
  -- Settings go in `settings = { chalice = { … } }` (workspace/configuration section "chalice"):
  -- python, packaging = { automatic, timeoutSeconds, useContainer, containerImage }, stage, logLevel.
  on_attach = function(_, bufnr)
    chalice.create_user_commands(bufnr)
  end,
}
