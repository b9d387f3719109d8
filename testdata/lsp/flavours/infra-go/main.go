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
	web := construct.NewChalice(stack, jsii.String("WebApp"), &construct.ChaliceProps{
		SourceDir: jsii.String("../runtime"),
		StageConfig: map[string]any{
			"lambda_functions": map[string]any{
				"worker": map[string]any{"lambda_timeout": 120},
			},
		},
	})
	mail := construct.NewChalice(stack, jsii.String("Mail"), &construct.ChaliceProps{
		SourceDir: jsii.String("../mailer"),
		StageName: jsii.String("mail-prod"),
	})
	web.GetFunction(jsii.String("Worker"))
	mail.GetFunction(jsii.String("Mailer"))
	app.Synth(nil)
}
