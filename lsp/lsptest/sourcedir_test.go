package lsptest_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/chalice-lsp/chalice-lsp/lsp/lsptest"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// dynStack is CDK code whose first construct's source_dir is computed at synth
// time (the server cannot resolve it statically) and whose second points at a
// real directory that is not a Chalice project.
const dynStack = `import aws_cdk as cdk
from chalice.cdk import Chalice


def compute_source_dir():
    return 'somewhere'


class DynStack(cdk.Stack):

    def __init__(self, scope, id, **kwargs):
        super().__init__(scope, id, **kwargs)
        self.chalice = Chalice(self, 'Dyn', source_dir=compute_source_dir())
        self.chalice.get_function('EveryFive')
        self.other = Chalice(self, 'Other', source_dir='../infra-go')
`

// TestSourceDirFallback: a construct whose source_dir cannot be resolved uses the
// workspace's only Chalice project (IDs, stage_config rules); a source_dir that is
// a directory without a Chalice project is a warning on the argument; and once a
// second project appears the unresolved one is reported as such.
func TestSourceDirFallback(t *testing.T) {
	s, dir := startFixture(t, "testdata/lsp/cdkapp", lsptest.Config{})
	py := filepath.Join(dir, "infra-py", "dyn_stack.py")
	u := s.Open(py, dynStack)
	s.Await("not-a-project warning", func(st *lsptest.State) bool {
		return hasCode(st.Diagnostics[u], "source-dir-not-a-project") != nil
	})
	src := s.Content(py)
	ds := s.Diagnostics(py)
	d := hasCode(ds, "source-dir-not-a-project")
	if got := src[s.Offset(py, d.Range.Start):s.Offset(py, d.Range.End)]; got != "'../infra-go'" || d.Severity != protocol.DiagnosticSeverityWarning {
		t.Fatalf("not-a-project should be a warning on the source_dir argument, is %v on %q: %s", d.Severity, got, msgOf(*d))
	}
	if !strings.Contains(msgOf(*d), filepath.Join(dir, "infra-go")) {
		t.Fatalf("the message should name the directory: %s", msgOf(*d))
	}
	if d := hasCode(ds, "source-dir-unresolved"); d != nil {
		t.Fatalf("with one project in the workspace the unresolved source_dir falls back to it: %s", msgOf(*d))
	}
	// The fallback project is really used: its handlers give the logical IDs and
	// hover finds the handler.
	fns := labels(s.Completion(py, s.Pos(py, "get_function('", len("get_function('"))))
	if !slices.Contains(fns, "EveryFive") || !slices.Contains(fns, "Worker") || slices.Contains(fns, "DefaultRole") {
		t.Fatalf("get_function completion should list the only project's functions: %v", fns)
	}
	if h := s.Hover(py, s.Pos(py, "'EveryFive'", 2)); !strings.Contains(h, "def every_five") {
		t.Fatalf("hover should find the handler in the only project's app.py:\n%s", h)
	}

	// A second Chalice project appears on disk: the fallback is ambiguous now.
	second := filepath.Join(dir, "second")
	testenv.CopyTree(t, filepath.Join(testenv.RepoRoot(t), "testdata/lsp/webapp"), second)
	cfg2 := filepath.Join(second, ".chalice", "config.json")
	if err := s.Server.DidChangeWatchedFiles(s.T.Context(), &protocol.DidChangeWatchedFilesParams{Changes: []protocol.FileEvent{{URI: uri.File(cfg2), Type: protocol.FileChangeTypeCreated}}}); err != nil {
		t.Fatal(err)
	}
	s.Await("unresolved source_dir reported", func(st *lsptest.State) bool {
		return hasCode(st.Diagnostics[u], "source-dir-unresolved") != nil
	})
	d = hasCode(s.Diagnostics(py), "source-dir-unresolved")
	if got := src[s.Offset(py, d.Range.Start):s.Offset(py, d.Range.End)]; got != "compute_source_dir()" || d.Severity != protocol.DiagnosticSeverityInformation {
		t.Fatalf("unresolved should be information on the source_dir argument, is %v on %q", d.Severity, got)
	}
	if !strings.Contains(msgOf(*d), "exactly one Chalice project") {
		t.Fatalf("the message should say why: %s", msgOf(*d))
	}
	if fns := labels(s.Completion(py, s.Pos(py, "get_function('", len("get_function('")))); len(fns) != 0 {
		t.Fatalf("with two projects an unresolved construct has no IDs to offer, got %v", fns)
	}
	if code := s.Shutdown(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
}

// TestSourceDirMissing: a construct whose source_dir names a directory that
// does not exist gets one diagnostic, on the argument; its logical-ID calls are
// not checked or completed against the workspace's only project.
func TestSourceDirMissing(t *testing.T) {
	s, dir := startFixture(t, "testdata/lsp/cdkapp", lsptest.Config{})
	py := filepath.Join(dir, "infra-py", "missing_stack.py")
	const src = `import aws_cdk as cdk
from chalice.cdk import Chalice


class MissingStack(cdk.Stack):

    def __init__(self, scope, id, **kwargs):
        super().__init__(scope, id, **kwargs)
        self.api = Chalice(self, 'Api', source_dir='../no-such-runtime')
        self.api.get_resource('NoSuchID')
`
	u := s.Open(py, src)
	s.Await("missing source_dir reported", func(st *lsptest.State) bool {
		return hasCode(st.Diagnostics[u], "source-dir-not-a-project") != nil
	})
	ds := s.Diagnostics(py)
	if len(ds) != 1 {
		var all []string
		for _, d := range ds {
			all = append(all, msgOf(d))
		}
		t.Fatalf("want only the source_dir diagnostic, got %d: %q", len(ds), all)
	}
	d := ds[0]
	if got := src[s.Offset(py, d.Range.Start):s.Offset(py, d.Range.End)]; got != "'../no-such-runtime'" {
		t.Fatalf("diagnostic on %q, want the source_dir argument", got)
	}
	if !strings.Contains(msgOf(d), "does not exist") || !strings.Contains(msgOf(d), filepath.Join(dir, "no-such-runtime")) {
		t.Fatalf("the message should say the directory does not exist: %s", msgOf(d))
	}
	if ids := labels(s.Completion(py, s.Pos(py, "get_resource('", len("get_resource('")))); len(ids) != 0 {
		t.Fatalf("no logical IDs for a construct without a project, got %v", ids)
	}
	if code := s.Shutdown(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
}
