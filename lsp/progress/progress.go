// Package progress reports long-running work to the client with LSP work-done
// progress ($/progress begin/report/end). It uses the token the client sent with a
// request when there is one, otherwise creates a token with
// window/workDoneProgress/create when the client supports that, and otherwise stays
// silent (the server also logs).
package progress

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"go.lsp.dev/protocol"
)

// Tracker starts work-done reports. Safe for concurrent use.
type Tracker struct {
	client    protocol.Client
	supported bool
	next      atomic.Int64

	mu      sync.Mutex
	cancels map[string]context.CancelFunc
}

// New returns a tracker; supported is the client's window.workDoneProgress capability.
func New(client protocol.Client, supported bool) *Tracker {
	return &Tracker{client: client, supported: supported, cancels: map[string]context.CancelFunc{}}
}

// WorkDone is one piece of reported work.
type WorkDone struct {
	t     *Tracker
	token protocol.ProgressToken
	key   string
	once  sync.Once
}

// Start begins reporting title. token is the client's workDoneToken (nil if none).
// When cancel is non-nil and the client cancels the work (window/workDoneProgress/
// cancel), cancel is called. The returned WorkDone is never nil; its methods are
// no-ops when nothing can be reported.
func (t *Tracker) Start(ctx context.Context, title, message string, token protocol.ProgressToken, cancel context.CancelFunc) *WorkDone {
	if token == nil {
		if !t.supported {
			return &WorkDone{}
		}
		tok := protocol.String(fmt.Sprintf("chalice-lsp/%d", t.next.Add(1)))
		if err := t.client.WorkDoneProgressCreate(ctx, &protocol.WorkDoneProgressCreateParams{Token: tok}); err != nil {
			return &WorkDone{}
		}
		token = tok
	}
	wd := &WorkDone{t: t, token: token, key: tokenKey(token)}
	if cancel != nil {
		t.mu.Lock()
		t.cancels[wd.key] = cancel
		t.mu.Unlock()
	}
	cancellable := cancel != nil
	begin := protocol.WorkDoneProgressBegin{Kind: "begin", Title: title, Cancellable: &cancellable}
	if message != "" {
		begin.Message = &message
	}
	wd.notify(ctx, begin)
	return wd
}

// Report sends an intermediate message.
func (w *WorkDone) Report(ctx context.Context, message string) {
	if w.t == nil {
		return
	}
	w.notify(ctx, protocol.WorkDoneProgressReport{Kind: "report", Message: &message})
}

// End finishes the work with a final message. Later calls do nothing.
func (w *WorkDone) End(ctx context.Context, message string) {
	if w.t == nil {
		return
	}
	w.once.Do(func() {
		w.t.mu.Lock()
		delete(w.t.cancels, w.key)
		w.t.mu.Unlock()
		w.notify(context.WithoutCancel(ctx), protocol.WorkDoneProgressEnd{Kind: "end", Message: &message})
	})
}

func (w *WorkDone) notify(ctx context.Context, v any) {
	raw, err := protocol.Marshal(v)
	if err != nil {
		return
	}
	_ = w.t.client.Progress(ctx, &protocol.ProgressParams{Token: w.token, Value: raw})
}

// Cancel handles window/workDoneProgress/cancel for token.
func (t *Tracker) Cancel(token protocol.ProgressToken) {
	key := tokenKey(token)
	t.mu.Lock()
	c := t.cancels[key]
	t.mu.Unlock()
	if c != nil {
		c()
	}
}

func tokenKey(tok protocol.ProgressToken) string {
	switch v := tok.(type) {
	case protocol.String:
		return "s:" + string(v)
	case protocol.Integer:
		return fmt.Sprintf("i:%d", int64(v))
	}
	return fmt.Sprintf("%T:%v", tok, tok)
}
