// Package lspbench times what a user waits for when opening a project: from
// spawning the built binary (bin/chalice-lsp serve) until logical-ID completion
// first offers the project's IDs, driven over stdio by a minimal LSP client.
//
// The client is deliberately small and raw (no protocol library): it timestamps a
// response the moment its last byte has been read, before decoding it, so a
// latency is the server's time plus the pipe, never the client's JSON work.
// Benchmarks live in lspbench_test.go; `make bench` runs them via bench/run.sh.
// Completion, diagnostics and memory benchmarks live with the server's own test
// harness in lsp/lsptest.
package lspbench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Response is a JSON-RPC response with the time its last byte arrived.
type Response struct {
	Result json.RawMessage
	Error  *RPCError
	At     time.Time
}

// RPCError is a JSON-RPC error object.
type RPCError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *RPCError) Error() string { return fmt.Sprintf("jsonrpc error %d: %s", e.Code, e.Message) }

// State is what the server pushed so far.
type State struct {
	// Ended lists finished work-done progress as "title: end message".
	Ended []string
	// Logs holds the last window/logMessage and showMessage lines (for failures).
	Logs []string
	// tokens maps a progress token to its title while it runs.
	tokens map[string]string
}

// Client is one running server process with a scripted client.
type Client struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	wmu    sync.Mutex
	stderr bytes.Buffer

	mu      sync.Mutex
	cond    *sync.Cond
	nextID  int
	pending map[int]chan Response
	state   State
	exited  chan struct{}
	readErr error
}

// Start launches `bin serve --stdio` with extra environment and arguments.
func Start(bin string, env []string, args ...string) (*Client, error) {
	cmd := exec.Command(bin, append([]string{"serve", "--stdio"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	c := &Client{cmd: cmd, pending: map[int]chan Response{}, exited: make(chan struct{})}
	c.cond = sync.NewCond(&c.mu)
	c.state = State{tokens: map[string]string{}}
	cmd.Stderr = &c.stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	c.stdin = in
	go c.readLoop(bufio.NewReaderSize(out, 1<<16))
	return c, nil
}

// Pid is the server's process id.
func (c *Client) Pid() int { return c.cmd.Process.Pid }

// Stderr returns what the server wrote to stderr.
func (c *Client) Stderr() string { return c.stderr.String() }

func (c *Client) readLoop(r *bufio.Reader) {
	defer func() {
		c.mu.Lock()
		close(c.exited)
		for id, ch := range c.pending {
			close(ch)
			delete(c.pending, id)
		}
		c.cond.Broadcast()
		c.mu.Unlock()
	}()
	for {
		body, err := readFrame(r)
		at := time.Now()
		if err != nil {
			c.mu.Lock()
			c.readErr = err
			c.mu.Unlock()
			return
		}
		var m struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
			Params json.RawMessage `json:"params"`
			Result json.RawMessage `json:"result"`
			Error  *RPCError       `json:"error"`
		}
		if json.Unmarshal(body, &m) != nil {
			continue
		}
		switch {
		case m.Method != "" && len(m.ID) > 0:
			c.answer(m.ID, m.Method, m.Params)
		case m.Method != "":
			c.notification(m.Method, m.Params)
		default:
			id, err := strconv.Atoi(string(m.ID))
			if err != nil {
				continue
			}
			c.mu.Lock()
			ch := c.pending[id]
			delete(c.pending, id)
			c.mu.Unlock()
			if ch != nil {
				ch <- Response{Result: m.Result, Error: m.Error, At: at}
			}
		}
	}
}

func readFrame(r *bufio.Reader) ([]byte, error) {
	n := -1
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			break
		}
		if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(strings.TrimSpace(k), "Content-Length") {
			n, err = strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				return nil, fmt.Errorf("bad Content-Length %q", v)
			}
		}
	}
	if n < 0 {
		return nil, errors.New("frame without Content-Length")
	}
	body := make([]byte, n)
	_, err := io.ReadFull(r, body)
	return body, err
}

// answer replies to requests the server sends to the client.
func (c *Client) answer(id json.RawMessage, method string, params json.RawMessage) {
	var result any
	switch method {
	case "workspace/configuration":
		var p struct{ Items []json.RawMessage }
		_ = json.Unmarshal(params, &p)
		result = make([]any, len(p.Items))
	case "window/showDocument":
		result = map[string]bool{"success": true}
	}
	_ = c.write(map[string]any{"jsonrpc": "2.0", "id": id, "result": result})
}

