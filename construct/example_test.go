package construct_test

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/jsii-runtime-go"

	"github.com/chalice-lsp/chalice-lsp/construct"
)

// The Go version of Chalice's cdk-ddb project template: a DynamoDB table, the
// Chalice app with the table name in its environment, and read/write access for the
// app's role. A real program calls `defer jsii.Close()` first thing in main.
func ExampleNewChalice() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("chalice-example"), nil)

	table := awsdynamodb.NewTable(stack, jsii.String("AppTable"), &awsdynamodb.TableProps{
		PartitionKey: &awsdynamodb.Attribute{Name: jsii.String("PK"), Type: awsdynamodb.AttributeType_STRING},
		SortKey:      &awsdynamodb.Attribute{Name: jsii.String("SK"), Type: awsdynamodb.AttributeType_STRING},
	})

	chalice := construct.NewChalice(stack, jsii.String("ChaliceApp"), &construct.ChaliceProps{
		SourceDir: jsii.String("../testdata/example/runtime"),
		StageConfig: map[string]any{
			"environment_variables": map[string]any{
				"APP_TABLE_NAME": *table.TableName(), // a token, resolved at synth
			},
			"lambda_functions": map[string]any{
				"api_handler": map[string]any{"lambda_memory_size": 512},
			},
		},
	})
	if err := chalice.Err(); err != nil {
		// The same message is an error annotation: `cdk synth` would fail with it.
		fmt.Println(err)
		return
	}
	table.GrantReadWriteData(chalice.GetRole(jsii.String("DefaultRole")))
	api := chalice.LogicalIDFor(jsii.String("api_handler"))
	chalice.AddEnvironmentVariable(jsii.String("LOG_LEVEL"), jsii.String("debug"), api)

	app.Synth(nil)
	fmt.Println("stage:", *chalice.StageName())
	fmt.Println("resources:", chalice.LogicalIDs())
	fmt.Println("api_handler is", *api)
	// Output:
	// stage: chalice-example
	// resources: [APIHandler APIHandlerInvokePermission DefaultRole RestAPI]
	// api_handler is APIHandler
}
