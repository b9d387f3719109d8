package jsonfeatures

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
	"github.com/chalice-lsp/chalice-lsp/schema/text"
)

// benchDocsEnv is where `make bench` (bench/run.sh) writes the benchmark configs
// (schema's TestWriteBenchDocs), so these benchmarks and the vscode-json-languageservice
// anchor (bench/anchor/json-structure.mjs) measure the same bytes.
const benchDocsEnv = "CHALICE_LSP_BENCH_DOCS"

// benchFormatOptions re-indent the 2-space bench documents with 4 spaces, so Format
// Document has work on every line (the anchor uses the same options).
var benchFormatOptions = FormatOptions{TabSize: 4, InsertSpaces: true, KeepLines: true}

func benchDoc(b *testing.B, name string) []byte {
	dir := os.Getenv(benchDocsEnv)
	if dir == "" {
		b.Skipf("set %s to the directory of the bench documents (make bench does)", benchDocsEnv)
	}
	src, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		b.Fatal(err)
	}
	return src
}

// BenchmarkStructure times the structural requests on the bench documents, with
// what the server does at the edge: document symbols (capped like VS Code's
// outline, converted to UTF-16 ranges) and folding ranges (VS Code's rangeLimit)
// of the 1 MB config on its cached tree, and formatting of the 3 KB config
// (including the parse that checks for syntax errors).
func BenchmarkStructure(b *testing.B) {
	big := benchDoc(b, "config-1MB.json")
	small := benchDoc(b, "config-3KB.json")
	root, errs := jsonpos.Parse(big)
	if len(errs) > 0 {
		b.Fatalf("the 1 MB bench document has a syntax error: %v", errs[0])
	}
	m := text.NewMapper(big)
	b.Run("symbols-1MB", func(b *testing.B) {
		testenv.Latencies(b, func() {
			syms, _ := Symbols(root, DefaultSymbolLimit)
			var conv func([]Symbol)
			conv = func(ss []Symbol) {
				for _, s := range ss {
					_ = m.Range(s.Start, s.End, text.UTF16)
					_ = m.Range(s.SelStart, s.SelEnd, text.UTF16)
					conv(s.Children)
				}
			}
			conv(syms)
		})
	})
	b.Run("folding-1MB", func(b *testing.B) {
		testenv.Latencies(b, func() { Folds(big, root, m, FoldOptions{LineFoldingOnly: true, RangeLimit: 5000}) })
	})
	b.Run("format-3KB", func(b *testing.B) {
		testenv.Latencies(b, func() {
			_, errs := jsonpos.Parse(small)
			edits, err := Format(small, errs, -1, -1, benchFormatOptions)
			if err != nil || len(edits) == 0 {
				b.Fatalf("formatting the 3 KB document: %d edits, %v", len(edits), err)
			}
		})
	})
}
