package appmodel

import (
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"testing"
)

// resetPeakRSS returns freed memory to the system and resets the process's RSS
// high-water mark (Linux: 5 > /proc/self/clear_refs), so peakRSS measures what
// runs after it, not what earlier tests of the package allocated.
func resetPeakRSS(t *testing.T) {
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		t.Skipf("cannot reset the peak RSS: %v", err)
	}
}

func peakRSS(t *testing.T) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc")
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:")), "%d", &kb)
			return kb << 10
		}
	}
	t.Skip("no VmHWM")
	return 0
}

// A 2 MB deeply nested app.py used to cost about 1 GiB to parse; Python refuses
// more than 200 nested brackets, so it is not parsed, and says so.
func TestDeeplyNestedAppIsRefused(t *testing.T) {
	src := "from chalice import Chalice\napp = Chalice(app_name='x')\nx = " + strings.Repeat("[", 1<<20) + strings.Repeat("]", 1<<20) + "\n"
	resetPeakRSS(t)
	a := Parse("/tmp/nested", []byte(src), nil)
	if peak := peakRSS(t); peak > 400<<20 {
		t.Errorf("peak RSS %d MiB after a 2 MB nested app.py", peak>>20)
	}
	if len(a.ParseErrors) == 0 || !strings.Contains(a.ParseErrors[0].Message, "nested") {
		t.Fatalf("no diagnostic about the nesting: %+v", a.ParseErrors)
	}
	// Brackets in strings and comments do not count.
	ok := "from chalice import Chalice\napp = Chalice(app_name='x')\ns = '" + strings.Repeat("(", 500) + "'\n# " + strings.Repeat("[", 500) + "\n@app.lambda_function()\ndef f(e, c): pass\n"
	if a := Parse("/tmp/ok", []byte(ok), nil); len(a.Handlers) != 1 || len(a.ParseErrors) != 0 {
		t.Fatalf("brackets in strings: %d handlers, %+v", len(a.Handlers), a.ParseErrors)
	}
}

// 20,000 decorators: the first MaxHandlers are analysed, and a warning says so.
func TestHandlerCountIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("from chalice import Chalice\napp = Chalice(app_name='x')\n")
	for i := 0; i < 2*MaxHandlers; i++ {
		fmt.Fprintf(&b, "@app.lambda_function()\ndef f%d(e, c): pass\n", i)
	}
	a := Parse("/tmp/many", []byte(b.String()), nil)
	if len(a.Handlers) != MaxHandlers {
		t.Errorf("%d handlers analysed, want %d", len(a.Handlers), MaxHandlers)
	}
	found := false
	for _, d := range a.ParseErrors {
		found = found || d.Code == "analysis-limit"
	}
	if !found {
		t.Errorf("no analysis-limit warning: %+v", a.ParseErrors)
	}
}
