// Command report turns raw benchmark output into the table `make bench` prints.
//
//	go run ./bench/report -figures bench/figures.json -raw DIR -json OUT.json
//
// DIR holds the outputs of one bench run: `go test -bench` text files (*.txt) and
// anchor results (*.json, one JSON object per line with a "medianMs" or named
// figures). Each figure in figures.json names where its samples come from; the report
// gives the median and the spread (min-max) over the repeated runs, the target, and
// the anchor measured in the same run as a ratio.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
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
	Samples     []float64 `json:"samples"`
	Median      float64   `json:"median"`
	Min         float64   `json:"min"`
	Max         float64   `json:"max"`
	AnchorMed   float64   `json:"anchorMedian,omitempty"`
	Ratio       float64   `json:"ratio,omitempty"`
	Met         *bool     `json:"met,omitempty"`
	Unavailable string    `json:"unavailable,omitempty"`
}

func main() {
	figPath := flag.String("figures", "bench/figures.json", "figure definitions")
	rawDir := flag.String("raw", "bench/results/raw", "directory with raw outputs")
	jsonOut := flag.String("json", "bench/results/latest.json", "where to write the figures as JSON")
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
	var results []Result
	for _, f := range figs {
		r := Result{Figure: f}
		r.Samples, r.Unavailable = samples(f.Source, benches, *rawDir)
		if len(r.Samples) > 0 {
			r.Median, r.Min, r.Max = stats(r.Samples)
			if f.Anchor != nil {
				if as, _ := samples(*f.Anchor, benches, *rawDir); len(as) > 0 {
					r.AnchorMed, _, _ = stats(as)
					if r.AnchorMed != 0 {
						r.Ratio = r.Median / r.AnchorMed
					}
				}
			}
			switch {
			case f.RatioTarget > 0 && r.Ratio > 0:
				met := r.Ratio <= f.RatioTarget
				r.Met = &met
			case f.Target != 0 || f.Better == "equal":
				met := r.Median <= f.Target
				if f.Better == "higher" {
					met = r.Median >= f.Target
				}
				r.Met = &met
			}
		}
		results = append(results, r)
	}
	printTable(results)
	if err := os.MkdirAll(filepath.Dir(*jsonOut), 0o755); err == nil {
		out, _ := json.MarshalIndent(results, "", "  ")
		if err := os.WriteFile(*jsonOut, append(out, '\n'), 0o644); err != nil {
			fmt.Fprintf(os.Stderr, "report: %v\n", err)
		}
	}
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
			return nil, fmt.Sprintf("no anchor file %s", s.File)
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

func num(v float64) string {
	switch a := math.Abs(v); {
	case a == 0:
		return "0"
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	default:
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
}

func printTable(rs []Result) {
	fmt.Printf("\n%-4s %-58s %14s %20s %12s %22s %s\n", "#", "figure", "median", "spread (min-max)", "target", "anchor (ratio)", "")
	fmt.Println(strings.Repeat("-", 140))
	for _, r := range rs {
		if r.Unavailable != "" {
			fmt.Printf("%-4s %-58s %14s   (%s)\n", r.ID, r.Title, "n/a", r.Unavailable)
			continue
		}
		target := ""
		if r.RatioTarget > 0 {
			target = "ratio ≤ " + num(r.RatioTarget)
		} else if r.Target != 0 || r.Better == "equal" {
			op := "<"
			if r.Better == "higher" {
				op = "≥"
			} else if r.Better == "equal" {
				op = "="
			}
			target = fmt.Sprintf("%s %s", op, num(r.Target))
		}
		anchor := ""
		if r.AnchorMed != 0 {
			anchor = fmt.Sprintf("%s (%s×)", num(r.AnchorMed), num(r.Ratio))
		}
		mark := ""
		if r.Met != nil {
			mark = "ok"
			if !*r.Met {
				mark = "MISSED"
			}
		}
		fmt.Printf("%-4s %-58s %11s %-2s %20s %12s %22s %s\n", r.ID, r.Title, num(r.Median), r.Unit,
			num(r.Min)+"-"+num(r.Max), target, anchor, mark)
	}
	fmt.Println()
}
