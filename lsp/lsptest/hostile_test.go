//go:build unix

package lsptest_test

// The hostile-repository suite at the protocol level: what a repository can commit
// to make the server read without bound, block, or run its code.

import (
	"encoding/json"
	"fmt"
	"go.lsp.dev/uri"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

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

// confirmPackaging answers the server's prompt before packaging an untrusted
// workspace: tests of packaging itself play a user who confirms.
const confirmPackaging = "Package anyway"

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

// markerApp writes an app.py that creates marker when it is imported, so a test can
// tell whether packaging ran the repository's code.
func markerApp(t *testing.T, project, marker string) {
	t.Helper()
	src := fmt.Sprintf("open(%q, 'w').write('imported')\nfrom chalice import Chalice\napp = Chalice(app_name='webapp')\n\n@app.route('/')\ndef index():\n    return {}\n", marker)
	must(t, os.WriteFile(filepath.Join(project, "app.py"), []byte(src), 0o644))
}

func previewActionTitles(t *testing.T, s *lsptest.Session, path string, ctx protocol.CodeActionContext) []string {
	t.Helper()
	res, err := s.Server.CodeAction(s.T.Context(), &protocol.CodeActionParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(path)},
		Range: protocol.Range{Start: s.Pos(path, `"dev"`, 1), End: s.Pos(path, `"dev"`, 1)}, Context: ctx})
	if err != nil {
		t.Fatalf("codeAction: %v", err)
	}
	var out []string
	for _, a := range res {
		if ca, ok := a.(*protocol.CodeAction); ok && ca.Command.Command != "" {
			out = append(out, ca.Command.Command)
		}
	}
	return out
}

// Restricted mode at the protocol level: a repository's on-save code action or an
// automatic code-action request never offers packaging, and a packaging command
// sent without the user's confirmation runs nothing.
func TestUntrustedNeverPackagesWithoutConsent(t *testing.T) {
	dir := lsptest.CopyTree(t, "testdata/lsp/webapp")
	marker := filepath.Join(t.TempDir(), "imported")
	markerApp(t, dir, marker)
	venv := lsptest.Venv(t)
	s := lsptest.Start(t, lsptest.Config{Folders: []string{dir}, InitOptions: map[string]any{"settings": map[string]any{"python": venv}}})
	s.Initialize()
	cfg := filepath.Join(dir, ".chalice", "config.json")
	s.Open(cfg)
	onSave := protocol.CodeActionContext{Diagnostics: []protocol.Diagnostic{}, Only: []protocol.CodeActionKind{"source.chalice"}, TriggerKind: protocol.CodeActionTriggerKindAutomatic}
	if got := previewActionTitles(t, s, cfg, onSave); len(got) != 0 {
		t.Errorf("on-save code actions in an untrusted workspace offer commands: %v", got)
	}
	auto := protocol.CodeActionContext{Diagnostics: []protocol.Diagnostic{}, TriggerKind: protocol.CodeActionTriggerKindAutomatic}
	if got := previewActionTitles(t, s, cfg, auto); len(got) != 0 {
		t.Errorf("automatic code actions in an untrusted workspace offer commands: %v", got)
	}
	invoked := protocol.CodeActionContext{Diagnostics: []protocol.Diagnostic{}, TriggerKind: protocol.CodeActionTriggerKindInvoked}
	if got := previewActionTitles(t, s, cfg, invoked); !slices.Contains(got, "chalice-lsp.packagePreview") {
		t.Errorf("code actions the user asked for lack packaging: %v", got)
	}
	// A command sent without a user gesture (the prompt is dismissed): nothing runs.
	arg, _ := json.Marshal(map[string]any{"uri": string(uri.File(cfg))})
	err := s.ExecuteCommand(protocol.Command{Command: "chalice-lsp.packagePreview", Arguments: []protocol.LSPAny{arg}}, nil)
	if err == nil || !strings.Contains(err.Error(), "not trusted") {
		t.Errorf("unconfirmed packaging in an untrusted workspace: %v", err)
	}
	s.With(func(st *lsptest.State) {
		if len(st.MessageRequests) != 1 || !strings.Contains(st.MessageRequests[0], "imports and runs") {
			t.Errorf("want one confirmation prompt, got %q", st.MessageRequests)
		}
	})
	if runs := packagerStats(t, s); runs != 0 {
		t.Errorf("%d chalice runs in an untrusted workspace", runs)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("the repository's app.py was imported")
	}
	s.Shutdown()

	// The same command, confirmed by the user in the prompt, packages.
	s = lsptest.Start(t, lsptest.Config{Folders: []string{dir}, MessageAnswer: confirmPackaging, InitOptions: map[string]any{"settings": map[string]any{"python": venv}}})
	s.Initialize()
	s.Open(cfg)
	if err := s.ExecuteCommand(protocol.Command{Command: "chalice-lsp.packagePreview", Arguments: []protocol.LSPAny{arg}}, nil); err != nil {
		t.Fatalf("confirmed packaging: %v", err)
	}
	if _, err := os.Stat(marker); err != nil {
		t.Errorf("confirmed packaging did not run app.py: %v", err)
	}
	// Trusted: on-save code actions offer packaging again.
	s2 := lsptest.Start(t, lsptest.Config{Folders: []string{dir}, InitOptions: map[string]any{"workspaceTrusted": true, "settings": map[string]any{"python": venv, "packaging": map[string]any{"automatic": false}}}})
	s2.Initialize()
	s2.Open(cfg)
	if got := previewActionTitles(t, s2, cfg, onSave); !slices.Contains(got, "chalice-lsp.packagePreview") {
		t.Errorf("trusted on-save code actions lack packaging: %v", got)
	}
}

