// Package pyproject reads chalice-lsp's project-level settings from the Python
// ecosystem's place for them, the [tool.chalice-lsp] table of pyproject.toml:
//
//	[tool.chalice-lsp]
//	ignore = ["unknown-function"]          # codes never reported
//	stage = "prod"                         # the stage `check` checks by default
//	per-file-ignores = { "legacy/**" = ["unknown-key"], "app.py" = ["s3-event-unsupported"] }
//
// The nearest pyproject.toml above a file that has the table applies (like ruff
// and black). `chalice-lsp check` and the language server both filter their
// findings with Apply, so the editor and CI agree.
package pyproject

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/chalice-lsp/chalice-lsp/internal/safefile"
)

// Settings are one pyproject.toml's [tool.chalice-lsp] table.
type Settings struct {
	// File is the pyproject.toml they come from; globs are relative to its directory.
	File           string
	Ignore         []string            `toml:"ignore"`
	Stage          string              `toml:"stage"`
	PerFileIgnores map[string][]string `toml:"per-file-ignores"`
}

// Find returns the settings that apply to files in dir: the [tool.chalice-lsp]
// table of the nearest pyproject.toml at or above dir that has one. It returns
// nil without error when there is none, and an error (naming the file) when a
// pyproject.toml cannot be parsed or its table has the wrong shape.
func Find(dir string) (*Settings, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	for {
		file := filepath.Join(dir, "pyproject.toml")
		s, err := Load(file)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		if s != nil {
			return s, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil, nil
		}
		dir = parent
	}
}

// Load reads file's [tool.chalice-lsp] table; nil when the file has none.
func Load(file string) (*Settings, error) {
	src, err := safefile.Read(file)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Tool map[string]toml.Primitive `toml:"tool"`
	}
	md, err := toml.Decode(string(src), &doc)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	prim, ok := doc.Tool["chalice-lsp"]
	if !ok {
		return nil, nil
	}
	s := &Settings{}
	if err := md.PrimitiveDecode(prim, s); err != nil {
		return nil, fmt.Errorf("%s: [tool.chalice-lsp]: %v (expected ignore = [\"code\", ...], stage = \"name\", per-file-ignores = {\"glob\" = [\"code\", ...]})", file, err)
	}
	for _, k := range md.Undecoded() {
		if len(k) == 3 && k[0] == "tool" && k[1] == "chalice-lsp" {
			return nil, fmt.Errorf("%s: [tool.chalice-lsp] has an unknown key %q (known: ignore, stage, per-file-ignores)", file, k[2])
		}
	}
	for glob := range s.PerFileIgnores {
		if _, err := path.Match(strings.ReplaceAll(glob, "**", "*"), ""); err != nil {
			return nil, fmt.Errorf("%s: [tool.chalice-lsp] per-file-ignores: bad pattern %q: %v", file, glob, err)
		}
	}
	s.File = file
	return s, nil
}

// Ignores reports whether code is not to be reported for file (an absolute path).
func (s *Settings) Ignores(file, code string) bool {
	if s == nil {
		return false
	}
	for _, c := range s.Ignore {
		if c == code {
			return true
		}
	}
	rel, err := filepath.Rel(filepath.Dir(s.File), file)
	if err != nil || !filepath.IsLocal(rel) {
		return false
	}
	rel = filepath.ToSlash(rel)
	for glob, codes := range s.PerFileIgnores {
		if !matchGlob(glob, rel) {
			continue
		}
		for _, c := range codes {
			if c == code {
				return true
			}
		}
	}
	return false
}

// Apply returns items without those s ignores for file; code gives an item's
// code. It is pure: the same settings, file and items give the same result.
func Apply[T any](s *Settings, file string, items []T, code func(T) string) []T {
	if s == nil {
		return items
	}
	out := make([]T, 0, len(items))
	for _, it := range items {
		if !s.Ignores(file, code(it)) {
			out = append(out, it)
		}
	}
	return out
}

// matchGlob matches a slash-separated relative path against a glob where `*`,
// `?` and `[...]` stay within a segment and `**` spans any number of segments.
// A glob without a slash matches the file's base name at any depth ("app.py").
func matchGlob(glob, rel string) bool {
	if !strings.Contains(glob, "/") {
		ok, _ := path.Match(glob, path.Base(rel))
		return ok
	}
	return matchSegs(strings.Split(strings.Trim(glob, "/"), "/"), strings.Split(rel, "/"))
}

func matchSegs(g, p []string) bool {
	for len(g) > 0 {
		if g[0] == "**" {
			for i := 0; i <= len(p); i++ {
				if matchSegs(g[1:], p[i:]) {
					return true
				}
			}
			return false
		}
		if len(p) == 0 {
			return false
		}
		if ok, _ := path.Match(g[0], p[0]); !ok {
			return false
		}
		g, p = g[1:], p[1:]
	}
	return len(p) == 0
}
