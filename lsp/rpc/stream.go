// Package rpc adapts go.lsp.dev/jsonrpc2 to what a language server on stdio needs:
// a framing layer that survives malformed messages, the LSP payload codec, and a
// dispatch middleware that keeps notifications ordered while requests run
// concurrently.
package rpc

import (
	"context"
	"errors"
	"io"
	"sync"

	"go.lsp.dev/jsonrpc2"
)

// frameReader is the raw-frame method of jsonrpc2's header stream. It is exported on
// the concrete type although the interface naming it is not.
type frameReader interface {
	ReadFrame(ctx context.Context) ([]byte, int64, error)
}

// tolerantStream wraps LSP Content-Length framing. A frame whose body is not a
// JSON-RPC message is answered with a JSON-RPC error (id null) and skipped, instead
// of tearing the connection down as jsonrpc2 does by default: one bad message from a
// buggy client must not cost the user their language server.
type tolerantStream struct {
	inner  jsonrpc2.Stream
	frames frameReader
	onBad  func(err error, frame []byte)

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
	inner := jsonrpc2.NewHeaderStream(&pipe{r: r, w: w})
	fr, _ := inner.(frameReader)
	return &tolerantStream{inner: inner, frames: fr, onBad: onBad, writeFail: make(chan struct{})}
}

// Read implements jsonrpc2.Stream.
func (s *tolerantStream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	if s.frames == nil {
		return s.inner.Read(ctx)
	}
	for {
		frame, n, err := s.frames.ReadFrame(ctx)
		if err != nil {
			return nil, n, err
		}
		msg, derr := jsonrpc2.DecodeMessage(frame)
		if derr == nil {
			return msg, n, nil
		}
		if s.onBad != nil {
			s.onBad(derr, frame)
		}
		code := jsonrpc2.ParseError
		if errors.Is(derr, jsonrpc2.ErrInvalidRequest) {
			code = jsonrpc2.InvalidRequest
		}
		resp := jsonrpc2.NewResponse(jsonrpc2.ID{}, nil,
			jsonrpc2.Errorf(code, "malformed JSON-RPC message skipped: %v", derr))
		if _, werr := s.inner.Write(ctx, resp); werr != nil {
			return nil, 0, werr
		}
	}
}

// Write implements jsonrpc2.Stream.
func (s *tolerantStream) Write(ctx context.Context, msg jsonrpc2.Message) (int64, error) {
	n, err := s.inner.Write(ctx, msg)
	if err != nil {
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
