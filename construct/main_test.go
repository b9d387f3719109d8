package construct_test

// The construct's tests run real things: the jsii kernel (node), `chalice package`
// from the project's virtualenv, Chalice's own Python construct, cfn-lint, the SAM
// translator and the cdk CLI. They share one test binary and, where they can, one
// synthesized CDK app (see fixture in fixture_test.go), because each Go CDK program
// pays seconds of jsii start-up and each Python CDK program tens of seconds.

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/aws/jsii-runtime-go"
)

// env describes the tools the tests use.
var env struct {
	repo    string // repository root
	venv    string // Python virtualenv with chalice, aws-cdk-lib, cfn-lint, aws-sam-translator
	python  string // venv's python
	nodeBin string // directory with node 24, first on PATH
	cdk     string // aws-cdk@2 CLI
}

func TestMain(m *testing.M) {
	reexecWithNode24()
	if err := setupEnv(); err != nil {
		fmt.Fprintln(os.Stderr, "construct tests:", err)
		os.Exit(1)
	}
	snapshotSourceTrees()
	startJobsFor(jobTests)
	code := m.Run()
	if problems := untouchedProblems(); len(problems) > 0 {
		fmt.Fprintln(os.Stderr, "construct tests touched the user source trees:")
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, "  "+p)
		}
		if code == 0 {
			code = 1
		}
	}
	// Stops the node kernel and removes its temporary directory.
	jsii.Close()
	stopBackground()
	os.Exit(code)
}

// reexecWithNode24 restarts the test binary with Node 24 first on PATH unless it
// already is. The jsii runtime resolves `node` when the CDK packages initialise,
// before TestMain runs, so changing PATH here would be too late for this process.
func reexecWithNode24() {
	_, file, _, _ := runtime.Caller(0)
	nodeBin := filepath.Join(filepath.Dir(filepath.Dir(file)), ".tools", "node", "bin")
	if os.Getenv("CONSTRUCT_TEST_REEXEC") != "" {
		return
	}
	if p, err := exec.LookPath("node"); err == nil && filepath.Dir(p) == nodeBin {
		return
	}
	if _, err := os.Stat(filepath.Join(nodeBin, "node")); err != nil {
		return // setupEnv reports the missing Node
	}
	jsii.Close() // the kernel started by package initialisation, with the old node
	self, err := os.Executable()
	if err != nil {
		return
	}
	// Go takes the first of duplicate variables, so PATH is replaced, not appended.
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PATH=") {
			env = append(env, kv)
		}
	}
	env = append(env, "CONSTRUCT_TEST_REEXEC=1", "PATH="+nodeBin+string(os.PathListSeparator)+os.Getenv("PATH"))
	err = syscall.Exec(self, os.Args, env)
	fmt.Fprintf(os.Stderr, "construct tests: could not restart with Node 24 on PATH: %v\n", err)
	os.Exit(1)
}

func setupEnv() error {
	_, file, _, _ := runtime.Caller(0)
	env.repo = filepath.Dir(filepath.Dir(file))
	env.venv = os.Getenv("CHALICE_LSP_VENV")
	if env.venv == "" {
		env.venv = filepath.Join(env.repo, ".venv")
	}
	env.python = filepath.Join(env.venv, "bin", "python")
	if _, err := os.Stat(env.python); err != nil {
		return fmt.Errorf("no Python virtualenv at %s (set CHALICE_LSP_VENV or run `make setup`): %v", env.venv, err)
	}
	for _, tool := range []string{"chalice", "cfn-lint"} {
		if _, err := os.Stat(filepath.Join(env.venv, "bin", tool)); err != nil {
			return fmt.Errorf("%s is missing from %s; run `make setup`", tool, env.venv)
		}
	}
	env.nodeBin = filepath.Join(env.repo, ".tools", "node", "bin")
	if _, err := os.Stat(filepath.Join(env.nodeBin, "node")); err != nil {
		return fmt.Errorf("Node 24 is missing from %s; run `make setup`", env.nodeBin)
	}
	env.cdk = filepath.Join(env.repo, ".tools", "npm", "node_modules", ".bin", "cdk")
	if _, err := os.Stat(env.cdk); err != nil {
		return fmt.Errorf("the aws-cdk@2 CLI is missing (%s); run `make setup`", env.cdk)
	}
	// The jsii kernel and the cdk CLI need Node 24, which must come before the
	// machine's older node. The venv's bin makes `python3` (cdk.json of the Python
	// app) the venv's interpreter.
	os.Setenv("PATH", env.nodeBin+string(os.PathListSeparator)+os.Getenv("PATH"))
	os.Setenv("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "1")
	os.Setenv("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
	// Each test binary gets its own packager cache, so `chalice package` really runs.
	// The packager's cache follows XDG_CACHE_HOME; so would Go's build cache for the
	// `go run` inside `cdk synth`, so pin that first.
	if os.Getenv("GOCACHE") == "" {
		if dir, err := os.UserCacheDir(); err == nil {
			os.Setenv("GOCACHE", filepath.Join(dir, "go-build"))
		}
	}
	cache, err := os.MkdirTemp("", "construct-test-cache-")
	if err != nil {
		return err
	}
	addCleanup(func() { os.RemoveAll(cache) })
	os.Setenv("XDG_CACHE_HOME", cache)
	return nil
}

var cleanups []func()

func addCleanup(f func()) { cleanups = append(cleanups, f) }

// stopBackground runs the cleanups registered outside of tests (background Python
// synth, temporary directories), last first.
func stopBackground() {
	for i := len(cleanups) - 1; i >= 0; i-- {
		cleanups[i]()
	}
}

// venvCmd is a command from the virtualenv with the tests' environment.
func venvCmd(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(env.venv, "bin", name), args...)
	cmd.Env = append(os.Environ(), "AWS_DEFAULT_REGION=us-east-1")
	return cmd
}
