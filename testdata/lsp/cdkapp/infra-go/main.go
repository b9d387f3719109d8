package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/chalice-lsp/chalice-lsp/construct"
)

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("web"), nil)
	chalice := construct.NewChalice(stack, "WebApp", &construct.ChaliceProps{
		SourceDir: jsii.String("../runtime"),
		StageConfig: map[string]any{
			"lambda_timeout": 45,
			"xray":           "yes",
		},
	})
	chalice.GetResource(jsii.String("RestAPI"))
	chalice.GetRole(jsii.String("APIHandler"))
	app.Synth(nil)
}
