// Package rpc adapts go.lsp.dev/jsonrpc2 to what a language server on stdio needs:
// a framing layer that survives malformed messages, the LSP payload codec, and a
// dispatch middleware that keeps notifications ordered while requests run
// concurrently.
package rpc

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"go.lsp.dev/jsonrpc2"
)

// Framing limits. A header line longer than MaxHeaderLine is skipped without being
// held in memory; a message larger than MaxFrame is read past without being held
// and answered with an error. LSP headers are a few dozen bytes; the largest
// document the server analyses is 4 MiB (lsp/overlay.MaxAnalyzedSize), which JSON
// escaping can at most sextuple.
const (
	MaxHeaderLine = 4 << 10
	MaxFrame      = 32 << 20
)

// tolerantStream reads LSP Content-Length framing itself (bounded, recovering) and
// writes through jsonrpc2's header stream. A frame that is not a JSON-RPC message,
// an oversized frame, or a malformed header block is answered with a JSON-RPC error
// (id null) and skipped, instead of tearing the connection down as jsonrpc2 does by
// default: one bad message from a buggy client must not cost the user their
// language server.
type tolerantStream struct {
	inner jsonrpc2.Stream
	in    *bufio.Reader
	onBad func(err error, frame []byte)

	writeOnce  sync.Once
	writeFail  chan struct{} // closed at the first failed write
	writeError error
}

// WriteFailed returns a channel closed when a write to the client failed (the
// client stopped reading: EPIPE), and the error, for a stream made by NewStream.
// jsonrpc2 only logs a failed reply and keeps reading, so the session would go on
// with nobody listening; the server ends it instead.
func WriteFailed(s jsonrpc2.Stream) (<-chan struct{}, func() error) {
	ts, ok := s.(*tolerantStream)
	if !ok {
		return nil, func() error { return nil }
	}
	return ts.writeFail, func() error { return ts.writeError }
}

// NewStream returns a jsonrpc2 stream over r and w with LSP header framing. onBad,
// if non-nil, is told about every malformed message that was skipped.
func NewStream(r io.Reader, w io.Writer, onBad func(err error, frame []byte)) jsonrpc2.Stream {
	p := &pipe{r: r, w: w}
	return &tolerantStream{inner: jsonrpc2.NewHeaderStream(p), in: bufio.NewReaderSize(p, 64<<10), onBad: onBad, writeFail: make(chan struct{})}
}

// Read implements jsonrpc2.Stream.
func (s *tolerantStream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		frame, n, problem, err := s.readFrame()
		if err != nil {
			return nil, n, err
		}
		code := jsonrpc2.ParseError
		if problem == nil {
			msg, derr := jsonrpc2.DecodeMessage(frame)
			if derr == nil {
				return msg, n, nil
			}
			problem = derr
			if errors.Is(derr, jsonrpc2.ErrInvalidRequest) {
				code = jsonrpc2.InvalidRequest
			}
		} else {
			code = jsonrpc2.InvalidRequest
		}
		if s.onBad != nil {
			s.onBad(problem, frame)
		}
		resp := jsonrpc2.NewResponse(jsonrpc2.ID{}, nil,
			jsonrpc2.Errorf(code, "malformed JSON-RPC message skipped: %v", problem))
		if _, werr := s.Write(ctx, resp); werr != nil {
			return nil, 0, werr
		}
	}
}

// readFrame reads one header block and its body. A frame that cannot be used
// (no valid Content-Length, or larger than MaxFrame) is consumed and reported as
// problem; err is only for the input itself (it ended, or failed). The body is a
// fresh buffer per frame, so a large message is not kept alive by the next ones.
func (s *tolerantStream) readFrame() (body []byte, n int64, problem, err error) {
	length := int64(-1)
	for {
		line, size, long, err := s.readLine()
		n += int64(size)
		if err != nil {
			if errors.Is(err, io.EOF) && n > 0 {
				err = io.ErrUnexpectedEOF
			}
			return nil, n, nil, err
		}
		if long {
			problem = fmt.Errorf("a header line of %d bytes is longer than the limit of %d bytes", size, MaxHeaderLine)
			continue
		}
		text := strings.TrimRight(string(line), "\r\n")
		if text == "" {
			break
		}
		name, value, ok := strings.Cut(text, ":")
		if !ok {
			problem = fmt.Errorf("malformed header line %q (want \"Name: value\")", text)
			continue
		}
		if strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			v, perr := strconv.ParseInt(strings.TrimSpace(value), 10, 64)
			if perr != nil || v <= 0 {
				problem = fmt.Errorf("invalid Content-Length %q", strings.TrimSpace(value))
				continue
			}
			length = v
		}
	}
	if length < 0 {
		if problem == nil {
			problem = errors.New("a header block without Content-Length")
		}
		return nil, n, problem, nil
	}
	if length > MaxFrame {
		m, err := io.CopyN(io.Discard, s.in, length)
		n += m
		if err != nil {
			return nil, n, nil, io.ErrUnexpectedEOF
		}
		return nil, n, fmt.Errorf("a message of %d bytes is larger than the limit of %d bytes (MaxFrame)", length, MaxFrame), nil
	}
	body = make([]byte, length)
	m, err := io.ReadFull(s.in, body)
	n += int64(m)
	if err != nil {
		return nil, n, nil, io.ErrUnexpectedEOF
	}
	return body, n, nil, nil
}

// readLine reads one header line. A line longer than MaxHeaderLine is consumed
// up to its newline without being kept (long is set; line is nil).
func (s *tolerantStream) readLine() (line []byte, size int, long bool, err error) {
	for {
		chunk, err := s.in.ReadSlice('\n')
		size += len(chunk)
		if !long && size <= MaxHeaderLine {
			line = append(line, chunk...)
		} else {
			long, line = true, nil
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil && size > 0 && errors.Is(err, io.EOF) {
			return nil, size, long, io.ErrUnexpectedEOF
		}
		return line, size, long, err
	}
}

// Write implements jsonrpc2.Stream.
func (s *tolerantStream) Write(ctx context.Context, msg jsonrpc2.Message) (int64, error) {
	n, err := s.inner.Write(ctx, msg)
	// A write skipped because its request was cancelled is not the client's doing.
	if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		s.writeOnce.Do(func() {
			s.writeError = err
			close(s.writeFail)
		})
	}
	return n, err
}

// Close implements jsonrpc2.Stream.
func (s *tolerantStream) Close() error { return s.inner.Close() }

// pipe joins a reader and a writer into the io.ReadWriteCloser jsonrpc2 wants.
// Close closes both ends when they are closable (stdin/stdout of a server process,
// or the pipes of a test).
type pipe struct {
	r    io.Reader
	w    io.Writer
	once sync.Once
	err  error
}

func (p *pipe) Read(b []byte) (int, error)  { return p.r.Read(b) }
func (p *pipe) Write(b []byte) (int, error) { return p.w.Write(b) }

func (p *pipe) Close() error {
	p.once.Do(func() {
		var errs []error
		if c, ok := p.w.(io.Closer); ok {
			errs = append(errs, c.Close())
		}
		if c, ok := p.r.(io.Closer); ok {
			errs = append(errs, c.Close())
		}
		p.err = errors.Join(errs...)
	})
	return p.err
}
