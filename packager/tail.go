package packager

import (
	"fmt"
	"io"
	"os"
)

// MaxOutput is how much of a child's output the packager keeps (in memory, in the
// cache metadata, in errors and so in log messages): the last 64 KiB, which holds
// the traceback and messages error classification reads. An app.py that prints
// hundreds of megabytes at import costs the disk of one work directory, never
// memory.
const MaxOutput = 64 << 10

// tailWriter keeps the last max bytes written to it.
type tailWriter struct {
	max     int
	buf     []byte
	dropped int64
}

func newTail(max int) *tailWriter { return &tailWriter{max: max} }

func (t *tailWriter) Write(b []byte) (int, error) {
	n := len(b)
	if len(b) >= t.max {
		t.dropped += int64(len(t.buf) + len(b) - t.max)
		t.buf = append(t.buf[:0], b[len(b)-t.max:]...)
		return n, nil
	}
	if over := len(t.buf) + len(b) - t.max; over > 0 {
		t.dropped += int64(over)
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	t.buf = append(t.buf, b...)
	return n, nil
}

// Bytes returns the kept tail, preceded by a note when earlier output was dropped.
func (t *tailWriter) Bytes() []byte {
	if t.dropped == 0 {
		return t.buf
	}
	return append([]byte(fmt.Sprintf("[... %d earlier bytes of output omitted ...]\n", t.dropped)), t.buf...)
}

// readTail returns the last max bytes of the file at path (with a note when the
// start was cut), reading only those.
func readTail(path string, max int) []byte {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil
	}
	t := newTail(max)
	if size := st.Size(); size > int64(max) {
		if _, err := f.Seek(size-int64(max), io.SeekStart); err != nil {
			return nil
		}
		t.dropped = size - int64(max)
	}
	_, _ = io.Copy(t, io.LimitReader(f, int64(max)))
	return t.Bytes()
}
