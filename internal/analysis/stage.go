package analysis

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/chalice-lsp/chalice-lsp/internal/cdkcode"
	"github.com/chalice-lsp/chalice-lsp/schema/naming"
)

// ConstructStage returns the Chalice stage of construct call c and a phrase
// saying where it comes from. Both Python constructs package with the construct
// path of their scope as the stage, and the Go construct with that path made safe
// (naming.StageNameFromPath) unless StageName is given. Where the stack's path
// can be read statically (a stack created under the App in the same file, or a
// stack class/function the CDK app's entry file instantiates as Class(app, "id"))
// that is the stage; otherwise the chalice.stage setting.
func (s *Snapshot) ConstructStage(c *cdkcode.Construct, cdkAppDir string) (stage, from string) {
	if c.StageName != "" {
		return c.StageName, "the construct's StageName"
	}
	id, found := c.Stack.ID, c.Stack.AtRoot
	where := "stack id " + fmt.Sprintf("%q", c.Stack.ID)
	if !found && c.Stack.Factory != "" {
		for _, e := range s.entries(cdkAppDir) {
			if v, ok := s.stackIDs(e)[c.Stack.Factory]; ok {
				id, found = v, true
				rel, err := filepath.Rel(cdkAppDir, e)
				if err != nil {
					rel = e
				}
				where = fmt.Sprintf("stack id %q in %s", v, rel)
				break
			}
		}
	}
	if found && id != "" {
		if c.Flavour == cdkcode.GoConstruct {
			return naming.StageNameFromPath(id), "from the " + where
		}
		return id, "from the " + where
	}
	if s.settings.Stage != "" {
		return s.settings.Stage, "from the chalice.stage setting (the stack could not be determined statically)"
	}
	return s.settings.EffectiveStage(), "the default; the stack could not be determined statically (set chalice.stage)"
}

// entries lists the entry files of the CDK app in dir from cdk.json's "app"
// command: the .py script of "python3 app.py", or for "go run <pkg|file.go>" the
// Go files of that package (test files excluded).
func (s *Snapshot) entries(dir string) []string {
	s.memo.mu.Lock()
	v, ok := s.memo.entries[dir]
	s.memo.mu.Unlock()
	if ok {
		return v
	}
	var out []string
	var cfg struct {
		App string `json:"app"`
	}
	if src, err := s.ReadFile(filepath.Join(dir, "cdk.json")); err == nil && json.Unmarshal(src, &cfg) == nil {
		fields := strings.Fields(cfg.App)
		for i, f := range fields {
			switch {
			case strings.HasSuffix(f, ".py"), strings.HasSuffix(f, ".go"):
				out = append(out, filepath.Join(dir, f))
			case i >= 2 && fields[i-2] == "go" && fields[i-1] == "run" && !strings.HasPrefix(f, "-"):
				ms, _ := filepath.Glob(filepath.Join(dir, f, "*.go"))
				for _, m := range ms {
					if !strings.HasSuffix(m, "_test.go") {
						out = append(out, m)
					}
				}
			}
		}
	}
	s.memo.mu.Lock()
	s.memo.entries[dir] = out
	s.memo.mu.Unlock()
	return out
}

// stackIDs returns cdkcode.StackIDs of the entry file path.
func (s *Snapshot) stackIDs(path string) map[string]string {
	s.memo.mu.Lock()
	v, ok := s.memo.stacks[path]
	s.memo.mu.Unlock()
	if ok {
		return v
	}
	var ids map[string]string
	if src, err := s.ReadFile(path); err == nil {
		ids = cdkcode.StackIDs(path, src)
	}
	s.memo.mu.Lock()
	s.memo.stacks[path] = ids
	s.memo.mu.Unlock()
	return ids
}
