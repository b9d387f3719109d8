package main

import (
	"path/filepath"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	chalice "github.com/chalice-lsp/chalice-lsp/construct"
)

const runtimeDir = "runtime"

func NewAppStack(scope constructs.Construct, id string) awscdk.Stack {
	stack := awscdk.NewStack(scope, &id, nil)
	table := awsdynamodb.NewTable(stack, jsii.String("AppTable"), &awsdynamodb.TableProps{
		PartitionKey: &awsdynamodb.Attribute{Name: jsii.String("PK"), Type: awsdynamodb.AttributeType_STRING},
	})
	app := chalice.NewChalice(stack, jsii.String("ChaliceApp"), &chalice.ChaliceProps{
		SourceDir:   jsii.String(filepath.Join("..", runtimeDir)),
		StageConfig: stageConfig(table),
	})
	app.GetRole(jsii.String("DefaultRole"))
	app.SamTemplate().GetResource(jsii.String("RestAPI"))
	app.AddEnvironmentVariable(jsii.String("TABLE"), table.TableName(), jsii.String("APIHandler"))
	return stack
}

func stageConfig(table awsdynamodb.Table) map[string]any {
	return map[string]any{
		"lambda_timeout": 30,
		"tags":           map[string]any{"team": jsii.String("web")},
		"environment_variables": map[string]any{
			"TABLE_NAME": *table.TableName(),
		},
		"lambda_functions": map[string]any{
			"api_handler": map[string]any{"lambda_memory_size": 512, "xray": true},
		},
	}
}
