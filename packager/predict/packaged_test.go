package predict

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/chalice-lsp/chalice-lsp/schema/effective"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// workRoot holds the copies of the testdata projects that tests package. It
// outlives single tests because packaging results are shared between them.
var workRoot string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "predict-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "cannot create a temporary directory for the packaging runs:", err)
		os.Exit(1)
	}
	workRoot = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// packageRun is one real `chalice package` run of a testdata project for one
// stage. Each project/stage is packaged at most once per test process, however
// many tests look at it (the golden test and the prediction test both do):
// a run costs 1-2 s and there are dozens.
type packageRun struct {
	once sync.Once
	// Dir is the packaged copy of the project (appmodel loads it from there,
	// so prediction and truth see the same files).
	Dir string
	// Resources maps logical ID to type; nil when packaging failed.
	Resources map[string]string
	// Err says why packaging failed (nil on success); ExitCode and Output
	// are chalice's exit status and combined output.
	Err      error
	ExitCode int
	Output   string
}

var (
	runsMu sync.Mutex
	runs   = map[string]*packageRun{}
)

// importEnv names the environment variables a testdata project needs at
// import, each given a fresh file path.
var importEnv = map[string]string{
	// counts its imports, for the packager's cache tests
	"testdata/packager/counter": "COUNT_FILE",
}

// packaged returns the result of packaging the project at rel (slash path
// relative to the repository root) for stage, running chalice the first time.
func packaged(t *testing.T, rel, stage string) *packageRun {
	t.Helper()
	bin := testenv.Chalice(t)
	repo := testenv.RepoRoot(t)
	key := rel + "\x00" + stage
	runsMu.Lock()
	r := runs[key]
	if r == nil {
		r = &packageRun{}
		runs[key] = r
	}
	runsMu.Unlock()
	r.once.Do(func() {
		// Stays set if the setup below stops this test with t.Fatal, so
		// that other tests waiting on the same run fail too.
		r.Err = errors.New("setting up the packaging run failed (see the test that ran it)")
		r.run(t, bin, filepath.Join(repo, filepath.FromSlash(rel)), rel, stage)
	})
	return r
}

func (r *packageRun) run(t *testing.T, bin, src, rel, stage string) {
	t.Helper()
	base := filepath.Join(workRoot, strings.ReplaceAll(rel, "/", "_")+"@"+stage)
	r.Dir = filepath.Join(base, filepath.Base(src))
	out := filepath.Join(base, "out")
	testenv.CopyTree(t, src, r.Dir)
	// chalice package installs requirements.txt with pip from PyPI: ~10 s a
	// run and a network dependency. Dependencies change no logical ID unless
	// the managed layer exists, so a project that never mentions
	// automatic_layer is packaged without them. (Prediction and truth both
	// look at this copy.)
	cfg, err := os.ReadFile(filepath.Join(r.Dir, ".chalice", "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	if req := filepath.Join(r.Dir, "requirements.txt"); !strings.Contains(string(cfg), "automatic_layer") {
		if _, err := os.Stat(req); err == nil {
			if err := os.WriteFile(req, nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "package", "--stage", stage, out)
	cmd.Dir = r.Dir
	cmd.Env = append(os.Environ(), "AWS_DEFAULT_REGION=us-east-1")
	if name, ok := importEnv[rel]; ok {
		cmd.Env = append(cmd.Env, name+"="+filepath.Join(base, strings.ToLower(name)))
	}
	// An app may start processes at import. In its own process group they
	// can all be killed: on timeout, and when chalice has exited (one that
	// outlived it would otherwise run on). Output goes to a file rather than
	// a pipe, so that Wait does not wait for such a process either.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	logFile, err := os.Create(filepath.Join(base, "chalice.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	cmd.Stdout, cmd.Stderr = logFile, logFile
	err = cmd.Start()
	if err == nil {
		err = cmd.Wait()
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	b, _ := os.ReadFile(logFile.Name())
	r.Output = string(b)
	if err != nil {
		r.ExitCode = -1
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			r.ExitCode = exit.ExitCode()
		}
		r.Err = fmt.Errorf("chalice package --stage %s in a copy of %s: %w", stage, rel, err)
		return
	}
	tmpl, err := os.ReadFile(filepath.Join(out, "sam.json"))
	if err != nil {
		r.Err = err
		return
	}
	var sam struct {
		Resources map[string]struct{ Type string }
	}
	if err := json.Unmarshal(tmpl, &sam); err != nil {
		r.Err = fmt.Errorf("%s/sam.json: %w", out, err)
		return
	}
	r.Resources = map[string]string{}
	for id, res := range sam.Resources {
		r.Resources[id] = res.Type
	}
	r.Err = nil
}

// projectStages returns the stages of the project at rel (repository-relative
// slash path), as effective.Stages lists them: "dev" plus those in the config.
func projectStages(t *testing.T, rel string) ([]string, *jsonpos.Node) {
	t.Helper()
	path := filepath.Join(testenv.RepoRoot(t), filepath.FromSlash(rel), ".chalice", "config.json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	root, errs := jsonpos.Parse(b)
	if len(errs) > 0 {
		t.Fatalf("%s: %v", path, errs)
	}
	return effective.Stages(root), root
}

// idLines renders logical ID -> type as sorted "ID Type" lines.
func idLines(ids map[string]string) []string {
	var out []string
	for id, typ := range ids {
		out = append(out, id+" "+typ)
	}
	sort.Strings(out)
	return out
}

// tail returns the last n bytes of s, for error messages quoting chalice output.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}
