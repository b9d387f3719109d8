package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/chalice-lsp/chalice-lsp/schema"
)

// runSchema prints the embedded JSON Schema so other tools (editors, CI linters) can
// use exactly what the server validates with.
func runSchema(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("schema", flag.ContinueOnError)
	fs.SetOutput(stderr)
	stage := fs.Bool("stage-config", false, "print the schema of a CDK stage_config instead of config.json")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "chalice-lsp schema: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *stage {
		stdout.Write(schema.StageConfigSchemaJSON())
	} else {
		stdout.Write(schema.ConfigSchemaJSON())
	}
	return 0
}
