package appfeatures

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
	"github.com/chalice-lsp/chalice-lsp/internal/settings"
)

// benchApp is a 500-line app.py of routes, lambda functions, schedules and SQS
// handlers (the shape of schema/appmodel's BenchmarkParse500Lines document).
func benchApp(lines int) []byte {
	var b strings.Builder
	b.WriteString("from chalice import Chalice, Rate\nimport os\n\napp = Chalice(app_name='big')\n\n")
	for i := 0; strings.Count(b.String(), "\n") < lines; i++ {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, "@app.route('/items/%d', methods=['GET', 'POST'])\ndef view_%d():\n    return {'i': %d}\n\n", i, i, i)
		case 1:
			fmt.Fprintf(&b, "@app.lambda_function(name='fn_%d')\ndef fn_%d(event, context):\n    x = [y * 2 for y in range(10)]\n    return {'x': x}\n\n", i, i)
		case 2:
			fmt.Fprintf(&b, "@app.schedule(Rate(%d, unit=Rate.MINUTES))\ndef sched_%d(event):\n    print(os.environ.get('X'))\n\n", i+1, i)
		case 3:
			fmt.Fprintf(&b, "@app.on_sqs_message(queue='q%d', batch_size=10)\ndef sqs_%d(event):\n    for r in event:\n        print(r.body)\n\n", i, i)
		}
	}
	return []byte(b.String())
}

// latencies runs f b.N times and reports the median and p99 in µs.
func latencies(b *testing.B, f func()) {
	ts := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		f()
		ts = append(ts, time.Since(t0))
	}
	b.StopTimer()
	sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
	q := func(p float64) float64 {
		return float64(ts[min(len(ts)-1, int(p*float64(len(ts))))].Nanoseconds()) / 1e3
	}
	b.ReportMetric(q(0.5), "p50-µs")
	b.ReportMetric(q(0.99), "p99-µs")
}

// BenchmarkInlayHints500Lines times the inlay hints of a 500-line app.py over
// the whole file: "after-edit" is the keystroke path (a new snapshot with the
// edited document, so app.py is parsed again and the IDs predicted again),
// "cached" a repeated request on one snapshot.
func BenchmarkInlayHints500Lines(b *testing.B) {
	root := b.TempDir()
	src := benchApp(500)
	for p, c := range map[string][]byte{"big/.chalice/config.json": []byte(`{"version": "2.0", "app_name": "big"}`), "big/app.py": src} {
		full := filepath.Join(root, p)
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, c, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	app := filepath.Join(root, "big", "app.py")
	snap := analysis.FromDisk(os.ReadFile, settings.Defaults(), root)
	if n := len(InlayHints(snap, app, 0, len(src))); n < 100 {
		b.Fatalf("only %d hints in the 500-line app", n)
	}
	b.Run("after-edit", func(b *testing.B) {
		v := int32(0)
		latencies(b, func() {
			v++
			edited := append(append([]byte{}, src...), fmt.Sprintf("# edit %d\n", v)...)
			next, _ := snap.Modify(analysis.Changes{Open: []*analysis.Document{{Path: app, Version: v, Content: edited}}})
			InlayHints(next, app, 0, len(edited))
		})
	})
	b.Run("cached", func(b *testing.B) {
		latencies(b, func() { InlayHints(snap, app, 0, len(src)) })
	})
}
