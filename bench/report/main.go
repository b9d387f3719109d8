// Command report turns raw benchmark output into the table `make bench` prints.
//
//	go run ./bench/report -figures bench/figures.json -raw DIR -json OUT.json [-md OUT.md]
//
// DIR holds the outputs of one bench run: `go test -bench` text files (*.txt) and
// anchor results (*.json, one JSON object per line with a "medianMs" or named
// figures). Each figure in figures.json names where its samples come from; the report
// gives the median and the spread (min-max) over the repeated runs, the target, and
// the anchor measured in the same run as a ratio.
//
// With -before DIR (raw outputs of the same benchmarks against a baseline server,
// measured in the same run), a second table sets before beside after for every
// figure marked "compare" in figures.json, with a verdict (compare.go).
//
// Exit status: a bit set per problem, after printing everything it has: 1 when a
// figure has no samples (a benchmark failed or was not run), 4 when a figure regressed
// against the baseline beyond noise; 2 for unusable input.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Figure is one row of the table.
type Figure struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Source Source `json:"source"`
	// Target is the goal in the figure's unit; Better says which way is good.
	Target float64 `json:"target,omitempty"`
	Better string  `json:"better,omitempty"` // "lower" (default) or "higher"
	Unit   string  `json:"unit"`
	// Anchor is measured in the same run; the ratio is figure/anchor.
	Anchor *Source `json:"anchor,omitempty"`
	// RatioTarget applies to the ratio instead of the value.
	RatioTarget float64 `json:"ratioTarget,omitempty"`
	Note        string  `json:"note,omitempty"`
	// Compare: the figure is measured against the baseline server too (bench/run.sh
	// runs its benchmark against both binaries), so it is a row of the before/after table.
	Compare bool `json:"compare,omitempty"`
}

// Source locates samples: a Go benchmark metric, or a key in an anchor JSON file.
type Source struct {
	Bench  string  `json:"bench,omitempty"`  // benchmark name without the -N suffix
	Metric string  `json:"metric,omitempty"` // "ns/op" or a custom b.ReportMetric unit
	File   string  `json:"file,omitempty"`   // anchor JSON lines file in the raw dir
	Key    string  `json:"key,omitempty"`    // numeric key in each JSON line
	Scale  float64 `json:"scale,omitempty"`  // multiply samples (e.g. 1e-6 for ns -> ms)
	Label  string  `json:"label,omitempty"`
}

// Result is one computed row, also written to the JSON file.
type Result struct {
	Figure
	Samples   []float64 `json:"samples"`
	Median    float64   `json:"median"`
	Min       float64   `json:"min"`
	Max       float64   `json:"max"`
	AnchorMed float64   `json:"anchorMedian,omitempty"`
	// Ratio is figure/anchor: the median of the per-run ratios when both have one
	// sample per run (Paired; the runs interleave, so load hits both alike), else
	// the ratio of the medians. RatioMin/RatioMax are the spread of paired ratios.
	Ratio       float64 `json:"ratio,omitempty"`
	Paired      bool    `json:"paired,omitempty"`
	RatioMin    float64 `json:"ratioMin,omitempty"`
	RatioMax    float64 `json:"ratioMax,omitempty"`
	Met         *bool   `json:"met,omitempty"`
	Unavailable string  `json:"unavailable,omitempty"`
}

func main() {
	figPath := flag.String("figures", "bench/figures.json", "figure definitions")
	rawDir := flag.String("raw", "bench/results/raw", "directory with raw outputs")
	jsonOut := flag.String("json", "bench/results/latest.json", "where to write the figures as JSON")
	mdOut := flag.String("md", "", "also write the table as Markdown (for the README)")
	beforeDir := flag.String("before", "", "raw outputs of the baseline server (adds the before/after table)")
	baseline := flag.String("baseline", "", "the baseline's git revision (for the tables' header)")
	tolerance := flag.Float64("tolerance", 0.10, "relative change below which a difference is never a regression (0.10: 10%)")
	flag.Parse()

	var figs []Figure
	data, err := os.ReadFile(*figPath)
	if err == nil {
		err = json.Unmarshal(data, &figs)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "report: cannot read %s: %v\n", *figPath, err)
		os.Exit(2)
	}
	benches, err := readGoBench(*rawDir)
	if err != nil {
		fmt.Fprintf(os.Stderr, "report: %v\n", err)
		os.Exit(2)
	}
	results := compute(figs, benches, *rawDir)
	printTable(results)
	doc := Report{GeneratedAt: time.Now().UTC().Format(time.RFC3339), Host: hostInfo(), Figures: results}
	if *beforeDir != "" {
		cs, err := compare(figs, *beforeDir, *rawDir, *tolerance)
		if err != nil {
			fmt.Fprintf(os.Stderr, "report: %v\n", err)
			os.Exit(2)
		}
		printComparison(cs, *baseline, *tolerance)
		doc.Baseline, doc.Tolerance, doc.Comparison = *baseline, *tolerance, cs
	}
	if err := os.MkdirAll(filepath.Dir(*jsonOut), 0o755); err == nil {
		out, _ := json.MarshalIndent(doc, "", "  ")
		if err := os.WriteFile(*jsonOut, append(out, '\n'), 0o644); err != nil {
			fmt.Fprintf(os.Stderr, "report: %v\n", err)
		}
	}
	if *mdOut != "" {
		if err := os.WriteFile(*mdOut, []byte(markdown(doc)), 0o644); err != nil {
			fmt.Fprintf(os.Stderr, "report: %v\n", err)
		}
	}
	status := 0
	for _, r := range results {
		if r.Unavailable != "" {
			status |= 1
		}
	}
	if len(regressions(doc.Comparison)) > 0 {
		status |= 4
	}
	os.Exit(status)
}

