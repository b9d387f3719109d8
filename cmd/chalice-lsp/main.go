// Command chalice-lsp is the language server and command-line checker for AWS Chalice
// apps deployed with AWS CDK.
//
//	chalice-lsp serve [--stdio]        run the language server over stdio
//	chalice-lsp check [flags] [PATH...] report what the editor reports, for CI
//	chalice-lsp package [flags] DIR    run `chalice package` through the packager
//	chalice-lsp schema [--stage-config] print the JSON Schema for config.json
//	chalice-lsp version                print the version
//
// Exit codes: 0 success, 1 problems found (check: findings at or above --fail-on; a
// failed package), 2 usage or I/O errors.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
)

// version is set at build time (make build: -X main.version=...).
var version = "dev"

const usage = `chalice-lsp: editor tooling for AWS Chalice apps deployed with AWS CDK

Usage:
  chalice-lsp serve [--stdio]                      run the language server over stdio
  chalice-lsp check [--format text|json|sarif|github] [--fail-on error|warning|never]
                    [--ignore CODE]... [--stage NAME] [PATH...]
                                                   report what the editor reports: every Chalice
                                                   project and CDK app below PATH (default .),
                                                   or one project or config.json
  chalice-lsp package [--stage NAME] [--stage-config JSON|@FILE] [--out DIR]
                      [--format text|json] [--print-template] PROJECT_DIR
                                                   package the app with chalice and list its
                                                   logical IDs
  chalice-lsp schema [--stage-config]              print the JSON Schema of config.json (or of
                                                   a CDK stage_config)
  chalice-lsp version                              print the version

Run 'chalice-lsp COMMAND -h' for a command's flags.
`

func main() {
	os.Exit(runMain(os.Args[1:]))
}

// runMain runs a command with the signals handled: SIGINT (Ctrl-C), SIGTERM and
// SIGHUP (the terminal closed) cancel the command's context, so `serve` and
// `package` stop chalice with all its children before they exit; a command with
// nothing to clean up (check, schema) exits at once with 128+signal. A second
// signal exits at once in any case. SIGPIPE is ignored: a client that stops reading
// makes writes fail (and the server end its session cleanly) instead of killing the
// process with its children still running.
func runMain(args []string) int {
	signal.Ignore(syscall.SIGPIPE)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := ""
	if len(args) > 0 {
		cmd = args[0]
	}
	cleansUp := cmd == "serve" || cmd == "--stdio" || cmd == "package"
	var got atomic.Int32 // the first signal, 0 if none
	go func() {
		sig, ok := <-sigs
		if !ok {
			return
		}
		got.Store(int32(signalNumber(sig)))
		cancel()
		if !cleansUp {
			os.Exit(128 + signalNumber(sig))
		}
		sig = <-sigs
		os.Exit(128 + signalNumber(sig))
	}()
	code := run(ctx, args, os.Stdin, os.Stdout, os.Stderr)
	if n := got.Load(); n != 0 && cmd == "package" {
		return 128 + int(n) // stopped by the signal, after stopping chalice
	}
	return code
}

func signalNumber(s os.Signal) int {
	if n, ok := s.(syscall.Signal); ok {
		return int(n)
	}
	return 2
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve", "--stdio":
		return runServe(ctx, rest, stdin, stdout, stderr)
	case "check":
		return runCheck(ctx, rest, stdout, stderr)
	case "package":
		return runPackage(ctx, rest, stdout, stderr)
	case "schema":
		return runSchema(rest, stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintf(stdout, "chalice-lsp %s\n", version)
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "chalice-lsp: unknown command %q\n\n%s", cmd, usage)
	return 2
}