func (c *Client) notification(method string, params json.RawMessage) {
	switch method {
	case "$/progress":
		var p struct {
			Token any `json:"token"`
			Value struct {
				Kind, Title, Message string
			} `json:"value"`
		}
		if json.Unmarshal(params, &p) != nil {
			return
		}
		key := fmt.Sprint(p.Token)
		c.update(func(st *State) {
			switch p.Value.Kind {
			case "begin":
				st.tokens[key] = p.Value.Title
			case "end":
				st.Ended = append(st.Ended, st.tokens[key]+": "+p.Value.Message)
				delete(st.tokens, key)
			}
		})
	case "window/logMessage", "window/showMessage":
		var p struct{ Message string }
		if json.Unmarshal(params, &p) == nil {
			c.update(func(st *State) {
				st.Logs = append(st.Logs, p.Message)
				if len(st.Logs) > 200 {
					st.Logs = st.Logs[len(st.Logs)-200:]
				}
			})
		}
	}
}

func (c *Client) update(f func(*State)) {
	c.mu.Lock()
	f(&c.state)
	c.cond.Broadcast()
	c.mu.Unlock()
}

func (c *Client) write(msg any) error {
	body, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if _, err := fmt.Fprintf(c.stdin, "Content-Length: %d\r\n\r\n", len(body)); err != nil {
		return err
	}
	_, err = c.stdin.Write(body)
	return err
}

// Notify sends a notification.
func (c *Client) Notify(method string, params any) error {
	return c.write(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
}

// Call sends a request and waits for its response. The returned duration runs from
// just before the request is written until its response's last byte was read.
func (c *Client) Call(ctx context.Context, method string, params any) (Response, time.Duration, error) {
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	ch := make(chan Response, 1)
	c.pending[id] = ch
	c.mu.Unlock()
	start := time.Now()
	if err := c.write(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params}); err != nil {
		return Response{}, 0, fmt.Errorf("%s: write: %w", method, err)
	}
	select {
	case r, ok := <-ch:
		if !ok {
			return Response{}, 0, fmt.Errorf("%s: server exited: %v\n%s", method, c.readErr, c.Stderr())
		}
		if r.Error != nil {
			return r, r.At.Sub(start), fmt.Errorf("%s: %w", method, r.Error)
		}
		return r, r.At.Sub(start), nil
	case <-ctx.Done():
		return Response{}, 0, fmt.Errorf("%s: no response: %w", method, ctx.Err())
	}
}

// With runs f with the state locked.
func (c *Client) With(f func(*State)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f(&c.state)
}

// Initialize sends initialize (with workspace folders and initializationOptions)
// and initialized.
func (c *Client) Initialize(ctx context.Context, folders []string, initOptions any) error {
	var wf []map[string]string
	for _, f := range folders {
		wf = append(wf, map[string]string{"uri": FileURI(f), "name": f})
	}
	params := map[string]any{
		"processId": os.Getpid(),
		"capabilities": map[string]any{
			"window":    map[string]any{"workDoneProgress": true},
			"workspace": map[string]any{"workspaceFolders": true},
			"textDocument": map[string]any{
				"publishDiagnostics": map[string]any{"versionSupport": true},
				"completion":         map[string]any{"completionItem": map[string]any{"snippetSupport": false}},
			},
		},
		"workspaceFolders":      wf,
		"initializationOptions": initOptions,
	}
	if _, _, err := c.Call(ctx, "initialize", params); err != nil {
		return err
	}
	return c.Notify("initialized", map[string]any{})
}

// Close shuts the server down politely (shutdown, exit), killing it if it does not
// exit within a few seconds.
func (c *Client) Close() {
	select {
	case <-c.exited:
	default:
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, _, _ = c.Call(ctx, "shutdown", nil)
		cancel()
		_ = c.Notify("exit", nil)
		_ = c.stdin.Close()
	}
	done := make(chan struct{})
	go func() { _ = c.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = c.cmd.Process.Kill()
		<-done
	}
}

// FileURI turns an absolute path into a file:// URI the way the server expects.
func FileURI(path string) string {
	var b strings.Builder
	b.WriteString("file://")
	for _, r := range []byte(path) {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.IndexByte("/-_.~", r) >= 0:
			b.WriteByte(r)
		default:
			fmt.Fprintf(&b, "%%%02X", r)
		}
	}
	return b.String()
}
