package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// WriteTree writes files (slash-separated paths relative to root, and their
// content) below root, creating directories as needed, and returns root. It
// fails the test on any error.
func WriteTree(tb testing.TB, root string, files map[string]string) string {
	tb.Helper()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return root
}

// BigApp returns an app.py of lines lines (rounded up to a whole handler):
// routes, lambda functions, schedules and SQS handlers in turn, the document of
// the "500-line app.py" benchmarks (parse, inlay hints).
func BigApp(lines int) []byte {
	var b strings.Builder
	b.WriteString("from chalice import Chalice, Rate\nimport os\n\napp = Chalice(app_name='big')\n\n")
	for i, n := 0, 5; n < lines; i++ {
		var h string
		switch i % 4 {
		case 0:
			h = fmt.Sprintf("@app.route('/items/%d', methods=['GET', 'POST'])\ndef view_%d():\n    return {'i': %d}\n\n", i, i, i)
		case 1:
			h = fmt.Sprintf("@app.lambda_function(name='fn_%d')\ndef fn_%d(event, context):\n    x = [y * 2 for y in range(10)]\n    return {'x': x}\n\n", i, i)
		case 2:
			h = fmt.Sprintf("@app.schedule(Rate(%d, unit=Rate.MINUTES))\ndef sched_%d(event):\n    print(os.environ.get('X'))\n\n", i+1, i)
		case 3:
			h = fmt.Sprintf("@app.on_sqs_message(queue='q%d', batch_size=10)\ndef sqs_%d(event):\n    for r in event:\n        print(r.body)\n\n", i, i)
		}
		b.WriteString(h)
		n += strings.Count(h, "\n")
	}
	return []byte(b.String())
}

// Latencies runs f b.N times and reports the median and the 99th percentile of
// one call in µs (metrics "p50-µs" and "p99-µs"): what a user waits for on one
// request, which ns/op (a mean) hides.
func Latencies(b *testing.B, f func()) {
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
