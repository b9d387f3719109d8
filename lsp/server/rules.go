package server

import (
	"github.com/chalice-lsp/chalice-lsp/schema/diag"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
	"github.com/chalice-lsp/chalice-lsp/schema/rules"
)

// configRules runs the semantic rules (schema/rules) on a config.json tree and
// returns the findings for config.json and for the project's Python files.
func (s *Server) configRules(ps *projectState, root *jsonpos.Node) ([]diag.Diagnostic, map[string][]diag.Diagnostic) {
	app, _ := s.appOf(ps) // nil app: rules needing handlers are skipped
	res := rules.Check(root, app, rules.Options{ProjectDir: ps.proj.Dir, Packaged: s.isPackaged(ps)})
	return res.Config, res.App
}

// overlayRules runs the rules for a CDK construct's stage_config overlay and
// returns the findings located in the overlay's source file.
// The construct's flavour decides how the overlay applies (t.overlay.Mode).
func (s *Server) overlayRules(t pkgTarget) []diag.Diagnostic {
	app, _ := s.appOf(t.ps)
	res := rules.Check(s.configOf(t.ps), app, rules.Options{Stages: []string{t.stage}, User: t.overlay.Node, UserMode: t.overlay.Mode, ProjectDir: t.ps.proj.Dir, Packaged: true})
	return res.Overlay
}
