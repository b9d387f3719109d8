package servertest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/chalice-lsp/chalice-lsp/lsp/servertest"
)

// TestHalfTypedPython plays the shared half-typed CDK fixture (testdata/cdk,
// also read by internal/cdkcode's tests) against a Chalice project: completion
// works inside an unterminated string and at a call with no argument yet, and
// diagnostics still arrive.
func TestHalfTypedPython(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "testdata", "cdk", "python", "half_typed.py"))
	if err != nil {
		t.Fatal(err)
	}
	marked := strings.NewReplacer("'APIH\n", "'APIH⟨unterminated⟩\n", "get_role(\n", "get_role(⟨noArgument⟩\n").Replace(string(src))
	if strings.Count(marked, "⟨") != 2 {
		t.Fatal("testdata/cdk/python/half_typed.py changed: the markers found no place")
	}
	s := servertest.Start(t, runtime+"-- infra/cdk.json --\n{\"app\": \"python3 app.py\"}\n-- infra/half_typed.py --\n"+marked, servertest.Config{})
	py := s.Open("infra/half_typed.py")
	py.Diagnostics()
	// In the unterminated 'APIH of add_environment_variable: functions only.
	py.WantCompletion("unterminated", []string{"APIHandler"}, []string{"DefaultRole"})
	// get_role( with no argument yet: the item inserts a quoted string.
	it := py.Completion("noArgument").Item("DefaultRole")
	if it == nil {
		t.Fatal("get_role( offers no DefaultRole")
	}
	if text, _ := it.TextEditText.Get(); !strings.Contains(text, `"DefaultRole"`) {
		t.Errorf("an unquoted call site gets a quoted ID, got %q", text)
	}
}
