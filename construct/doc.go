// Package construct is the AWS CDK v2 construct for deploying an AWS Chalice app from a
// Go CDK app: the Go twin of Chalice's own chalice.cdk.Chalice and of cdk-chalice,
// without their known bugs.
//
// NewChalice packages the Chalice project with `chalice package` through the packager
// package (the same code the chalice-lsp language server uses to preview the
// template), turns every deployment zip into an S3 asset, and includes the resulting
// SAM template in the stack with cloudformation_include.CfnInclude:
//
//	table := awsdynamodb.NewTable(stack, jsii.String("AppTable"), ...)
//	app := construct.NewChalice(stack, jsii.String("ChaliceApp"), &construct.ChaliceProps{
//		SourceDir: jsii.String("../runtime"),
//		StageConfig: map[string]any{
//			"environment_variables": map[string]any{"APP_TABLE_NAME": *table.TableName()},
//		},
//	})
//	table.GrantReadWriteData(app.GetRole(jsii.String("DefaultRole")))
//
// # Differences from chalice.cdk.Chalice
//
//   - Packaging runs `chalice package` as a child process (or in a container with
//     PackageConfig.UseContainer), never inside the CDK process, so several Chalice
//     constructs in one app each package their own app (chalice #1994) and the
//     environment of the CDK process is left alone.
//   - The user's project is never written to: no .chalice/deployments, no rewritten
//     config.json.
//   - StageConfig is merged into config.json with Chalice's precedence, including its
//     lambda_functions section (ignored by chalice.cdk.Chalice, chalice #1998).
//   - The Chalice stage name defaults to the scope's construct path made safe for
//     every place Chalice uses it ("Stage/Stack" becomes "Stage-Stack"; a "/" breaks
//     the managed layer name, chalice #1985), and ChaliceProps.StageName sets it
//     explicitly (chalice #1846).
//   - LogicalIDFor maps a handler name ("api_handler", "my_function") to the logical
//     ID Chalice gives it (chalice #1734).
//   - Every AWS::Serverless::LayerVersion ContentUri becomes an asset too, not only a
//     single managed layer.
//
// # Errors
//
// A Chalice app that cannot be packaged does not stop the Go program: NewChalice
// records the failure as a CDK error annotation on the construct (so `cdk synth`
// fails with "[Error at /Stack/ChaliceApp] ..." and the packager's explanation) and
// returns a construct without resources; Err reports the failure to Go code.
//
// Looking up a logical ID that the template does not contain is a programming error
// in the CDK app. In the CDK style, GetResource, GetRole, GetFunction and
// AddEnvironmentVariable panic with an *UnknownLogicalIDError that names the IDs that
// do exist; LookupResource, LookupRole and LookupFunction return the same error
// instead, for Go code that prefers to handle it.
//
// # Cost
//
// Like every Go CDK program, an app that imports this package runs a Node.js jsii
// kernel: node (22 or 24) must be on PATH, and main should `defer jsii.Close()`.
package construct
