package packager

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestOlderRequestLosesSlot covers the race where an older request finishes its
// preparation after a newer one took the slot: the older one must give way, not
// cancel the newer one.
func TestOlderRequestLosesSlot(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Dir(filepath.Dir(file))
	venv := os.Getenv("CHALICE_LSP_VENV")
	if venv == "" {
		venv = filepath.Join(root, ".venv")
	}
	py := filepath.Join(venv, "bin", "python")
	if _, err := os.Stat(py); err != nil {
		t.Fatalf("the Python venv with chalice is missing (%s): run `make setup`", py)
	}
	p := New(Options{CacheDir: t.TempDir(), Python: py})
	var newerCancelled error
	p.slots["slot"] = &slotReq{seq: 1 << 40, cancel: func(cause error) { newerCancelled = cause }}
	_, err := p.Package(context.Background(), Request{SourceDir: filepath.Join(root, "testdata", "packager", "basic"), Supersede: "slot"})
	var pe *Error
	if !errors.As(err, &pe) || pe.Class != ClassSuperseded {
		t.Fatalf("older request: %v", err)
	}
	if newerCancelled != nil {
		t.Errorf("the older request cancelled the newer one: %v", newerCancelled)
	}
	if p.slots["slot"] == nil || p.slots["slot"].seq != 1<<40 {
		t.Errorf("the newer request lost its slot")
	}
}