// slowApp writes an app.py that, when chalice imports it, starts a grandchild
// (sleep), writes "<its pid> <the grandchild's pid>" to pidFile and then sleeps: a
// packaging run that only ends when someone kills it.
func slowApp(t *testing.T, project, pidFile string) {
	t.Helper()
	src := fmt.Sprintf(`import os, subprocess, time
child = subprocess.Popen(['sleep', '600'])
with open(%q + '.tmp', 'w') as f:
    f.write('%%d %%d' %% (os.getpid(), child.pid))
os.rename(%q + '.tmp', %q)
time.sleep(600)
from chalice import Chalice
app = Chalice(app_name='webapp')
`, pidFile, pidFile, pidFile)
	must(t, os.WriteFile(filepath.Join(project, "app.py"), []byte(src), 0o644))
}

// waitFor polls cond until it holds; the deadline only guards against a hang.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(lsptest.Timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Parent death: however the server dies (the terminal closes: SIGHUP; the client
// stops reading: EPIPE, which used to be a fatal SIGPIPE; SIGKILL), chalice and
// what app.py started die with it.
func TestParentDeathLeavesNoProcesses(t *testing.T) {
	venv := lsptest.Venv(t)
	for _, how := range []string{"SIGHUP", "SIGPIPE", "SIGKILL", "SIGTERM"} {
		t.Run(how, func(t *testing.T) {
			dir := lsptest.CopyTree(t, "testdata/lsp/webapp")
			pidFile := filepath.Join(t.TempDir(), "pids")
			slowApp(t, dir, pidFile)
			s := lsptest.Start(t, lsptest.Config{Folders: []string{dir}, InitOptions: map[string]any{"workspaceTrusted": true,
				"settings": map[string]any{"python": venv, "packaging": map[string]any{"automatic": false}}}})
			s.Initialize()
			cfg := filepath.Join(dir, ".chalice", "config.json")
			s.Open(cfg)
			arg, _ := json.Marshal(map[string]any{"uri": string(uri.File(cfg))})
			go func() {
				_ = s.ExecuteCommand(protocol.Command{Command: "chalice-lsp.packagePreview", Arguments: []protocol.LSPAny{arg}}, nil)
			}()
			var py, child int
			waitFor(t, "app.py to start its child", func() bool {
				b, err := os.ReadFile(pidFile)
				return err == nil && len(b) > 0 && func() bool { _, err := fmt.Sscanf(string(b), "%d %d", &py, &child); return err == nil }()
			})
			t.Cleanup(func() { syscall.Kill(py, syscall.SIGKILL); syscall.Kill(child, syscall.SIGKILL) })
			switch how {
			case "SIGHUP":
				must(t, s.Cmd.Process.Signal(syscall.SIGHUP))
			case "SIGTERM":
				must(t, s.Cmd.Process.Signal(syscall.SIGTERM))
			case "SIGKILL":
				must(t, s.Cmd.Process.Signal(syscall.SIGKILL))
			case "SIGPIPE":
				// The client stops reading; the server's next message fails with EPIPE.
				s.CloseStdout()
				body := `{"jsonrpc":"2.0","id":99,"method":"textDocument/hover","params":{"textDocument":{"uri":"` + string(uri.File(cfg)) + `"},"position":{"line":0,"character":0}}}`
				s.WriteRaw([]byte(fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body)))
			}
			code := s.Wait()
			if how == "SIGPIPE" && code == -1 {
				t.Errorf("the server was killed by SIGPIPE")
			}
			waitFor(t, "chalice and its child to die with the server", func() bool { return !alive(py) && !alive(child) })
		})
	}
}

