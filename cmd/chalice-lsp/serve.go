package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/chalice-lsp/chalice-lsp/lsp"
)

// runServe runs the language server over stdio. stdout carries only LSP messages;
// logs go to the client. Exit status: 0 after shutdown+exit, 1 otherwise (LSP spec).
func runServe(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Bool("stdio", true, "communicate over stdin/stdout (the only transport)")
	cacheDir := fs.String("cache-dir", "", "where packaging results and previews are cached (default: the user cache dir)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "chalice-lsp serve: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	err := lsp.Serve(ctx, stdin, stdout, lsp.Options{CacheDir: *cacheDir, Version: version})
	if err != nil {
		fmt.Fprintf(stderr, "chalice-lsp serve: %v\n", err)
	}
	return lsp.ExitCode(err)
}
