package main

import (
	"context"
	"io"

	"github.com/chalice-lsp/chalice-lsp/packager"
)

// runPackage packages a project with the same packager the server and the CDK
// construct use, so what the CLI prints is what deploys.
func runPackage(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return packager.RunPackageCommand(ctx, args, stdout, stderr)
}