// A noisy app.py (200 MB on stdout, then a failure) costs the server a bounded
// tail of that output: in memory (the peak RSS, measured), in the error and in the
// log messages.
func TestNoisyChildOutputIsBounded(t *testing.T) {
	dir := lsptest.CopyTree(t, "testdata/lsp/webapp")
	src := "import sys\nline = 'x' * 1000000 + '\\n'\nfor _ in range(200):\n    sys.stdout.write(line)\nsys.stdout.flush()\nraise RuntimeError('noisy app failed')\n"
	must(t, os.WriteFile(filepath.Join(dir, "app.py"), []byte(src), 0o644))
	venv := lsptest.Venv(t)
	s := lsptest.Start(t, lsptest.Config{Folders: []string{dir}, InitOptions: map[string]any{"workspaceTrusted": true,
		"settings": map[string]any{"python": venv, "logLevel": "debug", "packaging": map[string]any{"automatic": false}}}})
	s.Initialize()
	cfg := filepath.Join(dir, ".chalice", "config.json")
	s.Open(cfg)
	arg, _ := json.Marshal(map[string]any{"uri": string(uri.File(cfg))})
	err := s.ExecuteCommand(protocol.Command{Command: "chalice-lsp.packagePreview", Arguments: []protocol.LSPAny{arg}}, nil)
	if err == nil || len(err.Error()) > 1<<20 {
		t.Fatalf("want a bounded packaging error, got %d bytes", len(fmt.Sprint(err)))
	}
	const bound = 150 << 20 // the idle server is about 20 MB; the output was 200 MB
	if peak := s.PeakRSS(); peak > bound {
		t.Errorf("peak RSS %d MiB after a 200 MB child output, want under %d MiB", peak>>20, bound>>20)
	}
	s.With(func(st *lsptest.State) {
		n := 0
		for _, l := range st.Logs {
			n += len(l)
		}
		if n > 1<<20 {
			t.Errorf("log messages hold %d bytes", n)
		}
		if !strings.Contains(strings.Join(st.Logs, "\n"), "noisy app failed") {
			t.Errorf("the traceback's end is not in the log")
		}
	})
}

