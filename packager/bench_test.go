package packager_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/chalice-lsp/chalice-lsp/packager"
)

// BenchmarkPackageCold compares a packaging run that misses the result cache with
// bare `chalice package` on the same app. Both reuse chalice's deployment zip after
// a warm-up run, as repeated runs in a project do; the packager's extra cost is the
// private copy, hashing, template parsing and publishing into the cache.
func BenchmarkPackageCold(b *testing.B) {
	py := testenv.Python(b)
	b.Run("packager", func(b *testing.B) {
		p := packager.New(packager.Options{CacheDir: b.TempDir(), Python: py, Environ: baseEnv()})
		dir := copyApp(b, "basic")
		run := func(i int) {
			// A distinct stage config per iteration misses the result cache.
			_, err := p.Package(context.Background(), packager.Request{SourceDir: dir,
				StageConfig: map[string]any{"environment_variables": map[string]any{"ITERATION": strconv.Itoa(i)}}})
			if err != nil {
				b.Fatal(err)
			}
		}
		run(-1)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			run(i)
		}
	})
	b.Run("bare-chalice", func(b *testing.B) {
		dir := copyApp(b, "basic")
		out := b.TempDir()
		run := func(i int) {
			cmd := exec.Command(testenv.Chalice(b), "package", filepath.Join(out, strconv.Itoa(i+1)))
			cmd.Dir = dir
			cmd.Env = baseEnv("AWS_DEFAULT_REGION=us-east-1", "PYTHONDONTWRITEBYTECODE=1")
			if o, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("%v\n%s", err, o)
			}
		}
		run(-1)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			run(i)
		}
	})
}

// BenchmarkPackageCacheHit measures a request whose inputs are unchanged: "memory"
// within one Packager (the language server's case), "disk" with a new Packager per
// request (a restarted server, or the CLI).
func BenchmarkPackageCacheHit(b *testing.B) {
	py := testenv.Python(b)
	cache := b.TempDir()
	req := packager.Request{SourceDir: app(b, "basic"), StageConfig: map[string]any{"lambda_memory_size": 256}}
	p := packager.New(packager.Options{CacheDir: cache, Python: py, Environ: baseEnv()})
	if _, err := p.Package(context.Background(), req); err != nil {
		b.Fatal(err)
	}
	b.Run("memory", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			r, err := p.Package(context.Background(), req)
			if err != nil || !r.Cached {
				b.Fatalf("not a cache hit: %v", err)
			}
		}
	})
	b.Run("disk", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			q := packager.New(packager.Options{CacheDir: cache, Python: py, Environ: baseEnv()})
			r, err := q.Package(context.Background(), req)
			if err != nil || !r.Cached {
				b.Fatalf("not a cache hit: %v", err)
			}
		}
	})
}
