package lsptest_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chalice-lsp/chalice-lsp/lsp/lsptest"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

func percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(p * float64(len(s)-1))
	return s[i]
}

func micros(xs []int64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}

func report(b *testing.B, name string, roundTrip []float64, server []int64) {
	b.ReportMetric(percentile(roundTrip, 0.5), name+"-p50-µs")
	b.ReportMetric(percentile(roundTrip, 0.99), name+"-p99-µs")
	if len(server) > 0 {
		b.ReportMetric(percentile(micros(server), 0.5), name+"-server-p50-µs")
		b.ReportMetric(percentile(micros(server), 0.99), name+"-server-p99-µs")
	}
}

// BenchmarkLogicalIDCompletion: completion inside get_resource(”) from a warm
// state with a packaged template of ~50 and ~500 resources, over stdio.
func BenchmarkLogicalIDCompletion(b *testing.B) {
	venv := lsptest.Venv(b)
	for _, n := range []int{50, 500} {
		b.Run(fmt.Sprintf("resources=%d", n), func(b *testing.B) {
			root, py := lsptest.GenerateCDKApp(b, n-4)
			s := lsptest.Start(b, lsptest.Config{Folders: []string{root},
				InitOptions: map[string]any{"workspaceTrusted": true, "settings": map[string]any{"python": venv}}})
			s.Initialize()
			s.Open(py)
			s.Await("packaging", func(st *lsptest.State) bool { return st.Ended("chalice package") > 0 })
			pos := s.Pos(py, "get_resource('", len("get_resource('"))
			items := s.Completion(py, pos)
			if len(items) < n || strings.Contains(detailOf(items[0]), "predicted") {
				b.Fatalf("want %d packaged IDs, got %d (%v)", n, len(items), detailOf(items[0]))
			}
			s.Latencies()
			var rt []float64
			for b.Loop() {
				start := time.Now()
				s.Completion(py, pos)
				rt = append(rt, float64(time.Since(start).Microseconds()))
			}
			report(b, "completion", rt, s.Latencies()["completion"])
			s.Shutdown()
		})
	}
}

// BenchmarkConfigDiagnostics: didChange on a ~3 KB config.json until its
// publishDiagnostics arrives.
func BenchmarkConfigDiagnostics(b *testing.B) {
	dir := lsptest.CopyTree(b, "testdata/lsp/webapp")
	s := lsptest.Start(b, lsptest.Config{Folders: []string{dir}})
	s.Initialize()
	cfg := filepath.Join(dir, ".chalice", "config.json")
	var sb strings.Builder
	sb.WriteString(`{"version": "2.0", "app_name": "webapp", "stages": {`)
	for i := 0; sb.Len() < 3000; i++ {
		if i > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, `"stage%d": {"lambda_timeout": %d, "environment_variables": {"K%d": "v"}, "lambda_functions": {"worker": {"lambda_memory_size": 256}}}`, i, i+1, i)
	}
	sb.WriteString("}}")
	content := sb.String()
	u := s.Open(cfg, content)
	s.Await("first diagnostics", func(st *lsptest.State) bool { return st.Publishes[u] > 0 })
	s.Latencies()
	var rt []float64
	i := 0
	for b.Loop() {
		var before int
		s.With(func(st *lsptest.State) { before = st.Publishes[u] })
		i++
		next := strings.Replace(content, `"lambda_timeout": 1,`, fmt.Sprintf(`"lambda_timeout": %d,`, i%800+1), 1)
		start := time.Now()
		s.Edit(cfg, next)
		s.Await("diagnostics", func(st *lsptest.State) bool { return st.Publishes[u] > before })
		rt = append(rt, float64(time.Since(start).Microseconds()))
	}
	report(b, "diagnostics", rt, s.Latencies()["diagnostics"])
	s.Shutdown()
}

// BenchmarkFirstCompletionAfterOpen: a fresh server, open the CDK file, complete a
// logical ID at once (predicted IDs; packaging never waited for).
func BenchmarkFirstCompletionAfterOpen(b *testing.B) {
	root, py := lsptest.GenerateCDKApp(b, 50)
	var rt []float64
	for b.Loop() {
		b.StopTimer()
		s := lsptest.Start(b, lsptest.Config{Folders: []string{root}})
		s.Initialize()
		b.StartTimer()
		start := time.Now()
		s.Open(py)
		items := s.Completion(py, s.Pos(py, "get_resource('", len("get_resource('")))
		rt = append(rt, float64(time.Since(start).Microseconds()))
		b.StopTimer()
		if len(items) < 50 {
			b.Fatalf("first completion gave %d items", len(items))
		}
		s.Shutdown()
		b.StartTimer()
	}
	b.ReportMetric(percentile(rt, 0.5), "open+completion-p50-µs")
	b.ReportMetric(percentile(rt, 0.99), "open+completion-p99-µs")
}

// BenchmarkRSS: resident memory idle, and after 1,000 edits across 3 projects.
// The scenario runs once whatever -benchtime says (it is a memory measurement, not
// a throughput one); the timed loop only samples RSS.
func BenchmarkRSS(b *testing.B) {
	var folders, cfgs []string
	for i := 0; i < 3; i++ {
		folders = append(folders, lsptest.CopyTree(b, "testdata/lsp/cdkapp"))
	}
	s := lsptest.Start(b, lsptest.Config{Folders: folders})
	s.Initialize()
	var uris []uri.URI
	for _, d := range folders {
		c := filepath.Join(d, "runtime", ".chalice", "config.json")
		cfgs = append(cfgs, c)
		uris = append(uris, s.Open(c))
		s.Open(filepath.Join(d, "infra-py", "stacks.py"))
		s.Open(filepath.Join(d, "infra-go", "main.go"))
	}
	s.Await("diagnostics", func(st *lsptest.State) bool { return st.Publishes[uris[2]] > 0 })
	idle := s.RSS()
	orig := s.Content(cfgs[0])
	for i := 0; i < 1000; i++ {
		c := cfgs[i%3]
		next := strings.Replace(orig, `"lambda_timeout": 20`, fmt.Sprintf(`"lambda_timeout": %d`, i+1), 1)
		if i >= 997 {
			next = strings.Replace(orig, `"lambda_timeout": 20`, `"lambda_timeout": "last"`, 1)
		}
		s.Edit(c, next)
		if i%50 == 0 {
			s.Completion(c, protocol.Position{Line: 3, Character: 3})
		}
	}
	s.Await("diagnostics after the edits", func(st *lsptest.State) bool {
		for _, u := range uris {
			if hasCode(st.Diagnostics[u], "wrong-type") == nil {
				return false
			}
		}
		return true
	})
	after := s.RSS()
	for b.Loop() {
		s.RSS()
	}
	b.ReportMetric(float64(idle)/(1<<20), "idle-RSS-MB")
	b.ReportMetric(float64(after)/(1<<20), "RSS-after-1000-edits-MB")
	s.Shutdown()
}
