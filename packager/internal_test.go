package packager

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
)

// TestOlderRequestLosesSlot covers the race where an older request finishes its
// preparation after a newer one took the slot: the older one must give way, not
// cancel the newer one, and must not start chalice at all.
func TestOlderRequestLosesSlot(t *testing.T) {
	p := New(Options{CacheDir: t.TempDir(), Python: testenv.Python(t)})
	basic := filepath.Join(testenv.RepoRoot(t), "testdata", "packager", "basic")
	var newerCancelled error
	p.slots["slot"] = &slotReq{seq: 1 << 40, key: "other inputs", running: map[int64]context.CancelCauseFunc{1 << 40: func(cause error) { newerCancelled = cause }}}
	_, err := p.Package(context.Background(), Request{SourceDir: basic, Supersede: "slot"})
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
	if n := p.Stats().Runs; n != 0 {
		t.Errorf("the superseded request started %d chalice runs", n)
	}
}

// TestFinishedRequestKeepsSlot checks that a request that already finished still
// outranks an older one that was slower to prepare: the older one would otherwise
// run and replace the newer result with one from stale inputs.
func TestFinishedRequestKeepsSlot(t *testing.T) {
	p := New(Options{CacheDir: t.TempDir(), Python: testenv.Python(t)})
	basic := filepath.Join(testenv.RepoRoot(t), "testdata", "packager", "basic")
	p.seq.Store(100) // the newer request gets 101 ...
	if _, err := p.Package(context.Background(), Request{SourceDir: basic, Supersede: "slot"}); err != nil {
		t.Fatal(err)
	}
	p.seq.Store(0) // ... and the older one, done preparing only now, 1
	_, err := p.Package(context.Background(), Request{SourceDir: basic, Stage: "older", Supersede: "slot"})
	var pe *Error
	if !errors.As(err, &pe) || pe.Class != ClassSuperseded {
		t.Fatalf("older request after the newer one finished: got %v, want it superseded", err)
	}
	if n := p.Stats().Runs; n != 1 {
		t.Errorf("chalice ran %d times, want 1 (the newer request only)", n)
	}
}

// TestMemoryCacheIsBounded checks that the in-memory outcomes do not grow with every
// edit of a long-running server's projects, and that recently used ones stay.
func TestMemoryCacheIsBounded(t *testing.T) {
	p := New(Options{CacheDir: t.TempDir()})
	p.mu.Lock()
	defer p.mu.Unlock()
	p.remember("kept", &entry{err: &Error{Class: ClassAppImport}})
	for i := range 3 * memEntries {
		p.remember(fmt.Sprint("edit-", i), &entry{err: &Error{Class: ClassAppImport}})
		p.mem["kept"].used = p.memClock // used by every request in between
	}
	if len(p.mem) > memEntries {
		t.Errorf("%d outcomes in memory, want at most %d", len(p.mem), memEntries)
	}
	if p.mem["kept"] == nil || p.mem["edit-0"] != nil || p.mem[fmt.Sprint("edit-", 3*memEntries-1)] == nil {
		t.Errorf("eviction did not drop the least recently used outcomes")
	}
}

