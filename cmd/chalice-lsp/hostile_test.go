package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
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
