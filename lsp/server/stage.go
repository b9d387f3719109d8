package server

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/chalice-lsp/chalice-lsp/lsp/cdkcode"
)

// The Chalice stage of a construct call. Both Python constructs package with the
// construct path of their scope as the stage (chalice.md 3.1/3.2), and the Go
// construct with that path made safe (construct.StageNameFromPath) unless
// StageName is given. Where the stack's path can be read statically (a stack
// created under the App in the same file, or a stack class/function that the CDK
// app's entry file instantiates as Class(app, "id")), that is the stage used for
// effective values, rules, prediction and packaging of the construct; otherwise
// the chalice.stage setting.

// constructStage returns the stage of c and a phrase saying where it comes from.
func (s *Server) constructStage(c *cdkcode.Construct, cdkAppDir string) (stage, from string) {
	if c.StageName != "" {
		return c.StageName, "the construct's StageName"
	}
	id, found := c.Stack.ID, c.Stack.AtRoot
	where := "stack id " + fmt.Sprintf("%q", c.Stack.ID)
	if !found && c.Stack.Factory != "" {
		for _, e := range s.stacks.entries(s, cdkAppDir) {
			if v, ok := s.stacks.ids(s, e)[c.Stack.Factory]; ok {
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
			return goStageName(id), "from the " + where
		}
		return id, "from the " + where
	}
	st := s.currentSettings()
	if st.Stage != "" {
		return st.Stage, "from the chalice.stage setting (the stack could not be determined statically)"
	}
	return st.EffectiveStage(), "the default; the stack could not be determined statically (set chalice.stage)"
}

// goStageName mirrors construct.StageNameFromPath (construct/stage.go), which the
// server cannot import without pulling in the CDK: runs of characters outside
// [A-Za-z0-9_-] become "-", and names over 64 characters are cut and suffixed
// with a hash of the path.
func goStageName(path string) string {
	const maxLen = 64
	s := strings.Trim(stageUnsafe.ReplaceAllString(path, "-"), "-")
	if s == "" {
		return "dev"
	}
	if len(s) > maxLen {
		sum := sha256.Sum256([]byte(path))
		suffix := hex.EncodeToString(sum[:])[:8]
		s = strings.TrimRight(s[:maxLen-len(suffix)-1], "-") + "-" + suffix
	}
	return s
}

var stageUnsafe = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// stackCache remembers, per file, what cdk.json names as the app's entry and
// which stack ids an entry file creates. Entries are keyed by the file's open
// version or its size and modification time, so hover and keystroke paths only
// stat the files instead of re-reading and re-parsing them.
type stackCache struct {
	mu sync.Mutex
	m  map[string]stackCached
}

type stackCached struct {
	stamp   string
	entries []string          // for cdk.json
	ids     map[string]string // for an entry file
}

// stamp identifies the current content of path: the open document's version, or
// the file's size and modification time; "" when it does not exist.
func (s *Server) stamp(path string) string {
	if d := s.docs.ByPath(path); d != nil {
		return fmt.Sprintf("open:%d:%d", d.Version, len(d.Content))
	}
	st, err := os.Stat(path)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("disk:%d:%d", st.Size(), st.ModTime().UnixNano())
}

func (c *stackCache) get(path, stamp string) (stackCached, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[path]
	return v, ok && v.stamp == stamp
}

func (c *stackCache) put(path string, v stackCached) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]stackCached{}
	}
	c.m[path] = v
}

// entries lists the entry files of the CDK app in dir from cdk.json's "app"
// command: the .py script of "python3 app.py", or for "go run <pkg|file.go>" the
// Go files of that package (test files excluded).
func (c *stackCache) entries(s *Server, dir string) []string {
	cj := filepath.Join(dir, "cdk.json")
	stamp := s.stamp(cj)
	if stamp == "" {
		return nil
	}
	if v, ok := c.get(cj, stamp); ok {
		return v.entries
	}
	var out []string
	var cfg struct {
		App string `json:"app"`
	}
	if src, err := s.readFile(cj); err == nil && json.Unmarshal(src, &cfg) == nil {
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
	c.put(cj, stackCached{stamp: stamp, entries: out})
	return out
}

// ids returns cdkcode.StackIDs of the entry file path (cached).
func (c *stackCache) ids(s *Server, path string) map[string]string {
	stamp := s.stamp(path)
	if stamp == "" {
		return nil
	}
	if v, ok := c.get(path, stamp); ok {
		return v.ids
	}
	var ids map[string]string
	if src, err := s.readFile(path); err == nil {
		ids = cdkcode.StackIDs(path, src)
	}
	c.put(path, stackCached{stamp: stamp, ids: ids})
	return ids
}

// changed re-reads path when the cache holds it (a cdk.json or an entry file used
// for a stage) and reports whether what it says changed, so that open CDK files
// are re-analysed with their new stage only then.
func (c *stackCache) changed(s *Server, path string) bool {
	c.mu.Lock()
	old, ok := c.m[path]
	c.mu.Unlock()
	if !ok {
		return false
	}
	if filepath.Base(path) == "cdk.json" {
		return !slices.Equal(old.entries, c.entries(s, filepath.Dir(path)))
	}
	return !maps.Equal(old.ids, c.ids(s, path))
}
