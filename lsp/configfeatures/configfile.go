package configfeatures

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
	"github.com/chalice-lsp/chalice-lsp/internal/workspace"
	"github.com/chalice-lsp/chalice-lsp/schema"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// A .chalice/config.json of a snapshot: completion and hover as pure functions of
// (snapshot, file, byte offset). The language server only converts positions.

// CompleteFile returns proposals at offset in the config.json file as s holds it.
// snippets tells whether the client accepts snippet syntax.
func CompleteFile(s *analysis.Snapshot, file string, offset int, snippets bool) []Item {
	src, root, p := configFile(s, file)
	c := fileContext(s, p)
	c.Snippets = snippets
	c.PolicyFiles = policyFiles(filepath.Dir(file))
	return Complete(src, root, offset, c)
}

// HoverFile describes the key or value at offset in the config.json file as s
// holds it.
func HoverFile(s *analysis.Snapshot, file string, offset int) (Hover, bool) {
	_, root, p := configFile(s, file)
	return HoverAt(root, offset, fileContext(s, p))
}

// configFile returns file's content in s, its tree (nil when blank) and its
// project (nil when none). The tree is the snapshot's memoised one when file is
// its project's config.json.
func configFile(s *analysis.Snapshot, file string) ([]byte, *jsonpos.Node, *workspace.Project) {
	src, _ := s.ReadFile(file)
	p := s.ProjectFor(file)
	if strings.TrimSpace(string(src)) == "" {
		return src, nil, p
	}
	if p != nil && p.ConfigPath == file {
		return src, s.Config(p), p
	}
	root, _ := jsonpos.Parse(src)
	return src, root, p
}

// fileContext is what completion and hover know about config.json beyond the
// document: its project's functions and the stage setting.
func fileContext(s *analysis.Snapshot, p *workspace.Project) Context {
	c := Context{Kind: schema.ConfigFile, Syntax: JSON, Stage: s.Settings().Stage}
	if p != nil {
		c.Functions, c.FunctionsUnknown = s.Functions(p), s.FunctionsUnknown(p)
	}
	return c
}

// policyFiles lists the .json files of a .chalice directory other than config.json
// (the candidates for iam_policy_file and api_gateway_policy_file), sorted.
func policyFiles(chaliceDir string) []string {
	ents, err := os.ReadDir(chaliceDir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if !e.IsDir() && strings.HasSuffix(n, ".json") && n != "config.json" {
			out = append(out, n)
		}
	}
	return out
}
