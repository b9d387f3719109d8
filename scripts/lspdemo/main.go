// Command lspdemo is step 4 of `make demo`: a scripted editor session against the
// built server (bin/chalice-lsp serve, over stdio), on the bundled example. It asks
// what an editor asks while a user types get_role(' in the Python and the Go CDK
// stack, and prints the answers: logical-ID completion (predicted from app.py, before
// any packaging) and hover.
//
//	go run ./scripts/lspdemo [-bin bin/chalice-lsp]
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chalice-lsp/chalice-lsp/bench/lspbench"
)

func main() {
	bin := flag.String("bin", "bin/chalice-lsp", "the server binary")
	flag.Parse()
	if err := run(*bin); err != nil {
		fmt.Fprintln(os.Stderr, "lspdemo:", err)
		os.Exit(1)
	}
}

func run(bin string) error {
	root, err := filepath.Abs(filepath.Join("testdata", "example"))
	if err != nil {
		return err
	}
	// A private cache and no trust: nothing is packaged, so every ID shown comes from
	// reading app.py, as a user sees it in the first milliseconds after opening.
	cache, err := os.MkdirTemp("", "lspdemo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(cache)
	c, err := lspbench.Start(bin, []string{"XDG_CACHE_HOME=" + cache})
	if err != nil {
		return err
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Initialize(ctx, []string{root}, map[string]any{"workspaceTrusted": false}); err != nil {
		return err
	}
	// Each file is opened as if the user had just typed a new line (insert, before
	// anchor) and the cursor sat inside its empty string (after needle).
	for _, f := range []struct{ rel, lang, anchor, insert, needle string }{
		{"python-infrastructure/stacks/chaliceapp.py", "python", "        self.dynamodb_table.grant_read_write_data(",
			"        api = self.chalice.get_resource('')\n", "get_resource('"},
		{"infrastructure/stacks/chaliceapp.go", "go", "\ttable.GrantReadWriteData(",
			"\tfn := chalice.GetFunction(jsii.String(\"\"))\n", `GetFunction(jsii.String("`},
	} {
		if err := show(ctx, c, filepath.Join(root, f.rel), f.lang, f.anchor, f.insert, f.needle); err != nil {
			return fmt.Errorf("%s: %w", f.rel, err)
		}
	}
	return nil
}

func show(ctx context.Context, c *lspbench.Client, path, lang, anchor, insert, needle string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !strings.Contains(string(src), anchor) {
		return fmt.Errorf("%q not found", anchor)
	}
	text := strings.Replace(string(src), anchor, insert+anchor, 1)
	at := strings.Index(text, needle)
	if at < 0 {
		return fmt.Errorf("%q not found", needle)
	}
	at += len(needle)
	line := strings.Count(text[:at], "\n")
	char := at - (strings.LastIndex(text[:at], "\n") + 1) // ASCII file: bytes == UTF-16 units
	uri := lspbench.FileURI(path)
	if err := c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": uri, "languageId": lang, "version": 1, "text": text}}); err != nil {
		return err
	}
	pos := map[string]any{"textDocument": map[string]any{"uri": uri}, "position": map[string]any{"line": line, "character": char}}

	fmt.Printf("\n%s:%d:%d  the user types: %s\n", filepath.Base(path), line+1, char+1, strings.TrimSpace(insert))
	resp, took, err := c.Call(ctx, "textDocument/completion", pos)
	if err != nil {
		return err
	}
	var list struct {
		Items []struct {
			Label  string `json:"label"`
			Detail string `json:"detail"`
		} `json:"items"`
	}
	if err := json.Unmarshal(resp.Result, &list); err != nil || len(list.Items) == 0 {
		// Some servers answer with a bare array.
		if err := json.Unmarshal(resp.Result, &list.Items); err != nil || len(list.Items) == 0 {
			return fmt.Errorf("no completion items: %s", resp.Result)
		}
	}
	for _, it := range list.Items {
		fmt.Printf("    %-28s %s\n", it.Label, it.Detail)
	}
	fmt.Printf("    (%d items in %.1f ms, round trip)\n", len(list.Items), float64(took.Microseconds())/1000)

	resp, _, err = c.Call(ctx, "textDocument/hover", pos)
	if err != nil {
		return err
	}
	var hover struct {
		Contents struct {
			Value string `json:"value"`
		} `json:"contents"`
	}
	if json.Unmarshal(resp.Result, &hover) == nil && hover.Contents.Value != "" {
		fmt.Println("  hover:")
		for _, l := range strings.Split(strings.TrimSpace(hover.Contents.Value), "\n") {
			fmt.Println("    " + l)
		}
	}
	return nil
}
