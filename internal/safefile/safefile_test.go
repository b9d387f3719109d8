package safefile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestReadRefusesSpecialFilesWithoutBlocking(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.py")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.json")
	if err := os.WriteFile(big, make([]byte, 100), 0o600); err != nil {
		t.Fatal(err)
	}
	ok := filepath.Join(dir, "ok.json")
	os.WriteFile(ok, []byte("{}"), 0o600)
	links := map[string]string{"zero.json": "/dev/zero", "stdin.py": "/proc/self/fd/0", "fifo-link": fifo, "dir": dir}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"fifo.py", "zero.json", "stdin.py", "fifo-link", "dir"} {
		_, err := Read(filepath.Join(dir, name))
		var se *SkipError
		if !errors.As(err, &se) || !strings.Contains(se.Error(), name) {
			t.Errorf("%s: want a SkipError naming the file, got %v", name, err)
		}
	}
	if _, err := ReadMax(big, 99); !IsSkipped(err) || !strings.Contains(err.Error(), "larger than 99 bytes") {
		t.Errorf("big file: %v", err)
	}
	if b, err := Read(ok); err != nil || string(b) != "{}" {
		t.Errorf("regular file: %q %v", b, err)
	}
	if _, err := Read(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// A /proc file reports size 0 but can be long: the limit is on what is read.
func TestReadLimitsWhatIsRead(t *testing.T) {
	_, err := ReadMax("/proc/self/maps", 10)
	if !IsSkipped(err) {
		t.Fatalf("want a size SkipError, got %v", err)
	}
}
