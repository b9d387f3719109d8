package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Verdicts of the before/after table.
const (
	VerdictSame       = "within noise"
	VerdictSmall      = "within tolerance"
	VerdictRegression = "REGRESSION"
	VerdictImproved   = "improved"
	VerdictAfterOnly  = "after only"
	VerdictBeforeOnly = "before only"
	VerdictNoSamples  = "no samples"
	VerdictFewSamples = "no verdict (n < 5)"
	minVerdictSamples = 5
)

// Side is one server's samples of a figure.
type Side struct {
	Samples []float64 `json:"samples"`
	Median  float64   `json:"median"`
	Min     float64   `json:"min"`
	Max     float64   `json:"max"`
}

// Comparison is one row of the before/after table: a figure measured against the
// baseline server and the current one in the same run.
type Comparison struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Unit   string `json:"unit"`
	Better string `json:"better,omitempty"`
	Before *Side  `json:"before,omitempty"`
	After  *Side  `json:"after,omitempty"`
	// BeforeMissing/AfterMissing say why a side has no samples (the benchmark's
	// failure message when it failed, e.g. a flag the baseline does not know).
	BeforeMissing string `json:"beforeMissing,omitempty"`
	AfterMissing  string `json:"afterMissing,omitempty"`
	// Ratio is after/before: the median of the per-round ratios when both sides have
	// one sample per round (Paired: rounds interleave, so load hits both alike), else
	// the ratio of the medians. RatioMin/RatioMax: the spread of the paired ratios.
	Ratio    float64 `json:"ratio,omitempty"`
	Paired   bool    `json:"paired,omitempty"`
	RatioMin float64 `json:"ratioMin,omitempty"`
	RatioMax float64 `json:"ratioMax,omitempty"`
	Verdict  string  `json:"verdict"`
}

// compare sets the before samples (the baseline server, read from beforeDir) beside
// the after samples (this tree, afterDir) for every figure marked "compare".
//
// The verdict is a regression only when the change is both large and clear: the
// median ratio is past 1+tolerance in the worse direction AND every after sample is
// worse than every before sample (the spreads do not overlap; with 5 interleaved
// rounds a side, chance alone separates them one way 1 time in 252). A large change
// with overlapping spreads is noise on a shared machine ("within noise"); separated
// spreads with a change inside the tolerance are "within tolerance"; "improved" is the
// mirror image of a regression. Fewer than 5 samples on a side give no verdict.
func compare(figs []Figure, beforeDir, afterDir string, tolerance float64) ([]Comparison, error) {
	before, err := readGoBench(beforeDir)
	if err != nil {
		return nil, err
	}
	after, err := readGoBench(afterDir)
	if err != nil {
		return nil, err
	}
	beforeFail, afterFail := readFailures(beforeDir), readFailures(afterDir)
	var out []Comparison
	for _, f := range figs {
		if !f.Compare {
			continue
		}
		c := Comparison{ID: f.ID, Title: f.Title, Unit: f.Unit, Better: f.Better}
		var bs, as []float64
		bs, c.BeforeMissing = samples(f.Source, before, beforeDir)
		as, c.AfterMissing = samples(f.Source, after, afterDir)
		if msg := failure(beforeFail, f.Source.Bench); len(bs) == 0 && msg != "" {
			c.BeforeMissing = "failed: " + msg
		}
		if msg := failure(afterFail, f.Source.Bench); len(as) == 0 && msg != "" {
			c.AfterMissing = "failed: " + msg
		}
		if len(bs) > 0 {
			c.Before = side(bs)
			c.BeforeMissing = ""
		}
		if len(as) > 0 {
			c.After = side(as)
			c.AfterMissing = ""
		}
		c.Verdict = verdict(&c, tolerance)
		out = append(out, c)
	}
	return out, nil
}

func side(vs []float64) *Side {
	s := &Side{Samples: vs}
	s.Median, s.Min, s.Max = stats(vs)
	return s
}

// verdict fills c's ratio and returns its verdict.
func verdict(c *Comparison, tolerance float64) string {
	switch {
	case c.Before == nil && c.After == nil:
		return VerdictNoSamples
	case c.Before == nil:
		return VerdictAfterOnly
	case c.After == nil:
		return VerdictBeforeOnly
	}
	b, a := c.Before, c.After
	if ratios := pairedRatios(a.Samples, b.Samples); ratios != nil {
		c.Paired = true
		c.Ratio, c.RatioMin, c.RatioMax = stats(ratios)
	} else {
		c.Ratio = ratioOf(a.Median, b.Median)
	}
	if len(a.Samples) < minVerdictSamples || len(b.Samples) < minVerdictSamples {
		return VerdictFewSamples
	}
	// worse > 1 means after is worse than before, whichever way is better.
	worse, separatedWorse, separatedBetter := c.Ratio, a.Min > b.Max, a.Max < b.Min
	if c.Better == "higher" {
		worse = ratioOf(1, worse)
		separatedWorse, separatedBetter = separatedBetter, separatedWorse
	}
	switch {
	case worse > 1+tolerance && separatedWorse:
		return VerdictRegression
	case worse < 1/(1+tolerance) && separatedBetter:
		return VerdictImproved
	case (separatedWorse || separatedBetter) && worse <= 1+tolerance && worse >= 1/(1+tolerance):
		return VerdictSmall
	}
	return VerdictSame
}

