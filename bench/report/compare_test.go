package main

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// benchLines renders one `go test -bench` line per value of metric m.
func benchLines(name, m string, vs ...string) string {
	var b strings.Builder
	for _, v := range vs {
		b.WriteString(name + "-2   1   " + v + " " + m + "\n")
	}
	return b.String()
}

// TestCompareVerdicts: a regression needs both a median ratio past the tolerance and
// separated spreads; overlapping spreads are noise whatever the medians; separated
// spreads inside the tolerance are a small change; "higher is better" turns the
// direction round; fewer than 5 rounds give no verdict; failures (the benchmark's or
// its parent's) name the baseline's message.
func TestCompareVerdicts(t *testing.T) {
	dir := t.TempDir()
	before, after := filepath.Join(dir, "before"), filepath.Join(dir, "after")
	writeFile(t, filepath.Join(before, "x.txt"),
		benchLines("BenchmarkSlower", "ms", "10", "11", "12", "10", "11")+
			benchLines("BenchmarkNoisy", "ms", "10", "30", "11", "10", "10")+
			benchLines("BenchmarkSlightly", "ms", "10", "10", "10", "10", "10")+
			benchLines("BenchmarkUnclear", "ms", "10", "10.1", "10", "10", "10")+
			benchLines("BenchmarkFaster", "ms", "10", "11", "12", "10", "11")+
			benchLines("BenchmarkThroughput", "ops", "100", "100", "100", "100", "100")+
			benchLines("BenchmarkZero", "runs", "0", "0", "0", "0", "0")+
			benchLines("BenchmarkFew", "ms", "5", "5", "5")+
			benchLines("BenchmarkGone", "ms", "1", "1", "1", "1", "1")+
			"--- FAIL: BenchmarkNew\n    new_test.go:72: check: exit status 2: flag provided but not defined: -fail-on\n        usage: ...\n"+
			"--- FAIL: BenchmarkTree\n    bench/run.sh:1: not in the baseline: no Go files in lsp/x\n")
	writeFile(t, filepath.Join(after, "x.txt"),
		benchLines("BenchmarkSlower", "ms", "13", "14", "15", "13", "14")+
			benchLines("BenchmarkNoisy", "ms", "25", "12", "26", "25", "25")+
			benchLines("BenchmarkSlightly", "ms", "10.5", "10.5", "10.5", "10.5", "10.5")+
			benchLines("BenchmarkUnclear", "ms", "10.1", "10", "10.1", "10.1", "10.1")+
			benchLines("BenchmarkFaster", "ms", "5", "6", "7", "5", "6")+
			benchLines("BenchmarkThroughput", "ops", "50", "50", "50", "50", "50")+
			benchLines("BenchmarkZero", "runs", "0", "0", "0", "0", "0")+
			benchLines("BenchmarkFew", "ms", "50", "50", "50")+
			benchLines("BenchmarkNew", "ms", "1", "2", "3", "1", "2")+
			benchLines("BenchmarkTree/sub", "ms", "1", "2", "3", "1", "2"))
	fig := func(id, bench, metric string) Figure {
		return Figure{ID: id, Unit: metric, Compare: true, Source: Source{Bench: bench, Metric: metric}}
	}
	throughput := fig("throughput", "BenchmarkThroughput", "ops")
	throughput.Better = "higher"
	figs := []Figure{
		fig("slower", "BenchmarkSlower", "ms"), fig("noisy", "BenchmarkNoisy", "ms"), fig("slightly", "BenchmarkSlightly", "ms"),
		fig("faster", "BenchmarkFaster", "ms"), throughput, fig("zero", "BenchmarkZero", "runs"), fig("few", "BenchmarkFew", "ms"),
		fig("unclear", "BenchmarkUnclear", "ms"), fig("sub", "BenchmarkTree/sub", "ms"),
		fig("new", "BenchmarkNew", "ms"), fig("gone", "BenchmarkGone", "ms"), fig("neither", "BenchmarkNeither", "ms"),
		{ID: "not-compared", Source: Source{Bench: "BenchmarkSlower", Metric: "ms"}},
	}
	cs, err := compare(figs, before, after, 0.10)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"slower": VerdictRegression, "noisy": VerdictSame, "slightly": VerdictSmall, "unclear": VerdictSame, "faster": VerdictImproved,
		"throughput": VerdictRegression, "zero": VerdictSame, "few": VerdictFewSamples, "new": VerdictAfterOnly, "sub": VerdictAfterOnly,
		"gone": VerdictBeforeOnly, "neither": VerdictNoSamples,
	}
	if len(cs) != len(want) {
		t.Fatalf("%d rows, want %d (only figures marked compare): %+v", len(cs), len(want), cs)
	}
	byID := map[string]Comparison{}
	for _, c := range cs {
		byID[c.ID] = c
		if c.Verdict != want[c.ID] {
			t.Errorf("%s: verdict %q, want %q (ratio %v)", c.ID, c.Verdict, want[c.ID], c.Ratio)
		}
	}
	// Paired per round: 13/10, 14/11, 15/12, 13/10, 14/11 -> median 14/11.
	if s := byID["slower"]; !s.Paired || math.Abs(s.Ratio-14.0/11) > 1e-12 || s.RatioMin != 15.0/12 || s.RatioMax != 1.3 {
		t.Errorf("slower: ratio %v (%v-%v) paired %v", s.Ratio, s.RatioMin, s.RatioMax, s.Paired)
	}
	if z := byID["zero"]; z.Ratio != 1 {
		t.Errorf("zero: 0/0 must be a ratio of 1, got %v", z.Ratio)
	}
	if n := byID["new"]; n.BeforeMissing != "failed: check: exit status 2: flag provided but not defined: -fail-on" || n.After == nil {
		t.Errorf("new: before missing %q", n.BeforeMissing)
	}
	if n := byID["sub"]; n.BeforeMissing != "failed: not in the baseline: no Go files in lsp/x" {
		t.Errorf("sub: a parent benchmark's failure explains its sub-benchmarks: %q", n.BeforeMissing)
	}
	if got := regressions(cs); strings.Join(got, " ") != "slower throughput" {
		t.Errorf("regressions %v", got)
	}
	md := markdownComparison(cs, "da7791dd8a12fa14ac78226deb42dc6bc1faa528", 0.10)
	for _, s := range []string{"da7791dd8a12", "| slower | ", "REGRESSION", "n/a: failed: check: exit status 2", "1.27× (1.25-1.3)"} {
		if !strings.Contains(md, s) {
			t.Errorf("markdown lacks %q:\n%s", s, md)
		}
	}
}

func TestReadFailuresFirstMessageLine(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.txt"), "--- FAIL: BenchmarkA/sub\n    a_test.go:12: first\n    a_test.go:13: second\n--- FAIL: BenchmarkB\nFAIL\n")
	got := readFailures(dir)
	if got["BenchmarkA/sub"] != "first" || len(got) != 1 {
		t.Fatalf("%q", got)
	}
}
