package server

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
)

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
		start, end := analysis.LineSpan([]byte(tc.src), tc.file, tc.line)
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
