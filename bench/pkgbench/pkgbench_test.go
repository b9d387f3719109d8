// Package pkgbench measures repackaging an unchanged project with the real packager
// (and the real chalice behind it), counting the chalice processes it starts.
package pkgbench

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/chalice-lsp/chalice-lsp/packager"
)

var cacheDir string // shared by the benchmark calls of one process

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "chalice-lsp-pkgbench-")
	if err != nil {
		panic(err)
	}
	cacheDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var appDir string

// app is a private copy of testdata/packager/basic (the benchmark touches files).
func app(tb testing.TB) string {
	if appDir == "" {
		dst := filepath.Join(cacheDir, "app")
		testenv.CopyTree(tb, filepath.Join(testenv.RepoRoot(tb), "testdata", "packager", "basic"), dst)
		appDir = dst
	}
	return appDir
}

func newPackager(tb testing.TB) *packager.Packager {
	return packager.New(packager.Options{CacheDir: filepath.Join(cacheDir, "cache"), Python: testenv.Python(tb),
		Environ: append(os.Environ(), "AWS_DEFAULT_REGION=us-east-1")})
}

// BenchmarkRepackageUnchanged: a packaging request whose inputs did not change.
// memory: the language server's case (one long-lived packager); resaved: the same,
// after app.py was saved again with identical content (new mtime); disk: a new
// packager per request (a restarted server or the CLI). chalice-runs counts chalice
// processes started during the timed requests (target 0; time target under 20 ms).
func BenchmarkRepackageUnchanged(b *testing.B) {
	for _, mode := range []string{"memory", "resaved", "disk"} {
		b.Run(mode, func(b *testing.B) {
			dir := app(b)
			req := packager.Request{SourceDir: dir, Timeout: 3 * time.Minute}
			ctx := context.Background()
			p := newPackager(b)
			first, err := p.Package(ctx, req) // fills the cache (or hits it) untimed
			if err != nil {
				b.Fatal(err)
			}
			appPy := filepath.Join(dir, "app.py")
			var runs int64
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				q := p
				switch mode {
				case "disk":
					q = newPackager(b)
				case "resaved":
					now := time.Now().Add(time.Duration(i+1) * time.Millisecond)
					if err := os.Chtimes(appPy, now, now); err != nil {
						b.Fatal(err)
					}
				}
				before := q.Stats().Runs
				r, err := q.Package(ctx, req)
				if err != nil {
					b.Fatal(err)
				}
				runs += q.Stats().Runs - before
				if r.TemplatePath == "" || len(r.Template.Resources) != len(first.Template.Resources) {
					b.Fatalf("unchanged inputs gave a different template: %d resources, want %d", len(r.Template.Resources), len(first.Template.Resources))
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(runs), "chalice-runs")
		})
	}
}
