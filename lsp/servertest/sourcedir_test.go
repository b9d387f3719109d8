package servertest_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/lsp/servertest"
)

// dynStack's first construct has a source_dir computed at synth time (the server
// cannot resolve it statically); its second points at a real directory that is
// not a Chalice project.
const dynStack = "\n-- infra-py/dyn_stack.py --\n" + dynStackPy

const dynStackPy = `import aws_cdk as cdk
from chalice.cdk import Chalice


def compute_source_dir():
    return 'somewhere'


class DynStack(cdk.Stack):

    def __init__(self, scope, id, **kwargs):
        super().__init__(scope, id, **kwargs)
        self.chalice = Chalice(self, 'Dyn', source_dir=⟦dir|compute_source_dir()⟧)
        self.chalice.get_function('⟨fn⟩EveryFive')
        self.other = Chalice(self, 'Other', source_dir=⟦!source-dir-not-a-project:warning other|'../infra-go'⟧)
`

// TestSourceDirFallback: a construct whose source_dir cannot be resolved uses the
// workspace's only Chalice project (IDs, hover); a source_dir that is a directory
// without a Chalice project is a warning on the argument; once a second project
// appears, the unresolved one is reported as such and has no IDs to offer.
func TestSourceDirFallback(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, runtime+goStack+dynStack, servertest.Config{})
	py := s.Open("infra-py/dyn_stack.py")
	py.WantDiagnostics()
	if msg := servertest.Message(py.Diagnostic("source-dir-not-a-project", "other")); !strings.Contains(msg, s.Path("infra-go")) {
		t.Errorf("the message should name the directory: %s", msg)
	}
	py.WantCompletion("fn", []string{"EveryFive", "Worker"}, []string{"DefaultRole"})
	py.WantHover("fn", "def every_five")

	// A second Chalice project appears on disk: the fallback is ambiguous now.
	s.Create(`
-- second/app.py --
from chalice import Chalice
app = Chalice(app_name='second')
-- second/.chalice/config.json --
{"version": "2.0", "app_name": "second"}
`)
	py.Expect(strings.Replace(dynStackPy, "⟦dir|", "⟦!source-dir-unresolved:information dir|", 1))
	py.WantDiagnostics()
	if msg := servertest.Message(py.Diagnostic("source-dir-unresolved", "dir")); !strings.Contains(msg, "exactly one Chalice project") {
		t.Errorf("the message should say why: %s", msg)
	}
	if got := py.Completion("fn").Labels(); len(got) != 0 {
		t.Errorf("with two projects an unresolved construct has no IDs to offer, got %q", got)
	}
}

// TestSourceDirMissing: a construct whose source_dir names a directory that does
// not exist gets one diagnostic, on the argument; its logical-ID calls are not
// checked or completed against the workspace's only project.
func TestSourceDirMissing(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, runtime+`
-- infra-py/cdk.json --
{"app": "python3 app.py"}
-- infra-py/missing_stack.py --
import aws_cdk as cdk
from chalice.cdk import Chalice


class MissingStack(cdk.Stack):

    def __init__(self, scope, id, **kwargs):
        super().__init__(scope, id, **kwargs)
        self.api = Chalice(self, 'Api', source_dir=⟦!source-dir-not-a-project missing|'../no-such-runtime'⟧)
        self.api.get_resource('⟨id⟩NoSuchID')
`, servertest.Config{})
	py := s.Open("infra-py/missing_stack.py")
	py.WantDiagnostics()
	if msg := servertest.Message(py.Diagnostic("source-dir-not-a-project", "missing")); !strings.Contains(msg, "does not exist") || !strings.Contains(msg, filepath.Join(s.Root, "no-such-runtime")) {
		t.Errorf("the message should say the directory does not exist: %s", msg)
	}
	if got := py.Completion("id").Labels(); len(got) != 0 {
		t.Errorf("no logical IDs for a construct without a project, got %q", got)
	}
}