// TestInterpreterDetectionOrder checks the documented order of auto-detection:
// .venv, then venv (in the project, then in its parents), then $VIRTUAL_ENV, then the
// interpreter of chalice on PATH, then python3 on PATH. Interpreters here are stand-in
// executables: only finding them is under test.
func TestInterpreterDetectionOrder(t *testing.T) {
	root := t.TempDir()
	mkexec := func(path, content string) string {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o755); err != nil {
			t.Fatal(err)
		}
		return path
	}
	proj := filepath.Join(root, "repo", "svc")
	if err := os.MkdirAll(filepath.Join(root, "repo", ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	projDotVenv := mkexec(filepath.Join(proj, ".venv", "bin", "python"), "")
	dotVenv := mkexec(filepath.Join(root, "repo", ".venv", "bin", "python"), "")
	venv := mkexec(filepath.Join(proj, "venv", "bin", "python"), "")
	virtualEnv := mkexec(filepath.Join(root, "active", "bin", "python"), "")
	shebangPy := mkexec(filepath.Join(root, "tool", "bin", "python"), "")
	pathDir := filepath.Join(root, "path")
	mkexec(filepath.Join(pathDir, "chalice"), "#!"+shebangPy+"\n")
	python3 := mkexec(filepath.Join(root, "path2", "python3"), "")
	env := []string{"VIRTUAL_ENV=" + filepath.Dir(filepath.Dir(virtualEnv)), "PATH=" + pathDir + ":" + filepath.Dir(python3)}

	// $CHALICE_LSP_VENV beats everything but an explicit setting.
	fromEnv := mkexec(filepath.Join(root, "lspvenv", "bin", "python"), "")
	withEnv := append([]string{"CHALICE_LSP_VENV=" + filepath.Join(root, "lspvenv")}, env...)
	if got, how, err := findInterpreter("", proj, withEnv); err != nil || got != fromEnv || !strings.Contains(how, "$CHALICE_LSP_VENV") {
		t.Fatalf("with CHALICE_LSP_VENV: found %q (%s, %v), want %q", got, how, err, fromEnv)
	}
	if got, _, err := findInterpreter(python3, proj, withEnv); err != nil || got != python3 {
		t.Fatalf("an explicit interpreter beats CHALICE_LSP_VENV: found %q (%v)", got, err)
	}
	bad := append([]string{"CHALICE_LSP_VENV=" + filepath.Join(root, "nope")}, env...)
	if _, _, err := findInterpreter("", proj, bad); err == nil || !strings.Contains(err.Error(), "CHALICE_LSP_VENV") {
		t.Fatalf("a CHALICE_LSP_VENV that does not exist is an error naming it, got %v", err)
	}
	for _, want := range []string{projDotVenv, venv, dotVenv, virtualEnv, shebangPy, python3} {
		got, how, err := findInterpreter("", proj, env)
		if err != nil || got != want {
			t.Fatalf("found %q (%s, %v), want %q", got, how, err, want)
		}
		// Take the winner away to expose the next in line.
		switch want {
		case projDotVenv, venv, dotVenv:
			os.RemoveAll(filepath.Dir(filepath.Dir(want)))
		case virtualEnv:
			env = env[1:]
		case shebangPy:
			os.Remove(filepath.Join(pathDir, "chalice"))
		}
	}
}

// TestClassifyIgnoresHostPathsUnderApp: in subprocess mode a traceback frame under
// /app is not the user's code, even though a container run mounts the project there
// (a project at /app with its venv at /app/.venv is common in dev containers). The
// failure must stay unclassified instead of pointing into the venv's chalice.
func TestClassifyIgnoresHostPathsUnderApp(t *testing.T) {
	out := []byte(`Traceback (most recent call last):
  File "/app/.venv/lib/python3.11/site-packages/chalice/cli/__init__.py", line 637, in main
    return cli(obj={})
  File "/app/.venv/lib/python3.11/site-packages/chalice/package.py", line 1481, in package_app
    resources = self._resource_builder.construct_resources(
ValueError: something chalice did not expect
`)
	work := filepath.Join(t.TempDir(), "work", "project")
	e := classify(out, work, "/app")
	if e.Class != ClassFailed || e.File != "" {
		t.Errorf("subprocess run: class %s, file %q; want %s and no file", e.Class, e.File, ClassFailed)
	}
	// In a container the same path prefix is the project copy.
	out = []byte(`Traceback (most recent call last):
  File "/usr/local/lib/python3.12/site-packages/chalice/cli/factory.py", line 315, in load_chalice_app
    app = importlib.import_module('app')
  File "/app/chalicelib/settings.py", line 3, in <module>
    TABLE = os.environ['APP_TABLE_NAME']
KeyError: 'APP_TABLE_NAME'
`)
	e = classify(out, containerApp, "/home/me/proj")
	if e.Class != ClassAppImport || e.File != "/home/me/proj/chalicelib/settings.py" || e.Line != 3 {
		t.Errorf("container run: class %s at %s:%d", e.Class, e.File, e.Line)
	}
}

// TestExplainNotInstalledKinds: what a ModuleNotFoundError says depends on
// where the module would come from.
func TestExplainNotInstalledKinds(t *testing.T) {
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "requirements.txt"), []byte("PyYAML>=6  # config files\n-r other.txt\n"), 0o644)
	for _, c := range []struct{ module, want string }{
		{"yaml", "requirements.txt lists it as PyYAML>=6"},
		{"boto3", "Lambda's Python runtime provides boto3"},
		{"tomllib", "a standard-library module"},
		{"acme", "will fail in Lambda too"},
	} {
		e := &Error{Class: ClassAppImport, File: filepath.Join(src, "app.py"), Output: []byte("ModuleNotFoundError: No module named '" + c.module + "'\n")}
		if !explainNotInstalled(e, src, "/venv/bin/python") || !strings.Contains(e.Message, c.want) || !strings.Contains(e.Message, "/venv/bin/python") {
			t.Errorf("%s: %q lacks %q", c.module, e.Message, c.want)
		}
	}
}

