package server

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/lsp/cdkcode"
	"github.com/chalice-lsp/chalice-lsp/lsp/workspace"
)

func TestPackagingStageConfig(t *testing.T) {
	src := []byte(`Chalice(self, 'A', source_dir='rt', stage_config={'lambda_timeout': 5, 'environment_variables': {'T': table.table_name}, 'lambda_functions': {'f': {}}})`)
	f := cdkcode.AnalyzePython("/w/infra/stack.py", append([]byte("from chalice.cdk import Chalice\n"), src...))
	if len(f.Constructs) != 1 {
		t.Fatalf("constructs: %+v", f.Constructs)
	}
	m := packagingStageConfig(&f.Constructs[0])
	if _, ok := m["lambda_functions"]; ok {
		t.Fatal("chalice.cdk.Chalice ignores lambda_functions; it must not reach the packager")
	}
	env, _ := m["environment_variables"].(map[string]any)
	if env["T"] != "${Token[table.table_name]}" {
		t.Fatalf("CDK tokens become placeholder strings: %#v", m)
	}
}

func TestIsProjectInput(t *testing.T) {
	ps := &projectState{proj: &workspace.Project{Dir: "/p"}}
	for path, want := range map[string]bool{
		"/p/app.py": true, "/p/chalicelib/db.py": true, "/p/requirements.txt": true,
		"/p/.chalice/config.json": true, "/p/.chalice/policy-dev.json": true,
		"/p/.chalice/deployments/x.zip": false, "/p/tests/test_app.py": false, "/other/app.py": false,
	} {
		if got := isProjectInput(ps, filepath.FromSlash(path)); got != want {
			t.Errorf("isProjectInput(%s) = %v, want %v", path, got, want)
		}
	}
}

// replacing turns cdk_chalice's whole-stage replace into what the packager's deep
// merge understands: settings of the file's stage that stage_config lacks become
// null (absent to Chalice), lambda_functions and function objects stay objects.
func TestReplacingStage(t *testing.T) {
	file := map[string]any{
		"lambda_memory_size":    256.0,
		"environment_variables": map[string]any{"A": "1"},
		"lambda_functions": map[string]any{
			"api_handler": map[string]any{"lambda_timeout": 30.0, "tags": map[string]any{"t": "x"}},
			"worker":      map[string]any{"lambda_timeout": 40.0, "lambda_memory_size": 512.0},
		},
	}
	over := map[string]any{
		"xray":             true,
		"lambda_functions": map[string]any{"worker": map[string]any{"lambda_timeout": 120.0}},
	}
	got := replacing(file, over, 0)
	want := map[string]any{
		"xray":                  true,
		"lambda_memory_size":    nil,
		"environment_variables": nil,
		"lambda_functions": map[string]any{
			"api_handler": map[string]any{"lambda_timeout": nil, "tags": nil},
			"worker":      map[string]any{"lambda_timeout": 120.0, "lambda_memory_size": nil},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("replacing:\n got %v\nwant %v", got, want)
	}
	if len(over) != 2 || len(over["lambda_functions"].(map[string]any)["worker"].(map[string]any)) != 1 {
		t.Fatalf("replacing modified its input: %v", over)
	}
}

// goStageName must agree with construct.StageNameFromPath (cases taken from
// construct/stage_test.go, which this package cannot import without the CDK).
func TestGoStageName(t *testing.T) {
	long := strings.Repeat("Abc/", 30)
	for in, want := range map[string]string{
		"web":                "web",
		"Prod/ApiStack":      "Prod-ApiStack",
		"a b//c":             "a-b-c",
		"//":                 "dev",
		"under_score-dash_1": "under_score-dash_1",
	} {
		if got := goStageName(in); got != want {
			t.Errorf("goStageName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := goStageName(long); len(got) != 64 || !strings.HasPrefix(got, "Abc-Abc-") {
		t.Errorf("goStageName(long) = %q (%d chars), want 64 chars with a hash suffix", got, len(got))
	}
}

// TestLineSpan: a packaging error with only a line lands on the first key of that
// line in valid config.json, on the line without indentation elsewhere (and in
// config.json with a syntax error, where the key may be unrelated).
func TestLineSpan(t *testing.T) {
	cfg := "{\n  \"stages\": {\n    \"dev\": {\"subnet_ids\": [\"s\"], \"x\": 1}\n  }\n}\n"
	for _, tc := range []struct {
		file, src string
		line      int
		want      string
	}{
		{"/p/.chalice/config.json", cfg, 3, `"dev"`},
		{"/p/.chalice/config.json", cfg, 0, "{"},
		{"/p/.chalice/config.json", "{\n  \"a\": 1\n  \"b\": 2\n}\n", 3, `"b": 2`},
		{"/p/app.py", "import os\n    import missing\r\nx = 1\n", 2, "import missing"},
		{"/p/app.py", "x", 7, ""},
	} {
		start, end := lineSpan([]byte(tc.src), tc.file, tc.line)
		if got := tc.src[start:end]; got != tc.want {
			t.Errorf("%s line %d: span %q, want %q", tc.file, tc.line, got, tc.want)
		}
	}
}

// A stage name of 300 bytes used to make a preview file name longer than the
// file system allows.
func TestSafeNameFitsAFileName(t *testing.T) {
	long := strings.Repeat("s", 300)
	n := safeName(long)
	if len(n) > 100 {
		t.Fatalf("safeName is %d bytes", len(n))
	}
	if safeName(long+"x") == n {
		t.Fatal("distinct long stages share a preview name")
	}
	if safeName("prod") != "prod" {
		t.Fatal("short names are kept")
	}
	f := filepath.Join(t.TempDir(), "effective-config-"+n+".json")
	if err := os.WriteFile(f, nil, 0o600); err != nil {
		t.Fatal(err)
	}
}
