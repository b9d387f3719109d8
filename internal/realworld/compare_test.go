package realworld

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/chalice-lsp/chalice-lsp/lsp/lsptest"
)

// TestCompare checks the comparison itself, so that a broken match cannot make
// the corpus test pass vacuously.
func TestCompare(t *testing.T) {
	vs := []Verdict{
		{Project: "a/b", File: "x.json", Line: 3, Code: "unknown-key", Verdict: True, Reason: "r"},
		{Project: "a/b", File: "x.json", Line: 5, Code: "wrong-type", Verdict: FalseAlarm, Reason: "r"},
		{Project: "a/b", File: "x.json", Line: 9, Code: "unknown-key", Verdict: True, Reason: "r"},
		{Project: "a/b", File: "x.json", Line: 11, Code: "invalid-value", Verdict: FalseAlarm, Reason: "r"},
		{Project: "c/d", File: "y.json", Line: 1, Code: "unknown-key", Verdict: True, Reason: "r"},
	}
	fs := []Finding{
		{Project: "a/b", File: "x.json", Line: 3, Code: "unknown-key", Severity: "warning"},
		{Project: "a/b", File: "x.json", Line: 3, Code: "unknown-key", Severity: "warning"}, // a second run
		{Project: "a/b", File: "x.json", Line: 5, Code: "wrong-type", Severity: "error"},
		{Project: "a/b", File: "x.json", Line: 7, Code: "unknown-key", Severity: "error"},
		{Project: "a/b", File: "x.json", Line: 9, Code: "unknown-key", Severity: "information"}, // not an error or warning
	}
	r := Compare(fs, vs, map[string]bool{"a/b": true})
	if len(r.Confirmed) != 1 || r.Confirmed[0].Line != 3 {
		t.Errorf("confirmed = %v, want line 3 once", r.Confirmed)
	}
	if len(r.FalseAlarms) != 1 || r.FalseAlarms[0].Line != 5 {
		t.Errorf("false alarms = %v, want line 5", r.FalseAlarms)
	}
	if len(r.Unjudged) != 1 || r.Unjudged[0].Line != 7 {
		t.Errorf("unjudged = %v, want line 7", r.Unjudged)
	}
	if len(r.Missing) != 1 || r.Missing[0].Line != 9 {
		t.Errorf("missing = %v, want line 9 (reported only as information); c/d is not in the run", r.Missing)
	}
	if len(r.Fixed) != 1 || r.Fixed[0].Line != 11 {
		t.Errorf("fixed = %v, want line 11", r.Fixed)
	}
	if r.OK() {
		t.Error("a report with a false alarm, an unjudged and a missing finding is OK")
	}
	if !(Compare(fs[:2], vs[:1], map[string]bool{"a/b": true})).OK() {
		t.Error("an exact match is not OK")
	}
}

func TestValidate(t *testing.T) {
	m := Manifest{Projects: []Project{{Repository: "a/b", Commit: strings.Repeat("0", 40), Licence: "GPL-3.0", LicenceFile: "LICENSE", Paths: []string{"app.py", "f"}, Dirs: []Dir{{Path: "."}}}}}
	if err := m.Validate(); err == nil || !strings.Contains(err.Error(), "GPL-3.0") {
		t.Errorf("a GPL project is admitted: %v", err)
	}
	m.Projects[0].Licence = "MIT"
	if err := m.Validate(); err != nil {
		t.Error(err)
	}
	v := Verdicts{Verdicts: []Verdict{
		{Project: "a/b", File: "f", Line: 1, Code: "c", Verdict: "maybe", Reason: "r"},
		{Project: "a/b", File: "f", Line: 2, Code: "c", Verdict: True},
		{Project: "x/y", File: "f", Line: 3, Code: "c", Verdict: True, Reason: "r"},
		{Project: "a/b", File: "gone.py", Line: 4, Code: "c", Verdict: True, Reason: "r"},
	}}
	err := v.Validate(m)
	for _, want := range []string{"verdict must be", "no reason", "not in the manifest", "not among the project's paths"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate misses %q: %v", want, err)
		}
	}
}

// TestCDKFindingsSeeUnknownIDs proves the CDK half of the harness reports what
// the server reports: a copy of the bundled example's Python stack asking for a
// role that does not exist must come back as a finding.
func TestCDKFindingsSeeUnknownIDs(t *testing.T) {
	root := testenv.RepoRoot(t)
	dir := t.TempDir()
	testenv.CopyTree(t, filepath.Join(root, "testdata", "example", "runtime"), filepath.Join(dir, "runtime"))
	testenv.CopyTree(t, filepath.Join(root, "testdata", "example", "python-infrastructure"), filepath.Join(dir, "infrastructure"))
	stack := filepath.Join(dir, "infrastructure", "stacks", "chaliceapp.py")
	b, err := os.ReadFile(stack)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "get_role('DefaultRole')") {
		t.Fatal("the example stack no longer calls get_role('DefaultRole'); adjust this test")
	}
	if err := os.WriteFile(stack, []byte(strings.Replace(string(b), "get_role('DefaultRole')", "get_role('DefaultRol')", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	_ = lsptest.Binary(t)
	fs := cdkFindings(t, dir, Project{Repository: "x/y", CDKFiles: []string{"infrastructure/stacks/chaliceapp.py"}})
	for _, f := range fs {
		if f.Code == "unknown-logical-id" && (f.Severity == "error" || f.Severity == "warning") {
			return
		}
	}
	t.Errorf("no unknown-logical-id finding for get_role('DefaultRol'); got %v", fs)
}
