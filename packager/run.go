package packager

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"time"
)

// runSpec is one chalice process (or docker client) to run.
type runSpec struct {
	Argv []string
	Env  []string
	Dir  string
	// Log receives stdout and stderr. A file, not a pipe: a grandchild that keeps
	// the pipe open would otherwise hold Wait until it exits.
	Log string
	// OnKill runs after the process group was killed (container mode removes the
	// container, which the docker client's death does not stop).
	OnKill func()
}

// errKilled is returned by run when ctx ended and the process group was killed.
var errKilled = errors.New("killed")

// run starts spec in its own process group (a job object on Windows) with stdin
// closed, waits for it, and kills the whole group when ctx ends. After the process exits the group is killed
// too, so no child the app spawned outlives the run. It returns the last MaxOutput
// bytes of the combined output and the exit error (nil on success, errKilled when ctx ended first).
func (p *Packager) run(ctx context.Context, spec runSpec) ([]byte, error) {
	logFile, err := os.Create(spec.Log)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	cmd := exec.Command(spec.Argv[0], spec.Argv[1:]...)
	cmd.Dir = spec.Dir
	cmd.Env = spec.Env
	cmd.Stdin = nil // /dev/null: chalice must never wait for input
	cmd.Stdout, cmd.Stderr = logFile, logFile
	group := newProcGroup(cmd)
	if err := ctx.Err(); err != nil {
		return nil, errKilled
	}
	if err := group.start(); err != nil {
		return nil, err
	}
	defer group.close()
	p.runs.Add(1)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var waitErr error
	killed := false
	select {
	case waitErr = <-done:
	case <-ctx.Done():
		killed = true
		group.kill()
		waitErr = <-done
		if spec.OnKill != nil {
			spec.OnKill()
		}
	}
	// Children that outlived chalice (e.g. a process the app started at import)
	// belong to the same group.
	group.kill()
	out := readTail(spec.Log, MaxOutput)
	if killed {
		return out, errKilled
	}
	return out, waitErr
}

// killErr turns a killed run into a timeout or cancellation error.
func killErr(runCtx context.Context, timeout time.Duration, cause error, out []byte) *Error {
	if errors.Is(cause, errSuperseded) {
		return &Error{Class: ClassSuperseded, Message: "packaging was superseded by a newer request for the same project; its chalice process was stopped", Output: out}
	}
	if errors.Is(runCtx.Err(), context.DeadlineExceeded) && errors.Is(context.Cause(runCtx), errRunTimeout) {
		return &Error{Class: ClassTimeout,
			Message: fmt.Sprintf("chalice package did not finish within %s and was stopped with all its child processes", timeout),
			Hint:    "look for slow module-level code in app.py (network calls, large imports) or raise the packaging timeout; a first build that downloads many dependencies can also take long",
			Output:  out}
	}
	return &Error{Class: ClassCancelled, Message: "packaging was cancelled; its chalice process was stopped with all its children", Output: out}
}

var (
	errRunTimeout = errors.New("packaging timeout")
	errSuperseded = errors.New("superseded by a newer request")
)
