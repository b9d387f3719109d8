package progress

import (
	"context"
	"encoding/json"
	"sync"
	"testing"

	"go.lsp.dev/protocol"
)

type recClient struct {
	protocol.UnimplementedClient
	mu      sync.Mutex
	created int
	kinds   []string
	tokens  []string
}

func (c *recClient) WorkDoneProgressCreate(context.Context, *protocol.WorkDoneProgressCreateParams) error {
	c.mu.Lock()
	c.created++
	c.mu.Unlock()
	return nil
}

func (c *recClient) Progress(_ context.Context, p *protocol.ProgressParams) error {
	var v struct{ Kind string }
	_ = json.Unmarshal(p.Value, &v)
	c.mu.Lock()
	c.kinds = append(c.kinds, v.Kind)
	c.tokens = append(c.tokens, tokenKey(p.Token))
	c.mu.Unlock()
	return nil
}

func TestTokens(t *testing.T) {
	ctx := context.Background()
	c := &recClient{}
	tr := New(c, true)
	cancelled := false
	wd := tr.Start(ctx, "chalice package", "app", nil, func() { cancelled = true })
	wd.Report(ctx, "half")
	tr.Cancel(protocol.String("chalice-lsp/1"))
	wd.End(ctx, "done")
	wd.End(ctx, "again")
	if c.created != 1 || !cancelled {
		t.Fatalf("created=%d cancelled=%v", c.created, cancelled)
	}
	if got := c.kinds; len(got) != 3 || got[0] != "begin" || got[1] != "report" || got[2] != "end" {
		t.Fatalf("kinds %v", got)
	}
	// A client token is used as is, without create.
	tr.Start(ctx, "x", "", protocol.Integer(7), nil).End(ctx, "")
	if c.created != 1 || c.tokens[len(c.tokens)-1] != "i:7" {
		t.Fatalf("client token: created=%d tokens=%v", c.created, c.tokens)
	}
	// Without client support and without a token nothing is sent.
	silent := New(c, false)
	n := len(c.kinds)
	silent.Start(ctx, "y", "", nil, nil).End(ctx, "")
	if len(c.kinds) != n {
		t.Fatal("progress sent to a client that does not support it")
	}
}
