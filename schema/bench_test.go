package schema_test

import (
	"testing"

	"github.com/chalice-lsp/chalice-lsp/schema"
)

func benchCheck(b *testing.B, src []byte) {
	b.Helper()
	if _, ds := schema.CheckConfig(src); len(ds) != 0 {
		b.Fatalf("benchmark config should be valid, got %v", ds[0])
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		schema.CheckConfig(src)
	}
}

// BenchmarkCheckConfig3KB: a typical config (target: under 0.2 ms).
func BenchmarkCheckConfig3KB(b *testing.B) { benchCheck(b, bigConfig(3<<10, false)) }

// BenchmarkCheckConfig1MB: a very large config (target: under 50 ms).
func BenchmarkCheckConfig1MB(b *testing.B) { benchCheck(b, bigConfig(1<<20, false)) }

// BenchmarkValidateOnly1MB: the schema walk alone, without parsing (for comparison).
func BenchmarkValidateOnly1MB(b *testing.B) {
	src := bigConfig(1<<20, false)
	root, _ := schema.CheckConfig(src)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		schema.Validate(root, schema.ConfigFile)
	}
}
