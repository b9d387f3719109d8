package monorepo

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chalice-lsp/chalice-lsp/internal/discover"
	"github.com/chalice-lsp/chalice-lsp/lsp/lsptest"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

func TestMain(m *testing.M) {
	lsptest.BinaryPackage = "github.com/chalice-lsp/chalice-lsp/cmd/chalice-lsp"
	code := m.Run()
	lsptest.RemoveBinary()
	os.Exit(code)
}

func generate(tb testing.TB) (string, []string) {
	tb.Helper()
	root := tb.TempDir()
	stacks, err := Generate(root)
	if err != nil {
		tb.Fatal(err)
	}
	if out, err := exec.Command("git", "-C", root, "init", "-q").CombinedOutput(); err != nil {
		tb.Fatalf("git init: %v\n%s", err, out)
	}
	return root, stacks
}

// The generated tree is what the figures claim: 100 projects, 50 CDK apps, and
// every file of them is found.
func TestGenerate(t *testing.T) {
	root, stacks := generate(t)
	tree, err := discover.Walk(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(tree.Projects) != Projects || len(tree.CDKApps) != Stacks || len(stacks) != Stacks {
		t.Fatalf("%d projects, %d CDK apps, %d stacks", len(tree.Projects), len(tree.CDKApps), len(stacks))
	}
	for _, s := range stacks {
		if !slices.Contains(tree.Files, s) {
			t.Errorf("stack %s not discovered", s)
		}
	}
}

// BenchmarkMonorepoCheck: `chalice-lsp check .` on the whole tree (the built
// binary, a fresh process per run, as CI runs it).
func BenchmarkMonorepoCheck(b *testing.B) {
	root, _ := generate(b)
	bin := lsptest.Binary(b)
	var out []byte
	for b.Loop() {
		cmd := exec.Command(bin, "check", "--fail-on", "never", ".")
		cmd.Dir = root
		var err error
		if out, err = cmd.Output(); err != nil {
			var stderr []byte
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = ee.Stderr
			}
			b.Fatalf("check: %v: %s\n%s", err, bytes.TrimSpace(stderr), out)
		}
	}
	for _, want := range []string{"[unknown-key]", "[wrong-type]"} {
		if !strings.Contains(string(out), want) {
			b.Fatalf("check found no %s:\n%s", want, out)
		}
	}
	b.ReportMetric(float64(strings.Count(string(out), "\n")), "findings")
}

// BenchmarkMonorepoServer: server start (process launch, initialize) to the
// diagnostics of every file opened (pulled, so the figure ends when the last
// file's list arrived); then logical-ID completion latency while all are open,
// and the server's RSS.
func BenchmarkMonorepoServer(b *testing.B) {
	root, stacks := generate(b)
	tree, err := discover.Walk(root)
	if err != nil {
		b.Fatal(err)
	}
	lsptest.Binary(b) // built before timing
	var lat []time.Duration
	var startToDiags []time.Duration
	var rss int64
	for b.Loop() {
		t0 := time.Now()
		s := lsptest.Start(b, lsptest.Config{Folders: []string{root}, PullDiagnostics: true})
		s.Initialize()
		for _, f := range tree.Files {
			s.Open(f)
		}
		n := 0
		for _, f := range tree.Files {
			rep, err := s.Server.Diagnostic(s.T.Context(), &protocol.DocumentDiagnosticParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(f)}})
			if err != nil {
				b.Fatal(err)
			}
			if full, ok := rep.(*protocol.RelatedFullDocumentDiagnosticReport); ok {
				n += len(full.Items)
			}
		}
		startToDiags = append(startToDiags, time.Since(t0))
		if n == 0 {
			b.Fatal("no diagnostics in the monorepo")
		}
		// Completion inside get_resource('') / GetResource(jsii.String("")) of every stack.
		for round := 0; round < 4; round++ {
			for _, st := range stacks {
				src := s.Content(st)
				needle := "get_resource('')"
				delta := len("get_resource('")
				if filepath.Ext(st) == ".go" {
					needle, delta = `GetResource(jsii.String(""))`, len(`GetResource(jsii.String("`)
				}
				pos := s.Pos(st, needle, delta)
				_ = src
				t := time.Now()
				items := s.Completion(st, pos)
				lat = append(lat, time.Since(t))
				if len(items) == 0 {
					b.Fatalf("no completion in %s", st)
				}
			}
		}
		rss = s.RSS()
		s.Shutdown()
		s.Exit()
	}
	slices.Sort(lat)
	slices.Sort(startToDiags)
	b.ReportMetric(float64(startToDiags[len(startToDiags)/2].Microseconds())/1e3, "start-to-diagnostics-ms")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "completion-p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "completion-p99-µs")
	b.ReportMetric(float64(rss)/(1<<20), "RSS-MB")
	b.ReportMetric(float64(len(tree.Files)), "files-open")
}