// TestInterpreterVenvLayouts checks that every step of the detection order that
// takes a virtualenv directory (the project's .venv/venv and its parents',
// $CHALICE_LSP_VENV, $VIRTUAL_ENV, an explicit directory) finds its interpreter
// in either layout: bin/python as on Linux and macOS, Scripts\python.exe as
// `python -m venv` makes on Windows. Both layouts are built on whatever host
// runs the test (make test-release runs it under wine too, where files cannot
// be removed: each step has a tree of its own); interpreters are stand-ins.
func TestInterpreterVenvLayouts(t *testing.T) {
	for _, layout := range venvLayouts {
		t.Run(filepath.Dir(layout), func(t *testing.T) {
			root := tempDir(t)
			mkdir := func(dir string) string {
				t.Helper()
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				return dir
			}
			mkvenv := func(dir string) string {
				t.Helper()
				py := filepath.Join(dir, layout)
				mkdir(filepath.Dir(py))
				if err := os.WriteFile(py, nil, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "pyvenv.cfg"), []byte("home = x\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				return py
			}
			// project returns a project directory svc in a repository of its own.
			project := func(repo string) string {
				mkdir(filepath.Join(root, repo, ".git"))
				return mkdir(filepath.Join(root, repo, "svc"))
			}
			env := []string{"PATH=" + mkdir(filepath.Join(root, "empty"))} // nothing on PATH
			check := func(explicit, proj string, env []string, want, howHas string) {
				t.Helper()
				got, how, err := findInterpreter(explicit, proj, env)
				if err != nil || got != want || !strings.Contains(how, howHas) {
					t.Errorf("explicit %q, env %q: found %q (%s, %v), want %q via %s", explicit, env, got, how, err, want, howHas)
				}
			}

			inParent := project("a")
			parentVenv := mkvenv(filepath.Join(root, "a", "venv"))
			check("", inParent, env, parentVenv, "the virtualenv")

			inProject := project("b")
			projVenv := mkvenv(filepath.Join(inProject, ".venv"))
			check("", inProject, env, projVenv, "the virtualenv")
			check(".venv", inProject, env, projVenv, "the configured virtualenv")
			lspVenv := mkvenv(filepath.Join(root, "lspvenv"))
			check("", inProject, append([]string{"CHALICE_LSP_VENV=" + filepath.Join(root, "lspvenv")}, env...), lspVenv, "$CHALICE_LSP_VENV")

			without := project("c")
			active := mkvenv(filepath.Join(root, "active"))
			check("", without, append([]string{"VIRTUAL_ENV=" + filepath.Join(root, "active")}, env...), active, "$VIRTUAL_ENV")

			// A directory with neither layout names both in its error.
			_, _, err := findInterpreter(mkdir(filepath.Join(root, "empty-dir")), without, env)
			if err == nil || !strings.Contains(err.Error(), venvLayouts[0]) || !strings.Contains(err.Error(), venvLayouts[1]) {
				t.Errorf("a directory without an interpreter: %v, want an error naming both layouts", err)
			}
		})
	}
}

// TestLauncherInterpreter: a Windows console-script launcher (chalice.exe) has no
// shebang line; its Python is the python.exe beside it (a virtualenv's Scripts)
// or one level up (an installed Python's Scripts).
func TestLauncherInterpreter(t *testing.T) {
	root := tempDir(t)
	mk := func(rel string) string { return stubExe(t, root, rel) }
	venvPy := mk(filepath.Join("venv", "Scripts", "python.exe"))
	installPy := mk(filepath.Join("Python311", "python.exe"))
	for launcher, want := range map[string]string{
		mk(filepath.Join("venv", "Scripts", "chalice.exe")):      venvPy,
		mk(filepath.Join("Python311", "Scripts", "chalice.exe")): installPy,
		mk(filepath.Join("other", "Scripts", "chalice.exe")):     "",
		mk(filepath.Join("venv", "Scripts", "chalice")):          "", // not a launcher: its shebang decides
	} {
		if got := launcherInterpreter(launcher); got != want {
			t.Errorf("launcherInterpreter(%s) = %q, want %q", launcher, got, want)
		}
	}
}

// TestPathNamesOnWindows: on Windows a name on PATH is found with an extension
// from $PATHEXT (python3 is python3.exe), and a chalice.exe launcher there,
// which has no shebang to read, leads to its virtualenv's python.exe. Elsewhere
// names are taken as they are, so the same files give no interpreter at all.
func TestPathNamesOnWindows(t *testing.T) {
	root := tempDir(t)
	mk := func(rel string) string { return stubExe(t, root, rel) }
	mk(filepath.Join("repo", ".git", "HEAD"))
	proj := filepath.Dir(mk(filepath.Join("repo", "svc", "app.py")))
	venvPy := mk(filepath.Join("tool", "Scripts", "python.exe"))
	mk(filepath.Join("tool", "Scripts", "chalice.exe"))
	python3 := mk(filepath.Join("py", "python3.exe"))
	path := "PATH=" + filepath.Dir(venvPy) + string(os.PathListSeparator) + filepath.Dir(python3)

	got, how, err := findInterpreter("", proj, []string{path})
	if runtime.GOOS != "windows" {
		if err == nil {
			t.Errorf("found %q (%s), want none: outside Windows python3.exe is not python3", got, how)
		}
		return
	}
	if err != nil || got != venvPy || !strings.Contains(how, "chalice.exe") {
		t.Errorf("found %q (%s, %v), want %q via chalice.exe", got, how, err, venvPy)
	}
	if got, err := lookPath("python3", []string{path, "PATHEXT=.COM;.EXE"}); err != nil || got != python3 {
		t.Errorf("lookPath(python3) = %q, %v, want %q", got, err, python3)
	}
	if _, err := lookPath("python3", []string{path, "PATHEXT=.COM"}); err == nil {
		t.Errorf("lookPath(python3) found it although .EXE is not in PATHEXT")
	}
}

// stubExe writes a stand-in executable at root/rel (directories as needed) and
// returns its path: only finding it is under test.
func stubExe(t *testing.T, root, rel string) string {
	t.Helper()
	p := filepath.Join(root, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("MZ"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// tempDir is t.TempDir without its failing cleanup: under wine (make
// test-release runs this package's tests there) removing files can fail
// ("Invalid function") although nothing holds them.
func tempDir(t *testing.T) string {
	t.Helper()
	d, err := os.MkdirTemp("", "chalice-lsp-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(d) })
	return d
}
