package packager_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/chalice-lsp/chalice-lsp/packager"
)

// app returns the path of a test app under testdata/packager.
func app(t testing.TB, name string) string {
	t.Helper()
	return filepath.Join(testenv.RepoRoot(t), "testdata", "packager", name)
}

// copyApp copies a test app into a temporary directory the test may modify.
func copyApp(t testing.TB, name string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), name)
	testenv.CopyTree(t, app(t, name), dst)
	return dst
}

// baseEnv is the environment for runs: the test process's, minus any ambient
// AWS region or profile so the packager's own default is what applies.
func baseEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "VIRTUAL_ENV":
			continue
		}
		env = append(env, kv)
	}
	return append(env, extra...)
}

var (
	sharedOnce sync.Once
	sharedP    *packager.Packager
)

// shared is one Packager for tests that only read results, so packaging the same
// app twice across tests costs one chalice run.
func shared(t testing.TB) *packager.Packager {
	t.Helper()
	py := testenv.Python(t)
	sharedOnce.Do(func() {
		sharedP = packager.New(packager.Options{CacheDir: sharedCacheDir, Python: py, Environ: baseEnv()})
	})
	return sharedP
}

var sharedCacheDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "packager-test-cache-")
	if err != nil {
		panic(err)
	}
	sharedCacheDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// asError asserts err is a *packager.Error of class c.
func asError(t testing.TB, err error, c packager.ErrorClass) *packager.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("expected a %s error, got success", c)
	}
	var pe *packager.Error
	if !errors.As(err, &pe) {
		t.Fatalf("expected *packager.Error, got %T: %v", err, err)
	}
	if pe.Class != c {
		t.Fatalf("expected class %s, got %s: %v\noutput:\n%s", c, pe.Class, pe, pe.Output)
	}
	return pe
}

// pkg packages with a generous deadline so a hung run fails the test instead of
// hanging it.
func pkg(t testing.TB, p *packager.Packager, req packager.Request) (*packager.Result, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	return p.Package(ctx, req)
}

// alive reports whether pid exists and is not a zombie.
func alive(pid int) bool {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}

// bareChalicePackage runs `chalice package` directly in dir (a copy the test owns).
func bareChalicePackage(t testing.TB, dir, out string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(testenv.Chalice(t), append(append([]string{"package"}, args...), out)...)
	cmd.Dir = dir
	cmd.Env = baseEnv("AWS_DEFAULT_REGION=us-east-1", "PYTHONDONTWRITEBYTECODE=1")
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("bare chalice package failed: %v\n%s", err, b)
	}
	return b
}
