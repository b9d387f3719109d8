package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestCompute: samples come from go test -bench lines (the -N suffix stripped, one
// sample per -count run, custom metrics included) and anchor JSON lines; medians,
// spreads, paired ratios and targets follow.
func TestCompute(t *testing.T) {
	dir := t.TempDir()
	bench := `goos: linux
BenchmarkA-2            100     2000000 ns/op      1.5 p99-ms
BenchmarkA-2            100     4000000 ns/op      2.5 p99-ms
BenchmarkA-2            100     3000000 ns/op      0.5 p99-ms
BenchmarkRuns/disk-2     10     1000 ns/op         0 chalice-runs
BenchmarkRuns/disk-2     10     1000 ns/op         1 chalice-runs
PASS
`
	anchor := "{\"meanMs\": 4}\nnot json\n{\"meanMs\": 4}\n{\"other\": 1}\n{\"meanMs\": 12}\n"
	if err := os.WriteFile(filepath.Join(dir, "x.txt"), []byte(bench), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "anchor.json"), []byte(anchor), 0o644); err != nil {
		t.Fatal(err)
	}
	benches, err := readGoBench(dir)
	if err != nil {
		t.Fatal(err)
	}
	figs := []Figure{
		{ID: "a", Source: Source{Bench: "BenchmarkA", Scale: 1e-6}, Target: 2.5, Anchor: &Source{File: "anchor.json", Key: "meanMs"}},
		{ID: "p99", Source: Source{Bench: "BenchmarkA", Metric: "p99-ms"}, Target: 1},
		{ID: "runs", Source: Source{Bench: "BenchmarkRuns/disk", Metric: "chalice-runs"}, Better: "equal"},
		{ID: "ratio", Source: Source{Bench: "BenchmarkA", Scale: 1e-6}, Anchor: &Source{File: "anchor.json", Key: "meanMs"}, RatioTarget: 0.5},
		{ID: "missing", Source: Source{Bench: "BenchmarkNope"}},
	}
	rs := compute(figs, benches, dir)
	a := rs[0]
	if a.Median != 3 || a.Min != 2 || a.Max != 4 || len(a.Samples) != 3 {
		t.Fatalf("a: median %v spread %v-%v samples %v", a.Median, a.Min, a.Max, a.Samples)
	}
	// Paired: 2/4, 4/4, 3/12 -> median 0.5 (not 3/4, the ratio of the medians).
	if !a.Paired || a.AnchorMed != 4 || a.Ratio != 0.5 || a.RatioMin != 0.25 || a.RatioMax != 1 {
		t.Fatalf("a: anchor %v ratio %v (%v-%v) paired %v", a.AnchorMed, a.Ratio, a.RatioMin, a.RatioMax, a.Paired)
	}
	if a.Met == nil || *a.Met {
		t.Fatal("a: a median of 3 ms misses the target of 2.5 ms")
	}
	if p := rs[1]; p.Median != 1.5 || p.Met == nil || *p.Met {
		t.Fatalf("p99: median %v met %v, want 1.5 and missed (target 1)", p.Median, p.Met)
	}
	if r := rs[2]; r.Met == nil || *r.Met || r.Max != 1 {
		t.Fatalf("runs: one run with a chalice run must miss \"= 0\": %+v", r)
	}
	if r := rs[3]; r.Met == nil || !*r.Met {
		t.Fatalf("ratio: a paired ratio of 0.5 meets a ratio target of 0.5: %+v", r)
	}
	if r := rs[4]; r.Unavailable == "" || r.Met != nil {
		t.Fatalf("missing: a figure without samples must be unavailable: %+v", r)
	}
}

// TestPairedRatiosNeedOneSamplePerRun: different sample counts cannot be paired.
func TestPairedRatiosNeedOneSamplePerRun(t *testing.T) {
	if pairedRatios([]float64{1, 2}, []float64{1}) != nil || pairedRatios(nil, nil) != nil || pairedRatios([]float64{1}, []float64{0}) != nil {
		t.Fatal("unpairable samples were paired")
	}
}

func TestNum(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 50: "50", 49.25: "49.2", 1.10: "1.1", 0.000123: "0.000123", 1234.5: "1234", 2.5: "2.5"} {
		if got := num(v); got != want {
			t.Errorf("num(%v) = %q, want %q", v, got, want)
		}
	}
}
