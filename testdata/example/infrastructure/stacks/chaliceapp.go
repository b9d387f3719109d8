// Package stacks holds the example's stack, the Go version of the cdk-ddb template's
// stacks/chaliceapp.py. It is a package of its own so that the construct's tests can
// build the same stack in-process.
package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/chalice-lsp/chalice-lsp/construct"
)

// RuntimeSourceDir is where the Chalice app is, relative to the infrastructure
// directory, the working directory `cdk synth` gives the app.
const RuntimeSourceDir = "../runtime"

// ChaliceAppProps configures NewChaliceApp.
type ChaliceAppProps struct {
	awscdk.StackProps
	// SourceDir overrides RuntimeSourceDir.
	SourceDir string
}

// ChaliceApp is the example stack: a DynamoDB table and the Chalice REST API that
// reads and writes it.
type ChaliceApp struct {
	awscdk.Stack
	// Table is the app's DynamoDB table (PK/SK string keys).
	Table awsdynamodb.Table
	// Chalice is the Chalice app.
	Chalice *construct.Chalice
}

// NewChaliceApp creates the example stack with the given id, which is also the
// Chalice stage name.
func NewChaliceApp(scope constructs.Construct, id string, props *ChaliceAppProps) *ChaliceApp {
	if props == nil {
		props = &ChaliceAppProps{}
	}
	sourceDir := props.SourceDir
	if sourceDir == "" {
		sourceDir = RuntimeSourceDir
	}
	stack := awscdk.NewStack(scope, jsii.String(id), &props.StackProps)

	table := awsdynamodb.NewTable(stack, jsii.String("AppTable"), &awsdynamodb.TableProps{
		PartitionKey:  &awsdynamodb.Attribute{Name: jsii.String("PK"), Type: awsdynamodb.AttributeType_STRING},
		SortKey:       &awsdynamodb.Attribute{Name: jsii.String("SK"), Type: awsdynamodb.AttributeType_STRING},
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
	awscdk.NewCfnOutput(stack, jsii.String("AppTableName"), &awscdk.CfnOutputProps{
		Value: table.TableName(),
	})

	chalice := construct.NewChalice(stack, jsii.String("ChaliceApp"), &construct.ChaliceProps{
		SourceDir: jsii.String(sourceDir),
		StageConfig: map[string]any{
			"environment_variables": map[string]any{
				// A CDK token: it passes through `chalice package` and resolves to
				// {"Ref": "AppTable..."} at synth.
				"APP_TABLE_NAME": *table.TableName(),
			},
		},
	})
	table.GrantReadWriteData(chalice.GetRole(jsii.String("DefaultRole")))

	return &ChaliceApp{Stack: stack, Table: table, Chalice: chalice}
}
