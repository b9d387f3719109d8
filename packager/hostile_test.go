package packager_test

// The packager's part of the hostile-repository suite: a private cache that cannot
// be planted, a damaged entry that is repaired, and symlink loops walked once.

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/chalice-lsp/chalice-lsp/packager"
)

func countingReq(t *testing.T) packager.Request {
	dir := copyApp(t, "counter")
	return packager.Request{SourceDir: dir, Package: packager.PackageConfig{Env: map[string]string{"COUNT_FILE": filepath.Join(t.TempDir(), "count")}}}
}

// Templates hold environment-variable values and are deployed from the cache, so
// every directory is 0700 and every file 0600.
func TestCacheIsPrivate(t *testing.T) {
	py := testenv.Python(t)
	cache := filepath.Join(t.TempDir(), "cache")
	p := packager.New(packager.Options{CacheDir: cache, Python: py, Environ: baseEnv()})
	if _, err := pkg(t, p, countingReq(t)); err != nil {
		t.Fatal(err)
	}
	n := 0
	filepath.WalkDir(cache, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		st, _ := os.Lstat(path)
		switch {
		case d.IsDir() && st.Mode().Perm() != 0o700:
			t.Errorf("directory %s is %04o, want 0700", path, st.Mode().Perm())
		case st.Mode().IsRegular() && strings.Contains(path, string(filepath.Separator)+"packages"+string(filepath.Separator)) && st.Mode().Perm() != 0o600:
			t.Errorf("file %s is %04o, want 0600", path, st.Mode().Perm())
		}
		n++
		return nil
	})
	if n < 4 {
		t.Fatalf("the cache holds %d entries", n)
	}
}

// A cache directory another user could have planted is refused, before anything
// in it is read.
func TestPlantedCacheIsRefused(t *testing.T) {
	py := testenv.Python(t)
	req := countingReq(t)
	open := filepath.Join(t.TempDir(), "open")
	os.Mkdir(open, 0o777)
	os.Chmod(open, 0o777) // past the umask: writable by everyone, as /tmp/<name> could be
	p := packager.New(packager.Options{CacheDir: open, Python: py, Environ: baseEnv()})
	_, err := pkg(t, p, req)
	var pe *packager.Error
	if !errors.As(err, &pe) || pe.Class != packager.ClassIO || !strings.Contains(pe.Message, "other users can write") {
		t.Fatalf("world-writable cache: %v", err)
	}
	if p.Stats().Runs != 0 {
		t.Fatal("chalice ran with a refused cache")
	}
	if os.Getuid() == 0 {
		// Another user's directory (only root can make one here).
		theirs := filepath.Join(t.TempDir(), "theirs")
		os.Mkdir(theirs, 0o700)
		os.Chown(theirs, 65534, 65534)
		p := packager.New(packager.Options{CacheDir: theirs, Python: py, Environ: baseEnv()})
		if _, err := pkg(t, p, req); err == nil || !strings.Contains(err.Error(), "belongs to user 65534") {
			t.Fatalf("another user's cache: %v", err)
		}
	}
	// A directory of ours that others may only read (an older version made it 0755)
	// becomes private.
	old := filepath.Join(t.TempDir(), "old")
	os.Mkdir(old, 0o755)
	os.Chmod(old, 0o755)
	p = packager.New(packager.Options{CacheDir: old, Python: py, Environ: baseEnv()})
	if _, err := p.EnsureCacheDir(); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(old); st.Mode().Perm() != 0o700 {
		t.Fatalf("old cache is %04o", st.Mode().Perm())
	}
}

// Without HOME and XDG_CACHE_HOME there is no predictable shared fallback.
func TestNoPredictableCacheFallback(t *testing.T) {
	t.Setenv("HOME", "")
	t.Setenv("XDG_CACHE_HOME", "")
	a, b := packager.New(packager.Options{}).CacheDir(), packager.New(packager.Options{}).CacheDir()
	t.Cleanup(func() { os.RemoveAll(a); os.RemoveAll(b) })
	if a == b || strings.HasSuffix(a, "-"+itoa(os.Getuid())) {
		t.Fatalf("predictable cache dirs: %s, %s", a, b)
	}
	for _, d := range []string{a, b} {
		if st, err := os.Stat(d); err != nil || st.Mode().Perm() != 0o700 {
			t.Fatalf("%s: %v %v", d, st, err)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// A damaged cache entry (a torn template) is replaced by a new run, and the error
// never blames chalice for the cache.
func TestDamagedCacheEntryIsRepaired(t *testing.T) {
	py := testenv.Python(t)
	cache := t.TempDir()
	req := countingReq(t)
	r1, err := pkg(t, packager.New(packager.Options{CacheDir: cache, Python: py, Environ: baseEnv()}), req)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(r1.TemplatePath, []byte(`{"Resources": {`), 0o600); err != nil {
		t.Fatal(err)
	}
	p2 := packager.New(packager.Options{CacheDir: cache, Python: py, Environ: baseEnv()})
	r2, err := pkg(t, p2, req)
	if err != nil {
		t.Fatalf("a damaged cache entry made packaging fail: %v", err)
	}
	if r2.Cached || p2.Stats().Runs != 1 {
		t.Fatalf("want a new run: cached=%v stats=%+v", r2.Cached, p2.Stats())
	}
	p3 := packager.New(packager.Options{CacheDir: cache, Python: py, Environ: baseEnv()})
	r3, err := pkg(t, p3, req)
	if err != nil || !r3.Cached || p3.Stats().Runs != 0 {
		t.Fatalf("the repaired entry is not used: %v %+v", err, p3.Stats())
	}
}