// Report is the JSON file: when and where the figures were measured, and the rows.
type Report struct {
	GeneratedAt string   `json:"generatedAt"`
	Host        Host     `json:"host"`
	Figures     []Result `json:"figures"`
	// The before/after table (with -before): the baseline's revision, the tolerance
	// of the verdicts, one row per compared figure.
	Baseline   string       `json:"baseline,omitempty"`
	Tolerance  float64      `json:"tolerance,omitempty"`
	Comparison []Comparison `json:"comparison,omitempty"`
}

// Host describes the machine, because every figure depends on it.
type Host struct {
	CPUs    int    `json:"cpus"`
	LoadAvg string `json:"loadAvg,omitempty"` // /proc/loadavg when the report was made
	Go      string `json:"go"`
	OS      string `json:"os"`
}

func hostInfo() Host {
	h := Host{CPUs: runtime.NumCPU(), Go: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			h.LoadAvg = strings.Join(f[:3], " ")
		}
	}
	return h
}

// compute turns the samples of one run into the table's rows.
func compute(figs []Figure, benches map[string]map[string][]float64, rawDir string) []Result {
	var results []Result
	for _, f := range figs {
		r := Result{Figure: f}
		r.Samples, r.Unavailable = samples(f.Source, benches, rawDir)
		if len(r.Samples) > 0 {
			r.Median, r.Min, r.Max = stats(r.Samples)
			if f.Anchor != nil {
				if as, _ := samples(*f.Anchor, benches, rawDir); len(as) > 0 {
					r.AnchorMed, _, _ = stats(as)
					if ratios := pairedRatios(r.Samples, as); ratios != nil {
						r.Paired = true
						r.Ratio, r.RatioMin, r.RatioMax = stats(ratios)
					} else if r.AnchorMed != 0 {
						r.Ratio = r.Median / r.AnchorMed
					}
				}
			}
			switch {
			case f.Better == "equal":
				met := r.Min == f.Target && r.Max == f.Target
				r.Met = &met
			case f.RatioTarget > 0 && r.Ratio > 0:
				met := r.Ratio <= f.RatioTarget
				r.Met = &met
			case f.Target != 0:
				met := r.Median <= f.Target
				if f.Better == "higher" {
					met = r.Median >= f.Target
				}
				r.Met = &met
			}
		}
		results = append(results, r)
	}
	return results
}

// readGoBench collects every sample of every metric from `go test -bench` outputs:
// name -> metric -> samples (one per -count repetition).
func readGoBench(dir string) (map[string]map[string][]float64, error) {
	out := map[string]map[string][]float64{}
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
				continue
			}
			name := fields[0]
			if i := strings.LastIndex(name, "-"); i > 0 {
				if _, err := strconv.Atoi(name[i+1:]); err == nil {
					name = name[:i]
				}
			}
			if out[name] == nil {
				out[name] = map[string][]float64{}
			}
			// fields[1] is the iteration count; then value/unit pairs.
			for i := 2; i+1 < len(fields); i += 2 {
				v, err := strconv.ParseFloat(fields[i], 64)
				if err != nil {
					break
				}
				out[name][fields[i+1]] = append(out[name][fields[i+1]], v)
			}
		}
		f.Close()
	}
	return out, nil
}

func samples(s Source, benches map[string]map[string][]float64, dir string) ([]float64, string) {
	scale := s.Scale
	if scale == 0 {
		scale = 1
	}
	var vs []float64
	switch {
	case s.Bench != "":
		metric := s.Metric
		if metric == "" {
			metric = "ns/op"
		}
		raw := benches[s.Bench][metric]
		if len(raw) == 0 {
			return nil, fmt.Sprintf("no %s samples from %s", metric, s.Bench)
		}
		for _, v := range raw {
			vs = append(vs, v*scale)
		}
	case s.File != "":
		data, err := os.ReadFile(filepath.Join(dir, s.File))
		if err != nil {
			return nil, fmt.Sprintf("no %s in the raw outputs", s.File)
		}
		for _, line := range strings.Split(string(data), "\n") {
			var m map[string]any
			if json.Unmarshal([]byte(line), &m) != nil {
				continue
			}
			if v, ok := m[s.Key].(float64); ok {
				vs = append(vs, v*scale)
			}
		}
		if len(vs) == 0 {
			return nil, fmt.Sprintf("no %q in %s", s.Key, s.File)
		}
	default:
		return nil, "no source"
	}
	return vs, ""
}

