package server

import (
	"sync"
	"time"
)

// MethodLatencies is a custom request ("chalice-lsp/latencies", no params) that
// returns and resets the server-side durations, in microseconds, of recent
// completion and hover requests and of didChange-to-publishDiagnostics. The
// benchmarks use it to report server-side percentiles; it is cheap enough to stay
// on in production (a bounded ring per kind).
const MethodLatencies = "chalice-lsp/latencies"

const latencyRing = 4096

type latencies struct {
	mu   sync.Mutex
	data map[string][]int64
}

func (l *latencies) record(kind string, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.data == nil {
		l.data = map[string][]int64{}
	}
	xs := l.data[kind]
	if len(xs) >= latencyRing {
		xs = xs[1:]
	}
	l.data[kind] = append(xs, d.Microseconds())
}

func (l *latencies) take() map[string][]int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.data
	l.data = nil
	if out == nil {
		out = map[string][]int64{}
	}
	return out
}

// MethodStats is a custom request ("chalice-lsp/stats", no params) that returns
// the packager's counters (packager.Stats: chalice runs, cache hits, shared
// runs). Tests use it to count real `chalice package` runs, e.g. that a burst of
// saves packages once.
const MethodStats = "chalice-lsp/stats"
