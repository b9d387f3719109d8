package schema_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/schema"
)

// BenchDocsEnv names the directory TestWriteBenchDocs writes the benchmark documents
// to. `make bench` (bench/run.sh) sets it so the anchor (VS Code's JSON language
// service, in Node) validates exactly the bytes BenchmarkCheckConfig3KB/1MB check.
const benchDocsEnv = "CHALICE_LSP_BENCH_DOCS"

// benchDocs are the documents of BenchmarkCheckConfig3KB and BenchmarkCheckConfig1MB.
var benchDocs = []struct {
	file string
	size int
}{
	{"config-3KB.json", 3 << 10},
	{"config-1MB.json", 1 << 20},
}

// TestWriteBenchDocs writes the benchmark configs to $CHALICE_LSP_BENCH_DOCS (or a
// temporary directory) and checks what was written is the valid document of the
// benchmark, so the anchor and the benchmark cannot silently measure different inputs.
func TestWriteBenchDocs(t *testing.T) {
	dir := os.Getenv(benchDocsEnv)
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, d := range benchDocs {
		src := bigConfig(d.size, false)
		if len(src) > d.size*11/10 || len(src) < d.size*9/10 {
			t.Fatalf("%s: generated %d bytes, want about %d", d.file, len(src), d.size)
		}
		if _, ds := schema.CheckConfig(src); len(ds) != 0 {
			t.Fatalf("%s: the benchmark document should be valid, got %v", d.file, ds[0])
		}
		path := filepath.Join(dir, d.file)
		if err := os.WriteFile(path, src, 0o644); err != nil {
			t.Fatal(err)
		}
		back, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(back, src) {
			t.Fatalf("%s: written file differs from the benchmark document (%v)", path, err)
		}
	}
}
