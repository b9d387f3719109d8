package server

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A stage name of 300 bytes used to make a preview file name longer than the
// file system allows.
func TestSafeNameFitsAFileName(t *testing.T) {
	long := strings.Repeat("s", 300)
	n := safeName(long)
	if len(n) > 100 {
		t.Fatalf("safeName is %d bytes", len(n))
	}
	if safeName(long+"x") == n {
		t.Fatal("distinct long stages share a preview name")
	}
	if safeName("prod") != "prod" {
		t.Fatal("short names are kept")
	}
	f := filepath.Join(t.TempDir(), "effective-config-"+n+".json")
	if err := os.WriteFile(f, nil, 0o600); err != nil {
		t.Fatal(err)
	}
}
