package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
)

// hostileProject is a project whose files a repository can commit as symlinks to
// devices or as FIFOs: reading any of them with a plain read would flood memory
// (/dev/zero) or block for ever (a FIFO without a writer).
func hostileProject(t *testing.T) string {
	t.Helper()
	dir := writeProject(t, `{"app_name": "x", "autogen_policy": false, "stages": {"dev": {"api_gateway_policy_file": "api.json"}}}`)
	os.WriteFile(filepath.Join(dir, "app.py"), []byte("from chalice import Chalice\nfrom chalicelib.bp import bp\napp = Chalice(app_name='x')\napp.register_blueprint(bp)\n\n@app.route(\"/\")\ndef index():\n    return {}\n"), 0o644)
	os.MkdirAll(filepath.Join(dir, "chalicelib"), 0o755)
	if err := syscall.Mkfifo(filepath.Join(dir, "chalicelib", "bp.py"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Symlink("/dev/zero", filepath.Join(dir, ".chalice", "policy-dev.json"))
	if err := syscall.Mkfifo(filepath.Join(dir, ".chalice", "api.json"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// runBounded runs the CLI in-process and fails instead of hanging the test binary.
func runBounded(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	type res struct {
		code     int
		out, err string
	}
	ch := make(chan res, 1)
	go func() {
		var out, errb strings.Builder
		code := run(context.Background(), args, strings.NewReader(""), &out, &errb)
		ch <- res{code, out.String(), errb.String()}
	}()
	select {
	case r := <-ch:
		return r.code, r.out, r.err
	case <-time.After(60 * time.Second): // a hang guard, not a timing assertion
		t.Fatalf("chalice-lsp %s did not return: it blocked on a special file", strings.Join(args, " "))
		return 0, "", ""
	}
}

func TestCheckSkipsSpecialFiles(t *testing.T) {
	dir := hostileProject(t)
	code, out, errs := runBounded(t, "check", dir)
	for _, want := range []string{"policy-dev.json", "api.json", "bp.py"} {
		if !strings.Contains(out, want) || !strings.Contains(out, "[file-skipped]") {
			t.Errorf("output lacks a file-skipped finding for %s:\n%s\n%s", want, out, errs)
		}
	}
	if code != 0 {
		t.Errorf("exit %d, want 0 (skipped files are warnings)\n%s%s", code, out, errs)
	}

	// The config file itself, and app.py, as special files.
	os.Remove(filepath.Join(dir, ".chalice", "config.json"))
	os.Symlink("/dev/zero", filepath.Join(dir, ".chalice", "config.json"))
	code, _, errs = runBounded(t, "check", dir)
	if code != 2 || !strings.Contains(errs, "character device") {
		t.Errorf("config.json -> /dev/zero: exit %d, stderr %q", code, errs)
	}
}

func TestPackageStageConfigFromSpecialFile(t *testing.T) {
	dir := writeProject(t, `{"app_name": "x"}`)
	fifo := filepath.Join(t.TempDir(), "sc.json")
	syscall.Mkfifo(fifo, 0o644)
	for _, f := range []string{"/dev/zero", fifo} {
		code, _, errs := runBounded(t, "package", "--stage-config", "@"+f, dir)
		if code != 2 || !strings.Contains(errs, "not a regular file") {
			t.Errorf("--stage-config @%s: exit %d, stderr %q", f, code, errs)
		}
	}
}

// package exits 2 for usage and I/O problems, as check does.
func TestPackageUsageAndIOExit2(t *testing.T) {
	notProject := t.TempDir()
	if code, _, errs := runBounded(t, "package", notProject); code != 2 {
		t.Errorf("not a project: exit %d, want 2 (%s)", code, errs)
	}
	if code, _, errs := runBounded(t, "package", "--stage", "bad\nname", writeProject(t, `{"app_name": "x"}`)); code != 2 {
		t.Errorf("bad stage name: exit %d, want 2 (%s)", code, errs)
	}
}

// check stops when its context is cancelled (Ctrl-C or SIGTERM in runMain); it
// used to ignore both and run to the end.
func TestCheckHonoursCancellation(t *testing.T) {
	dir := writeProject(t, `{"app_name": "x", "lamda_timeout": 1}`)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb strings.Builder
	if code := run(ctx, []string{"check", dir}, strings.NewReader(""), &out, &errb); code != 130 || !strings.Contains(errb.String(), "interrupted") {
		t.Fatalf("cancelled check: exit %d, stderr %q, stdout %q", code, errb.String(), out.String())
	}
}

// The real binary: SIGHUP (the terminal closed) during `package` stops chalice and
// what app.py started, and exits 128+1; SIGTERM the same with 128+15.
func TestPackageSignalsLeaveNoProcesses(t *testing.T) {
	venv := testenv.Venv(t)
	testenv.Chalice(t)
	bin := filepath.Join(t.TempDir(), "chalice-lsp")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, sig := range []syscall.Signal{syscall.SIGHUP, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := writeProject(t, `{"app_name": "x"}`)
			pidFile := filepath.Join(t.TempDir(), "pids")
			app := fmt.Sprintf("import os, subprocess, time\nchild = subprocess.Popen(['sleep', '600'])\nopen(%q + '.tmp', 'w').write('%%d %%d' %% (os.getpid(), child.pid))\nos.rename(%q + '.tmp', %q)\ntime.sleep(600)\n", pidFile, pidFile, pidFile)
			os.WriteFile(filepath.Join(dir, "app.py"), []byte(app), 0o644)
			cmd := exec.Command(bin, "package", "--python", venv, "--cache-dir", t.TempDir(), dir)
			cmd.Env = append(os.Environ(), "AWS_DEFAULT_REGION=us-east-1")
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var py, child int
			deadline := time.Now().Add(2 * time.Minute) // a hang guard
			for {
				if b, err := os.ReadFile(pidFile); err == nil {
					fmt.Sscanf(string(b), "%d %d", &py, &child)
					break
				}
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					t.Fatal("app.py never started")
				}
				time.Sleep(20 * time.Millisecond)
			}
			t.Cleanup(func() { syscall.Kill(py, syscall.SIGKILL); syscall.Kill(child, syscall.SIGKILL) })
			cmd.Process.Signal(sig)
			err := cmd.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 128+int(sig) {
				t.Errorf("exit: %v, want status %d", err, 128+int(sig))
			}
			for time.Now().Before(deadline) && (procAlive(py) || procAlive(child)) {
				time.Sleep(20 * time.Millisecond)
			}
			if procAlive(py) || procAlive(child) {
				t.Fatalf("left behind: chalice %v, app's child %v", procAlive(py), procAlive(child))
			}
		})
	}
}

// procAlive reports whether pid runs (a zombie counts as dead).
func procAlive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || (s[i+2] != 'Z' && s[i+2] != 'X')
}
