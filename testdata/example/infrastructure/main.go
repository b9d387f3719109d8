// Command infrastructure is the CDK app of the example: Chalice's cdk-ddb project
// template ("chalice new-project -t cdk-ddb") written in Go with construct.NewChalice.
// Run `cdk synth` or `cdk deploy` in this directory; the Chalice app is in ../runtime.
package main

import (
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/chalice-lsp/chalice-lsp/testdata/example/infrastructure/stacks"
)

func main() {
	// Stops the jsii kernel (a node process) and removes its temporary files.
	defer jsii.Close()

	app := awscdk.NewApp(nil)
	// CHALICE_EXAMPLE_SOURCE_DIR points the stack at another Chalice project (the
	// construct's tests use it to show how a packaging failure is reported).
	stacks.NewChaliceApp(app, "chalice-example", &stacks.ChaliceAppProps{
		SourceDir: os.Getenv("CHALICE_EXAMPLE_SOURCE_DIR"),
	})
	app.Synth(nil)
}