// ratioOf is a/b, with 0/0 = 1 (a count that stayed 0) and x/0 = +Inf.
func ratioOf(a, b float64) float64 {
	switch {
	case b != 0:
		return a / b
	case a == 0:
		return 1
	}
	return math.Inf(1)
}

var failLine = regexp.MustCompile(`^--- FAIL: (Benchmark\S+)`)
var fileLine = regexp.MustCompile(`^\s+\S+:\d+: `)

// readFailures returns, per failed benchmark in dir's `go test -bench` outputs, the
// first line of its failure message (without the file:line prefix).
func readFailures(dir string) map[string]string {
	out := map[string]string{}
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		name := ""
		for sc.Scan() {
			line := sc.Text()
			if m := failLine.FindStringSubmatch(line); m != nil {
				name = m[1]
				continue
			}
			if name != "" {
				if loc := fileLine.FindStringIndex(line); loc != nil {
					if _, seen := out[name]; !seen {
						out[name] = strings.TrimSpace(line[loc[1]:])
					}
				}
				name = ""
			}
		}
		f.Close()
	}
	return out
}

// failure is the failure message of benchmark name or of the benchmark it is a
// sub-benchmark of (BenchmarkStructure for BenchmarkStructure/symbols-1MB).
func failure(fails map[string]string, name string) string {
	for {
		if msg, ok := fails[name]; ok {
			return msg
		}
		i := strings.LastIndex(name, "/")
		if i < 0 {
			return ""
		}
		name = name[:i]
	}
}

// regressions lists the IDs with a regression verdict.
func regressions(cs []Comparison) []string {
	var ids []string
	for _, c := range cs {
		if c.Verdict == VerdictRegression {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

// sideCell is "median unit (min-max)" or why the side has no samples.
func sideCell(s *Side, unit, missing string) string {
	if s == nil {
		if missing == "" {
			return "n/a"
		}
		return "n/a: " + missing
	}
	return fmt.Sprintf("%s %s (%s-%s)", num(s.Median), unit, num(s.Min), num(s.Max))
}

func ratioCell(c Comparison) string {
	if c.Before == nil || c.After == nil {
		return ""
	}
	if c.Paired && len(c.Before.Samples) > 1 {
		return fmt.Sprintf("%s× (%s-%s)", num(c.Ratio), num(c.RatioMin), num(c.RatioMax))
	}
	return num(c.Ratio) + "×"
}

// compareHeader says what the before/after table compares.
func compareHeader(baseline string, tolerance float64) string {
	return fmt.Sprintf("Before/after: %s (bench/baseline.conf) vs this tree in the same run, rounds interleaved "+
		"(server figures: the same harness against both servers; in-process figures: each tree's own benchmark). "+
		"after/before = median of the per-round ratios (their spread); REGRESSION = past %s× with the spreads apart; "+
		"within tolerance = spreads apart, change under %s%%; within noise = spreads overlap",
		short(baseline), num(1+tolerance), num(100*tolerance))
}

func short(rev string) string {
	if len(rev) > 12 {
		return rev[:12]
	}
	if rev == "" {
		return "the baseline"
	}
	return rev
}

func printComparison(cs []Comparison, baseline string, tolerance float64) {
	fmt.Println(compareHeader(baseline, tolerance))
	fmt.Println()
	width := len("figure")
	for _, c := range cs {
		width = max(width, utf8.RuneCountInString(c.Title))
	}
	fmt.Println(pad("#", -4), pad("figure", -width), pad("before (min-max)", -26), pad("after (min-max)", -26), pad("after/before", -20), "verdict")
	fmt.Println(strings.Repeat("-", width+90))
	var notes []string
	for _, c := range cs {
		b, a := sideCell(c.Before, c.Unit, ""), sideCell(c.After, c.Unit, "")
		for _, m := range []struct{ side, why string }{{"before", c.BeforeMissing}, {"after", c.AfterMissing}} {
			if m.why != "" && c.Verdict != VerdictNoSamples { // not measured in this run: no note
				notes = append(notes, fmt.Sprintf("%s %s: %s", pad(c.ID, -4), m.side, m.why))
			}
		}
		fmt.Println(pad(c.ID, -4), pad(c.Title, -width), pad(b, -26), pad(a, -26), pad(ratioCell(c), -20), c.Verdict)
	}
	fmt.Println()
	for _, n := range notes {
		fmt.Println(n)
	}
	if ids := regressions(cs); len(ids) > 0 {
		// run.sh reads this line for its summary.
		fmt.Println("REGRESSED: " + strings.Join(ids, " "))
	} else {
		fmt.Printf("no regression beyond noise in %d compared figures\n", len(cs))
	}
	fmt.Println()
}

func markdownComparison(cs []Comparison, baseline string, tolerance float64) string {
	var b strings.Builder
	b.WriteString(compareHeader(baseline, tolerance) + ".\n\n")
	b.WriteString("| # | figure | before (min–max) | after (min–max) | after/before (spread) | verdict |\n|---|---|---|---|---|---|\n")
	esc := func(s string) string { return strings.ReplaceAll(s, "|", "\\|") }
	for _, c := range cs {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", c.ID, esc(c.Title),
			esc(sideCell(c.Before, c.Unit, c.BeforeMissing)), esc(sideCell(c.After, c.Unit, c.AfterMissing)),
			ratioCell(c), c.Verdict)
	}
	return b.String()
}
