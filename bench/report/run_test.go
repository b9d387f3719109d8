package main

import (
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/chalice-lsp/chalice-lsp/lsp/lsptest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	lsptest.RemoveBinary()
	os.Exit(code)
}

// TestBeforeAfterTwoBuildsOfThisTree runs bench/run.sh's before/after path for real
// with two builds of the current tree: the baseline exported and built by
// bench/baseline.sh from HEAD, the current server by the test harness. The steps run are
// the server's (lsp, monorepo: one harness against two servers) and context (each
// tree's own in-process benchmarks), one round with about one iteration each
// (BENCH_QUICK), so the test checks the plumbing, never a timing: every compared figure
// of those steps is a row with samples on both sides and a ratio that parses in the
// text and JSON tables, the other figures are rows without samples, and with one round
// a side the verdict is "no verdict".
func TestBeforeAfterTwoBuildsOfThisTree(t *testing.T) {
	root := testenv.RepoRoot(t)
	testenv.Chalice(t)
	if out, err := exec.Command("git", "-C", root, "rev-parse", "--verify", "HEAD").CombinedOutput(); err != nil {
		t.Fatalf("the baseline is built from a git revision, but %s is no git checkout: %v\n%s", root, err, out)
	}
	results := t.TempDir()
	cmd := exec.Command(filepath.Join(root, "bench", "run.sh"))
	cmd.Env = append(os.Environ(),
		"BENCH_ONLY=lsp monorepo context", "BENCH_COUNT=1", "BENCH_QUICK=1", "BASELINE=HEAD",
		"BENCH_RESULTS="+results, "BENCH_AFTER_BIN="+lsptest.Binary(t))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("bench/run.sh: %v\n%s", err, out)
	}

	var figs []Figure
	data, err := os.ReadFile(filepath.Join(root, "bench", "figures.json"))
	if err == nil {
		err = json.Unmarshal(data, &figs)
	}
	if err != nil {
		t.Fatal(err)
	}
	var doc Report
	if data, err = os.ReadFile(filepath.Join(results, "latest.json")); err == nil {
		err = json.Unmarshal(data, &doc)
	}
	if err != nil {
		t.Fatal(err)
	}
	head, _ := exec.Command("git", "-C", root, "rev-parse", "HEAD").Output()
	if doc.Baseline != strings.TrimSpace(string(head)) {
		t.Errorf("baseline %q, want HEAD %s", doc.Baseline, head)
	}
	text, err := os.ReadFile(filepath.Join(results, "latest.txt"))
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]Comparison{}
	for _, c := range doc.Comparison {
		rows[c.ID] = c
	}
	measured := func(bench string) bool {
		for _, p := range []string{"BenchmarkLogicalIDCompletion/", "BenchmarkConfigDiagnostics", "BenchmarkFirstCompletion", "BenchmarkRSS",
			"BenchmarkMonorepo", "BenchmarkCheck3KB", "BenchmarkParse500Lines"} {
			if strings.HasPrefix(bench, p) {
				return true
			}
		}
		return false
	}
	n, inRun := 0, 0
	for _, f := range figs {
		if !f.Compare {
			continue
		}
		n++
		c, ok := rows[f.ID]
		if ok && !measured(f.Source.Bench) {
			if c.Verdict != VerdictNoSamples {
				t.Errorf("%s: not measured in this run, but verdict %q", f.ID, c.Verdict)
			}
			continue
		}
		inRun++
		switch {
		case !ok:
			t.Errorf("%s: no row in the before/after table", f.ID)
			continue
		case c.Before == nil || c.After == nil:
			t.Errorf("%s: a side has no samples (before: %s, after: %s)", f.ID, c.BeforeMissing, c.AfterMissing)
			continue
		case c.Ratio <= 0 || math.IsInf(c.Ratio, 0) || math.IsNaN(c.Ratio):
			t.Errorf("%s: ratio %v", f.ID, c.Ratio)
		case c.Verdict != VerdictFewSamples:
			t.Errorf("%s: verdict %q from one round a side, want %q", f.ID, c.Verdict, VerdictFewSamples)
		}
		line := textRow(string(text), f)
		if line == "" {
			t.Errorf("%s: no row in latest.txt", f.ID)
			continue
		}
		if r, ok := parseRatio(line); !ok || math.Abs(r-c.Ratio) > 0.01*c.Ratio+1e-3 {
			t.Errorf("%s: latest.txt row %q: ratio %v (parsed %v), JSON %v", f.ID, line, r, ok, c.Ratio)
		}
	}
	if inRun < 20 || len(doc.Comparison) != n {
		t.Errorf("%d rows for %d figures marked compare, %d measured in this run", len(doc.Comparison), n, inRun)
	}
	if !strings.Contains(string(text), "no regression beyond noise in ") {
		t.Errorf("latest.txt has no regression summary:\n%s", text)
	}
}

// textRow finds figure f's row in the before/after text table (the one with a
// verdict, after the main table's row of the same figure).
func textRow(text string, f Figure) string {
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, pad(f.ID, -4)+" "+f.Title+" ") && strings.Contains(line, VerdictFewSamples) {
			return line
		}
	}
	return ""
}

// parseRatio reads the after/before cell of a text row ("… 1.2× (0.9-1.5) …"): the
// number before "×".
func parseRatio(line string) (float64, bool) {
	head, _, found := strings.Cut(line, "×")
	if !found {
		return 0, false
	}
	fields := strings.Fields(head)
	if len(fields) == 0 {
		return 0, false
	}
	v, err := strconv.ParseFloat(fields[len(fields)-1], 64)
	return v, err == nil
}
