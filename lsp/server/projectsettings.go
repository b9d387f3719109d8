package server

import (
	"path/filepath"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/chalice-lsp/chalice-lsp/internal/pyproject"
)

// withProjectSettings is the one hook between the diagnostics a document has and
// what the client sees: the [tool.chalice-lsp] settings of the nearest
// pyproject.toml (ignored codes, per-file ignores) filter them exactly as
// `chalice-lsp check` does. A pyproject.toml that cannot be read filters nothing
// and is logged, so a typo there never hides the file's own diagnostics.
func (s *Server) withProjectSettings(u uri.URI, ds []protocol.Diagnostic) []protocol.Diagnostic {
	path := u.FsPath()
	if path == "" || len(ds) == 0 {
		return ds
	}
	st, err := pyproject.Find(filepath.Dir(path))
	if err != nil {
		s.logf(protocol.MessageTypeWarning, "project settings not applied: %v", err)
		return ds
	}
	return pyproject.Apply(st, path, ds, func(d protocol.Diagnostic) string {
		c, _ := d.Code.(protocol.String)
		return string(c)
	})
}
