//go:build windows

package packager

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/windows"
)

// These tests run the Windows process control for real: make test-release cross-compiles
// this package's test binary and runs them under wine. The test binary doubles as the
// processes it controls (treeHelper below), so no other program is needed.

const helperEnv = "CHALICE_LSP_TREE_HELPER"

func init() {
	switch os.Getenv(helperEnv) {
	case "parent": // starts a child, records both pids, hangs
		child := exec.Command(os.Args[0])
		child.Env = append(os.Environ(), helperEnv+"=child")
		if err := child.Start(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		marker := os.Getenv("MARKER_FILE")
		_ = os.WriteFile(marker+".tmp", fmt.Appendf(nil, "%d %d\n", os.Getpid(), child.Process.Pid), 0o644)
		_ = os.Rename(marker+".tmp", marker)
		hang()
	case "child":
		hang()
	case "server": // a stand-in for the language server: runs "parent" through run, forever
		p := &Packager{}
		_, err := p.run(context.Background(), runSpec{Argv: []string{os.Args[0]},
			Env: append(os.Environ(), helperEnv+"=parent"), Log: os.Getenv("LOG_FILE")})
		fmt.Fprintln(os.Stderr, "run returned:", err)
		os.Exit(4)
	}
}

// hang blocks until the process is killed. (A bare select{} would not: with no other
// goroutine, the runtime ends the process as deadlocked.)
func hang() {
	for {
		time.Sleep(time.Hour)
	}
}

// awaitTree waits for the marker the "parent" helper writes and opens both processes
// (so their handles stay valid whatever happens to the pids).
func awaitTree(t *testing.T, marker string, done <-chan error) []windows.Handle {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute) // a failure bound, not a synchronisation
	for {
		if b, err := os.ReadFile(marker); err == nil {
			var hs []windows.Handle
			for _, f := range strings.Fields(string(b)) {
				var pid uint32
				if _, err := fmt.Sscan(f, &pid); err != nil {
					t.Fatalf("marker %q: %v", b, err)
				}
				h, err := windows.OpenProcess(windows.SYNCHRONIZE|windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)
				if err != nil {
					t.Fatalf("process %d of the tree is not running: %v", pid, err)
				}
				t.Cleanup(func() { windows.CloseHandle(h) })
				hs = append(hs, h)
			}
			if len(hs) != 2 {
				t.Fatalf("marker %q: want two pids", b)
			}
			return hs
		}
		select {
		case err := <-done:
			t.Fatalf("the process tree ended before it started: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the process tree never started")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// assertEnded waits (bounded) for each process to exit.
func assertEnded(t *testing.T, hs []windows.Handle) {
	t.Helper()
	for i, h := range hs {
		ev, err := windows.WaitForSingleObject(h, 60_000)
		if err != nil || ev != windows.WAIT_OBJECT_0 {
			t.Errorf("process %d of the tree is still running (wait: %d, %v)", i, ev, err)
		}
	}
}

func TestWindowsCancelEndsProcessTree(t *testing.T) {
	dir := tempDir(t)
	marker := filepath.Join(dir, "pids")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	p := &Packager{}
	go func() {
		_, err := p.run(ctx, runSpec{Argv: []string{os.Args[0]},
			Env: append(os.Environ(), helperEnv+"=parent", "MARKER_FILE="+marker), Log: filepath.Join(dir, "log")})
		done <- err
	}()
	hs := awaitTree(t, marker, done)
	cancel()
	if err := <-done; !errors.Is(err, errKilled) {
		t.Fatalf("run returned %v, want errKilled", err)
	}
	assertEnded(t, hs)
}

func TestWindowsServerDeathEndsProcessTree(t *testing.T) {
	dir := tempDir(t)
	marker := filepath.Join(dir, "pids")
	server := exec.Command(os.Args[0])
	server.Env = append(os.Environ(), helperEnv+"=server", "MARKER_FILE="+marker, "LOG_FILE="+filepath.Join(dir, "log"))
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- server.Wait() }()
	hs := awaitTree(t, marker, done)
	if err := server.Process.Kill(); err != nil { // TerminateProcess: no cleanup code runs
		t.Fatal(err)
	}
	<-done
	assertEnded(t, hs)
}
