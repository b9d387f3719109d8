package lsptest_test

// The hostile-repository suite at the protocol level: what a repository can commit
// to make the server read without bound, block, or run its code.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/lsp/lsptest"
	"go.lsp.dev/protocol"
)

// Special files as a blueprint module, the IAM policy file, the CDK entry file and
// cdk.json: the server answers, reports what it skipped, and shuts down.
func TestHostileSpecialFiles(t *testing.T) {
	dir := lsptest.CopyTree(t, "testdata/lsp/cdkapp")
	rt := filepath.Join(dir, "runtime")
	cfg := filepath.Join(rt, ".chalice", "config.json")
	os.WriteFile(cfg, []byte(`{"version": "2.0", "app_name": "webapp", "autogen_policy": false, "stages": {"dev": {}}}`+"\n"), 0o644)
	app, _ := os.ReadFile(filepath.Join(rt, "app.py"))
	os.WriteFile(filepath.Join(rt, "app.py"), append([]byte("from chalicelib.bp import bp\n"), append(app, []byte("\napp.register_blueprint(bp)\n")...)...), 0o644)
	os.MkdirAll(filepath.Join(rt, "chalicelib"), 0o755)
	mustFifo(t, filepath.Join(rt, "chalicelib", "bp.py"))
	must(t, os.Symlink("/dev/zero", filepath.Join(rt, ".chalice", "policy-dev.json")))
	infra := filepath.Join(dir, "infra-py")
	os.Remove(filepath.Join(infra, "cdk.json"))
	mustFifo(t, filepath.Join(infra, "cdk.json"))
	os.Remove(filepath.Join(infra, "app.py"))
	must(t, os.Symlink("/proc/self/fd/0", filepath.Join(infra, "app.py")))

	s := lsptest.Start(t, lsptest.Config{Folders: []string{dir}})
	s.Initialize()
	u := s.Open(cfg)
	s.Await("the policy file reported as skipped", func(st *lsptest.State) bool {
		for _, d := range st.Diagnostics[u] {
			if codeOf(d) == "file-skipped" && strings.Contains(fmt.Sprint(d.Message), "character device") {
				return true
			}
		}
		return false
	})
	stacks := filepath.Join(infra, "stacks.py")
	s.Open(stacks)
	if h := s.Hover(stacks, s.Pos(stacks, "lambda_memory_size", 2)); h == "" {
		t.Errorf("no hover in stacks.py")
	}
	s.Await("the skipped blueprint in the log", func(st *lsptest.State) bool {
		return strings.Contains(strings.Join(st.Logs, "\n"), "bp.py: it is a named pipe")
	})
	if code := s.Shutdown(); code != 0 {
		t.Fatalf("shutdown: exit %d", code)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func mustFifo(t *testing.T, path string) {
	t.Helper()
	must(t, syscall.Mkfifo(path, 0o644))
}

var _ = protocol.MessageTypeInfo
