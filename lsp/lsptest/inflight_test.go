package lsptest_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chalice-lsp/chalice-lsp/lsp/lsptest"
	"go.lsp.dev/uri"
)

// startSlow starts a trusted session on a copy of testdata/lsp/slow, whose app.py
// hangs at import after writing its pid and its child's pid to $MARKER_FILE. It
// opens the CDK file (which packages at once) and returns when chalice is
// provably importing the app: the marker holds two live pids and no packaging run
// has ended.
func startSlow(t *testing.T) (s *lsptest.Session, py string, pids []int) {
	t.Helper()
	venv := lsptest.Venv(t)
	dir := lsptest.CopyTree(t, "testdata/lsp/slow")
	marker := filepath.Join(t.TempDir(), "pids")
	s = lsptest.Start(t, lsptest.Config{
		Folders:     []string{dir},
		InitOptions: map[string]any{"workspaceTrusted": true, "settings": map[string]any{"python": venv}},
		Env:         []string{"MARKER_FILE=" + marker},
	})
	s.Initialize()
	py = filepath.Join(dir, "infra-py", "stacks.py")
	s.Open(py)
	s.Await("packaging begun", func(st *lsptest.State) bool { return st.Begun["chalice package"] > 0 })
	pids = awaitPids(t, s, marker)
	// Whatever happens next, no chalice process may outlive the test.
	t.Cleanup(func() { killAll(pids) })
	return s, py, pids
}

// awaitPids polls for the pids the slow app writes (a file, so there is no
// message to await) and fails if packaging ends or the server exits first.
func awaitPids(t *testing.T, s *lsptest.Session, marker string) []int {
	t.Helper()
	deadline := time.Now().Add(lsptest.Timeout)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(marker); err == nil {
			var pids []int
			for _, f := range strings.Fields(string(b)) {
				n, err := strconv.Atoi(f)
				if err != nil {
					t.Fatalf("the slow app wrote %q, not pids", b)
				}
				pids = append(pids, n)
			}
			if len(pids) != 2 || !alive(pids[0]) || !alive(pids[1]) {
				t.Fatalf("want two live pids from the slow app, got %v", pids)
			}
			return pids
		}
		s.With(func(st *lsptest.State) {
			if st.Ended("chalice package") > 0 {
				t.Fatalf("packaging ended before the slow app started hanging: %+v\nlogs:\n%s", st.Progress, strings.Join(st.Logs, "\n"))
			}
		})
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the slow app never wrote its pids")
	return nil
}

// alive reports whether pid exists and is not a zombie.
func alive(pid int) bool {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return false
	}
	st := string(b)
	i := strings.LastIndexByte(st, ')')
	return i < 0 || i+2 >= len(st) || st[i+2] != 'Z'
}

func killAll(pids []int) {
	for _, pid := range pids {
		if p, err := os.FindProcess(pid); err == nil && alive(pid) {
			_ = p.Kill()
		}
	}
}

// stillPackaging fails the test unless the slow run is still in flight: no
// packaging run has ended and both processes of the hanging import are alive.
func stillPackaging(t *testing.T, s *lsptest.Session, pids []int, after string) {
	t.Helper()
	s.With(func(st *lsptest.State) {
		if n := st.Ended("chalice package"); n != 0 {
			t.Fatalf("%s: packaging ended (%d) before the answer arrived, so the test proves nothing", after, n)
		}
	})
	for _, pid := range pids {
		if !alive(pid) {
			t.Fatalf("%s: chalice process %d is gone, so the test proves nothing", after, pid)
		}
	}
}

// TestKeystrokesDuringPackaging: while `chalice package` hangs importing app.py,
// completion, hover and didChange -> diagnostics answer from what is known now
// (predicted IDs); each answer arrives while the run provably continues.
func TestKeystrokesDuringPackaging(t *testing.T) {
	s, py, pids := startSlow(t)
	u := uri.File(py)

	items := s.Completion(py, s.Pos(py, "get_resource('", len("get_resource('")))
	stillPackaging(t, s, pids, "completion")
	for _, want := range []string{"APIHandler", "RestAPI", "Hourly", "DefaultRole"} {
		it := item(items, want)
		if it == nil || !strings.Contains(detailOf(*it), "predicted") {
			t.Fatalf("completion during packaging should offer predicted %s: %v", want, labels(items))
		}
	}

	h := s.Hover(py, s.Pos(py, "'Hourly'", 2))
	stillPackaging(t, s, pids, "hover")
	if !strings.Contains(h, "AWS::Serverless::Function") || !strings.Contains(h, "def hourly") ||
		!strings.Contains(h, "Memory: 256 MB") || !strings.Contains(h, "Timeout: 30 s") {
		t.Fatalf("hover during packaging should describe the predicted function:\n%s", h)
	}

	s.Edit(py, strings.Replace(s.Content(py), "'Hourly'", "'Hourlyy'", 1))
	s.Await("unknown-ID diagnostic after the edit", func(st *lsptest.State) bool {
		d := hasCode(st.Diagnostics[u], "unknown-logical-id")
		return d != nil && strings.Contains(msgOf(*d), "Hourlyy")
	})
	stillPackaging(t, s, pids, "didChange diagnostics")

	// Shutdown cancels the run and kills both processes.
	if code := s.Shutdown(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	for _, pid := range pids {
		if alive(pid) {
			t.Errorf("chalice process %d survived shutdown", pid)
		}
	}
}

// TestClientDisappearsDuringPackaging: the editor goes away (stdin closes) while
// chalice hangs importing app.py. The server exits with status 1 and takes the
// chalice interpreter and its child with it.
func TestClientDisappearsDuringPackaging(t *testing.T) {
	s, _, pids := startSlow(t)
	s.CloseStdin()
	if code := s.Wait(); code != 1 {
		t.Fatalf("client gone during packaging: exit code %d, want 1", code)
	}
	// The server waits for its children before exiting, so they are gone now.
	for _, pid := range pids {
		if alive(pid) {
			t.Errorf("chalice process %d survived the server", pid)
		}
	}
}