// pairedRatios divides sample i of a figure by sample i of its anchor, when both
// have the same number of samples (one per interleaved run); nil otherwise.
func pairedRatios(fig, anchor []float64) []float64 {
	if len(fig) != len(anchor) || len(fig) == 0 {
		return nil
	}
	out := make([]float64, len(fig))
	for i := range fig {
		if anchor[i] == 0 {
			return nil
		}
		out[i] = fig[i] / anchor[i]
	}
	return out
}

func stats(vs []float64) (median, lo, hi float64) {
	s := append([]float64(nil), vs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		median = s[n/2]
	} else {
		median = (s[n/2-1] + s[n/2]) / 2
	}
	return median, s[0], s[n-1]
}

// num prints v with about three significant digits and no trailing zeros.
func num(v float64) string {
	var out string
	switch a := math.Abs(v); {
	case a == 0:
		return "0"
	case a >= 100:
		out = strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 10:
		out = strconv.FormatFloat(v, 'f', 1, 64)
	case a >= 1:
		out = strconv.FormatFloat(v, 'f', 2, 64)
	default:
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	if strings.Contains(out, ".") {
		out = strings.TrimRight(strings.TrimRight(out, "0"), ".")
	}
	return out
}

// cells formats a row's target, anchor and status columns.
func cells(r Result) (target, anchor, mark string) {
	if r.RatioTarget > 0 {
		target = "ratio ≤ " + num(r.RatioTarget)
	} else if r.Target != 0 || r.Better == "equal" {
		op := "<"
		switch r.Better {
		case "higher":
			op = "≥"
		case "equal":
			op = "="
		}
		target = fmt.Sprintf("%s %s", op, num(r.Target))
	}
	if r.AnchorMed != 0 {
		anchor = fmt.Sprintf("%s %s (%s×)", num(r.AnchorMed), r.Unit, num(r.Ratio))
		if r.Paired {
			anchor = fmt.Sprintf("%s %s (%s×, %s-%s)", num(r.AnchorMed), r.Unit, num(r.Ratio), num(r.RatioMin), num(r.RatioMax))
		}
	}
	if r.Met != nil {
		mark = "ok"
		if !*r.Met {
			mark = "MISSED"
		}
	}
	return target, anchor, mark
}

// pad pads s with spaces to width runes (left-aligned when width < 0), counting
// runes so µ, ≤ and × do not shift the columns.
func pad(s string, width int) string {
	n := utf8.RuneCountInString(s)
	switch {
	case width < 0 && n < -width:
		return s + strings.Repeat(" ", -width-n)
	case width > 0 && n < width:
		return strings.Repeat(" ", width-n) + s
	}
	return s
}

func printTable(rs []Result) {
	fmt.Println()
	fmt.Println(pad("#", -4), pad("figure", -56), pad("median", 13), pad("spread (min-max)", 19), pad("n", 3), pad("target", 11), pad("anchor (ratio, spread)", 32))
	fmt.Println(strings.Repeat("-", 140))
	for _, r := range rs {
		if r.Unavailable != "" {
			fmt.Println(pad(r.ID, -4), pad(r.Title, -56), pad("n/a", 13), " ("+r.Unavailable+")")
			continue
		}
		target, anchor, mark := cells(r)
		fmt.Println(pad(r.ID, -4), pad(r.Title, -56), pad(num(r.Median), 8), pad(r.Unit, -4), pad(num(r.Min)+"-"+num(r.Max), 19),
			pad(strconv.Itoa(len(r.Samples)), 3), pad(target, 11), pad(anchor, 32), mark)
	}
	fmt.Println()
	for _, r := range rs {
		if r.Note != "" {
			fmt.Println(pad(r.ID, -4), r.Note)
		}
		if r.Anchor != nil && r.Anchor.Label != "" && r.AnchorMed != 0 {
			fmt.Println(pad("", -4), "anchor: "+r.Anchor.Label)
		}
	}
	fmt.Println()
}

// markdown renders the table for the README.
func markdown(doc Report) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Measured %s on %d CPUs (load average %s), %s.\n\n", doc.GeneratedAt, doc.Host.CPUs, doc.Host.LoadAvg, doc.Host.Go)
	b.WriteString("| # | figure | median | spread (min–max) | n | target | anchor (ratio, spread) | |\n|---|---|---|---|---|---|---|---|\n")
	for _, r := range doc.Figures {
		if r.Unavailable != "" {
			fmt.Fprintf(&b, "| %s | %s | n/a | | | | | %s |\n", r.ID, r.Title, r.Unavailable)
			continue
		}
		target, anchor, mark := cells(r)
		fmt.Fprintf(&b, "| %s | %s | %s %s | %s–%s | %d | %s | %s | %s |\n", r.ID, strings.ReplaceAll(r.Title, "|", "\\|"),
			num(r.Median), r.Unit, num(r.Min), num(r.Max), len(r.Samples), target, anchor, mark)
	}
	if len(doc.Comparison) > 0 {
		b.WriteString("\n" + markdownComparison(doc.Comparison, doc.Baseline, doc.Tolerance))
	}
	return b.String()
}
