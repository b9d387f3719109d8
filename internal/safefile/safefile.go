// Package safefile is the one way chalice-lsp reads a file that a workspace or a
// user names: config.json, policy files, app.py and its blueprints, CDK code,
// cdk.json, `--stage-config @FILE`. A hostile repository can commit a symlink to
// /dev/zero, a FIFO, or /proc/self/fd/0 under any of those names; a plain
// os.ReadFile would then read without end (out of memory) or block for ever. Read
// only reads regular files, opens them without blocking, and reads at most a limit.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// MaxSize is the largest file Read returns by default (8 MiB). Chalice configs,
// policy files, app.py and CDK sources are far smaller; the language server
// analyses documents up to 4 MiB (lsp/overlay.MaxAnalyzedSize).
const MaxSize = 8 << 20

// Code is the diagnostic code of a file that was skipped.
const Code = "file-skipped"

// SkipError says why a file was not read. Its message is meant for people.
type SkipError struct {
	Path   string
	Reason string
}

func (e *SkipError) Error() string { return fmt.Sprintf("skipped %s: %s", e.Path, e.Reason) }

// IsSkipped reports whether err (or an error it wraps) is a *SkipError.
func IsSkipped(err error) bool {
	var s *SkipError
	return errors.As(err, &s)
}

// Read returns the content of path, which must be a regular file (symlinks are
// followed) of at most MaxSize bytes. Anything else is a *SkipError; a missing
// file is an error wrapping fs.ErrNotExist.
func Read(path string) ([]byte, error) { return ReadMax(path, MaxSize) }

// ReadMax is Read with a size limit of max bytes.
func ReadMax(path string, max int64) ([]byte, error) {
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() > max {
		return nil, tooBig(path, st.Size(), max)
	}
	// The size can grow between fstat and read (or lie, as in /proc): read at most
	// one byte past the limit to notice.
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, tooBig(path, int64(len(b)), max)
	}
	return b, nil
}

// Open opens path for reading if it is a regular file, without ever blocking on a
// FIFO or a device: the type is checked before opening, the file is opened
// non-blocking, and the type is checked again on the open descriptor (the name may
// have been swapped in between).
func Open(path string) (*os.File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, notRegular(path, st.Mode())
	}
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, err
	}
	st, err = f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, notRegular(path, st.Mode())
	}
	return f, nil
}

func tooBig(path string, size, max int64) error {
	return &SkipError{Path: path, Reason: fmt.Sprintf("it is larger than %d bytes (%d MiB), the limit for files chalice-lsp reads", max, max>>20)}
}

func notRegular(path string, m fs.FileMode) error {
	what := "not a regular file"
	switch {
	case m.IsDir():
		what = "a directory, not a file"
	case m&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO), not a regular file"
	case m&fs.ModeSocket != 0:
		what = "a socket, not a regular file"
	case m&fs.ModeCharDevice != 0:
		what = "a character device, not a regular file"
	case m&fs.ModeDevice != 0:
		what = "a device, not a regular file"
	}
	return &SkipError{Path: path, Reason: "it is " + what + " (chalice-lsp only reads regular files, so a link to a device or a pipe cannot hang or flood it)"}
}