// Malformed framing: a header line without end, a frame beyond the limit and a
// broken Content-Length are each skipped with an error, memory stays bounded (the
// peak RSS, measured), and the session goes on.
func TestMalformedFramesAreBoundedAndSurvived(t *testing.T) {
	s, dir := startWebapp(t, lsptest.Config{})
	cfg := filepath.Join(dir, ".chalice", "config.json")
	s.Open(cfg)
	hover := func(what string) {
		t.Helper()
		if h := s.Hover(cfg, s.Pos(cfg, "lambda_timeout", 2)); !strings.Contains(h, "lambda_timeout") {
			t.Fatalf("after %s: hover %q", what, h)
		}
	}
	chunk := []byte(strings.Repeat("x", 1<<20))
	// 150 MB of header line without a newline, then the end of the header block.
	for range 150 {
		s.WriteRaw(chunk)
	}
	s.WriteRaw([]byte("\r\n\r\n"))
	hover("a 150 MB header line")
	// A 200 MB frame.
	s.WriteRaw([]byte(fmt.Sprintf("Content-Length: %d\r\n\r\n", 200<<20)))
	spaces := []byte(strings.Repeat(" ", 1<<20))
	for range 200 {
		s.WriteRaw(spaces)
	}
	hover("a 200 MB frame")
	s.WriteRaw([]byte("Content-Length: abc\r\n\r\n"))
	hover("a bad Content-Length")
	if peak := s.PeakRSS(); peak > 100<<20 {
		t.Errorf("peak RSS %d MiB after 350 MB of bad frames, want under 100 MiB", peak>>20)
	}
	s.With(func(st *lsptest.State) {
		logs := strings.Join(st.Logs, "\n")
		for _, want := range []string{"longer than the limit", "larger than the limit", "invalid Content-Length"} {
			if !strings.Contains(logs, want) {
				t.Errorf("the log does not say %q:\n%s", want, logs)
			}
		}
	})
	if code := s.Shutdown(); code != 0 {
		t.Fatalf("exit %d", code)
	}
}

// A 1 MB one-line config.json with 40,000 mistakes: its diagnostics are capped,
// another document's diagnostics still arrive, and the session ends cleanly. (This
// took minutes when position mapping was quadratic. The speed is not asserted: a
// wall-clock bound is a clock-dependent outcome; the Await deadline guards a hang.)
func TestLongLineDocumentIsBounded(t *testing.T) {
	long := lsptest.CopyTree(t, "testdata/lsp/webapp")
	small := lsptest.CopyTree(t, "testdata/lsp/webapp")
	var b strings.Builder
	b.WriteString(`{"app_name": "webapp", "stages": {"dev": {`)
	for i := range 40000 {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `"unknown_key_%05d": 1`, i)
	}
	b.WriteString("}}}")
	longCfg := filepath.Join(long, ".chalice", "config.json")
	must(t, os.WriteFile(longCfg, []byte(b.String()), 0o644))
	s := lsptest.Start(t, lsptest.Config{Folders: []string{long, small}})
	s.Initialize()
	start := time.Now()
	lu := s.Open(longCfg)
	smallCfg := filepath.Join(small, ".chalice", "config.json")
	su := s.Open(smallCfg)
	s.Await("the small document's diagnostics", func(st *lsptest.State) bool { return st.Publishes[su] > 0 })
	s.Await("the long document's diagnostics", func(st *lsptest.State) bool { return st.Publishes[lu] > 0 })
	ds := s.Diagnostics(longCfg)
	t.Logf("diagnostics after %s", time.Since(start))
	if len(ds) != 1001 || hasCode(ds, "too-many-problems") == nil {
		t.Errorf("%d diagnostics for 40,000 mistakes, want 1,000 and a note", len(ds))
	}
	if code := s.Shutdown(); code != 0 {
		t.Fatalf("exit %d", code)
	}
}

// Deleting the construct call removes its diagnostics (they used to stay for good,
// pointing past the end of the file).
func TestCDKDiagnosticsReplacedByNothing(t *testing.T) {
	s, dir := startFixture(t, "testdata/lsp/cdkapp", lsptest.Config{})
	stacks := filepath.Join(dir, "infra-py", "stacks.py")
	u := s.Open(stacks)
	s.Await("the stage_config diagnostic", func(st *lsptest.State) bool { return hasCode(st.Diagnostics[u], "wrong-type") != nil })
	s.Edit(stacks, "import os\n")
	s.Await("no diagnostics without a construct", func(st *lsptest.State) bool { return len(st.Diagnostics[u]) == 0 })
}
