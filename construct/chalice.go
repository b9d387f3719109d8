package construct

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3assets"
	"github.com/aws/aws-cdk-go/awscdk/v2/cloudformationinclude"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/chalice-lsp/chalice-lsp/packager"
	"github.com/chalice-lsp/chalice-lsp/schema/effective"
	"github.com/chalice-lsp/chalice-lsp/schema/naming"
)

// Resource types the construct treats specially.
const (
	typeFunction = "AWS::Serverless::Function"
	typeLayer    = "AWS::Serverless::LayerVersion"
	typeRole     = "AWS::IAM::Role"
)

// Construct IDs of the children, the same as chalice.cdk.Chalice uses, so that the
// logical IDs CDK derives (for assets and for PreserveLogicalIds false) match.
const (
	includeID    = "ChaliceApp"
	codeAssetID  = "ChaliceAppCode"
	layerAssetID = "ChaliceManagedLayer"
)

// ChaliceProps configures NewChalice. Only SourceDir is required.
type ChaliceProps struct {
	// SourceDir is the Chalice project directory (the one holding app.py and
	// .chalice/config.json). A relative path is resolved against the working
	// directory of the CDK app, which `cdk synth` sets to the directory of cdk.json.
	// The directory is only read, never written.
	SourceDir *string

	// StageConfig is merged into the chosen stage of .chalice/config.json for
	// packaging, with the same shape as a stage block: "environment_variables",
	// "lambda_timeout", "lambda_functions": {"api_handler": {...}}, and so on. Its
	// values win over config.json, except that a stages.<stage>.lambda_functions
	// entry in config.json still beats a plain value here (Chalice's precedence; for
	// environment_variables and tags the construct adds a warning annotation when
	// that happens). Unlike chalice.cdk.Chalice, lambda_functions inside StageConfig
	// takes effect.
	//
	// Values may be Go values or pointers to them (jsii.String, *map[string]*string).
	// String CDK tokens such as *table.TableName() are allowed anywhere and resolve at
	// synth; number tokens are rejected because Chalice needs the number itself.
	StageConfig map[string]any

	// StageName is the Chalice stage to package. It selects stages.<name> in
	// config.json and appears in the managed layer name, the websocket API name and
	// the aws-chalice tag, so it may contain only letters, digits, '-' and '_'.
	// Default: the scope's construct path made safe (see StageNameFromPath); for a
	// stack directly under the App that is the stack id, as with chalice.cdk.Chalice.
	StageName *string

	// PackageConfig chooses how `chalice package` runs. Default: as a child process
	// with the Chalice found by the packager.
	PackageConfig *PackageConfig

	// PreserveLogicalIds keeps the logical IDs that `chalice package` gives
	// (APIHandler, RestAPI, DefaultRole, ...) in the stack. Default true, as in
	// chalice.cdk.Chalice. Set it to false to put several Chalice apps in one stack:
	// CDK then derives unique IDs from the construct path. Lookups always take the
	// original IDs.
	PreserveLogicalIds *bool
}

// PackageConfig chooses how `chalice package` runs.
type PackageConfig struct {
	// UseContainer runs packaging in a Docker container, so that dependencies with
	// native code are built for Lambda's Linux (cdk-chalice's use_container).
	UseContainer *bool
	// Image is the container image for UseContainer. Default: the packager's choice,
	// an AWS SAM build image for the packaging Python version.
	Image *string
	// Env holds extra environment variables for packaging. They are added to the
	// inherited environment (PATH, virtualenv, AWS profile stay available), not
	// substituted for it.
	Env *map[string]*string
}

// Chalice is a Chalice app included in a CDK stack. Create it with NewChalice.
//
// Use the embedded Construct (chalice.Construct), not *Chalice itself, as the scope
// of constructs you add under it.
type Chalice struct {
	constructs.Construct

	sourceDir, stageName string
	stageConfig          map[string]any
	preserveLogicalIDs   bool

	include   cloudformationinclude.CfnInclude
	result    *packager.Result
	resources map[string]string // original logical ID -> type
	err       error

	roles     map[string]awsiam.IRole
	functions map[string]awslambda.IFunction
}

// NewChalice packages the Chalice project in props.SourceDir for the construct's stage
// and includes the resulting SAM template under scope with the given id.
//
// Packaging happens here, while the CDK app builds its tree, so its cost is paid on
// every synth; the packager caches results for unchanged inputs. If packaging fails,
// NewChalice does not panic: it adds a CDK error annotation with the packager's
// explanation to the construct (failing `cdk synth`), and the returned construct has
// no resources; see Err.
func NewChalice(scope constructs.Construct, id *string, props *ChaliceProps) *Chalice {
	c := &Chalice{
		Construct:          constructs.NewConstruct(scope, id),
		preserveLogicalIDs: true,
		resources:          map[string]string{},
		roles:              map[string]awsiam.IRole{},
		functions:          map[string]awslambda.IFunction{},
	}
	if props == nil {
		props = &ChaliceProps{}
	}
	if props.PreserveLogicalIds != nil {
		c.preserveLogicalIDs = *props.PreserveLogicalIds
	}
	if props.StageName != nil {
		c.stageName = *props.StageName
	} else {
		c.stageName = StageNameFromPath(*scope.Node().Path())
	}
	if props.SourceDir != nil {
		if abs, err := filepath.Abs(*props.SourceDir); err == nil {
			c.sourceDir = abs
		} else {
			c.sourceDir = *props.SourceDir
		}
	}
	if err := c.build(props); err != nil {
		// Whatever was half-built is not the user's to look up.
		c.err, c.include, c.result = err, nil, nil
		c.resources = map[string]string{}
		awscdk.Annotations_Of(c.Construct).AddError(jsii.String(err.Error()))
	}
	return c
}

// build does the work of NewChalice; any error it returns becomes the annotation.
func (c *Chalice) build(props *ChaliceProps) error {
	if props.SourceDir == nil || *props.SourceDir == "" {
		return errors.New("ChaliceProps.SourceDir is required: set it to the Chalice project directory (the one with app.py and .chalice/config.json)")
	}
	if props.StageName != nil {
		if err := checkStageName(c.stageName); err != nil {
			return err
		}
	}
	if fi, err := os.Stat(c.sourceDir); err != nil || !fi.IsDir() {
		wd, _ := os.Getwd()
		return fmt.Errorf("SourceDir %q is not a directory (resolved against the working directory %s); point it at the Chalice project", *props.SourceDir, wd)
	}
	stageConfig, err := normalizeStageConfig(props.StageConfig, isNumberToken)
	if err != nil {
		return err
	}
	c.stageConfig = stageConfig

	req := packager.Request{
		SourceDir:   c.sourceDir,
		Stage:       c.stageName,
		StageConfig: stageConfig,
		// This construct deep-merges its StageConfig into stages.<stage>; the editor
		// resolves values the same way (cdkcode.GoConstruct).
		StageConfigMode: effective.MergeIntoStage,
	}
	if pc := props.PackageConfig; pc != nil {
		req.Package.UseContainer = pc.UseContainer != nil && *pc.UseContainer
		if pc.Image != nil {
			req.Package.Image = *pc.Image
		}
		if pc.Env != nil {
			req.Package.Env = map[string]string{}
			for k, v := range *pc.Env {
				if v != nil {
					req.Package.Env[k] = *v
				}
			}
		}
	}
	if req.Package.Env == nil {
		req.Package.Env = map[string]string{}
	}
	if _, ok := req.Package.Env["AWS_DEFAULT_REGION"]; !ok && os.Getenv("AWS_DEFAULT_REGION") == "" && os.Getenv("AWS_REGION") == "" {
		// `chalice package` needs a region (not credentials), and so does an app.py
		// that creates boto3 clients at import time, as the cdk-ddb template does.
		req.Package.Env["AWS_DEFAULT_REGION"] = c.region()
	}
	res, err := sharedPackager().Package(context.Background(), req)
	if err != nil {
		return packagingError(c.sourceDir, c.stageName, err)
	}
	c.result = res
	return c.includeTemplate(res)
}

// includeTemplate adds the packaged template and its assets. CDK reports problems with a
// template (an intrinsic it cannot parse, say) by throwing, which jsii turns into a
// Go panic; includeTemplate turns that into an error, so it ends up as an annotation with
// the construct path like every other failure.
func (c *Chalice) includeTemplate(res *packager.Result) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("including the template that `chalice package` wrote (%s) failed: %v", res.TemplatePath, r)
		}
	}()
	c.include = cloudformationinclude.NewCfnInclude(c.Construct, jsii.String(includeID), &cloudformationinclude.CfnIncludeProps{
		TemplateFile:       jsii.String(res.TemplatePath),
		PreserveLogicalIds: jsii.Bool(c.preserveLogicalIDs),
	})
	for _, r := range res.Template.Resources {
		c.resources[r.LogicalID] = r.Type
	}
	if err := c.addAssets(); err != nil {
		return err
	}
	c.warnShadowedSettings(c.stageConfig)
	return nil
}

// sharedPackager is the process's packager: one per process, so that several Chalice
// constructs with the same inputs share one run and its in-memory cache.
var sharedPackager = sync.OnceValue(func() *packager.Packager {
	return packager.New(packager.Options{})
})

// region is the stack's region when it is known at synth time, else
// packager.DefaultRegion. It
// only matters to code that runs while packaging; the template uses ${AWS::Region}.
func (c *Chalice) region() string {
	r := awscdk.Stack_Of(c.Construct).Region()
	if r != nil && *r != "" && !*awscdk.Token_IsUnresolved(*r) {
		return *r
	}
	return packager.DefaultRegion
}

// isNumberToken asks CDK whether a number is an encoded token.
func isNumberToken(f float64) bool {
	// CDK encodes number tokens as doubles near -1.8881545897087626e+289; skip the
	// jsii round trip for every ordinary number.
	if f > -1e280 {
		return false
	}
	return *awscdk.Token_IsUnresolved(f)
}

// packagingError turns a packager failure into the text of the error annotation.
func packagingError(sourceDir, stage string, err error) error {
	// *packager.Error renders as "file:line: message\n  hint: ..."; it stays in the
	// chain for errors.As.
	return fmt.Errorf("packaging the Chalice app in %s for stage %q failed: %w", sourceDir, stage, err)
}

// addAssets makes every local CodeUri of a function and ContentUri of a layer an S3
// asset. Chalice writes them as paths relative to the template ("./deployment.zip",
// "./layer-deployment.zip"); one asset is made per distinct file.
func (c *Chalice) addAssets() error {
	assets := map[string]awss3assets.Asset{}
	for _, r := range c.result.Template.Resources {
		var prop string
		switch r.Type {
		case typeFunction:
			prop = "CodeUri"
		case typeLayer:
			prop = "ContentUri"
		default:
			continue
		}
		if r.Props == nil {
			continue
		}
		uri := r.Props.Get(prop)
		if uri == nil || uri.Text == "" || strings.Contains(uri.Text, "://") {
			// Missing, not a string, or already an S3 URL: nothing local to upload.
			continue
		}
		file := uri.Text
		if !filepath.IsAbs(file) {
			file = filepath.Join(filepath.Dir(c.result.TemplatePath), file)
		}
		if _, err := os.Stat(file); err != nil {
			return fmt.Errorf("resource %s: %s %q names a file that `chalice package` did not write (%v)", r.LogicalID, prop, uri.Text, err)
		}
		asset, ok := assets[file]
		if !ok {
			asset = awss3assets.NewAsset(c.Construct, jsii.String(c.assetID(r.Type, file, len(assets))), &awss3assets.AssetProps{
				Path: jsii.String(file),
			})
			assets[file] = asset
		}
		c.include.GetResource(jsii.String(r.LogicalID)).AddPropertyOverride(jsii.String(prop), map[string]any{
			"Bucket": asset.S3BucketName(),
			"Key":    asset.S3ObjectKey(),
		})
	}
	return nil
}

// assetID names the asset for a file: the IDs chalice.cdk.Chalice uses for the
// deployment package and the managed layer, and a numbered ID for anything else.
func (c *Chalice) assetID(resourceType, file string, n int) string {
	base := filepath.Base(file)
	switch {
	case resourceType == typeFunction && base == "deployment.zip":
		return codeAssetID
	case resourceType == typeLayer && base == "layer-deployment.zip":
		return layerAssetID
	default:
		return fmt.Sprintf("ChaliceAsset%d", n)
	}
}

// Err returns why the app could not be packaged, or nil. The same text is on the
// construct as a CDK error annotation, so `cdk synth` fails with it.
func (c *Chalice) Err() error { return c.err }

// SamTemplate returns the included SAM template, for access to everything Chalice
// generated (GetResource, GetOutput, ...). It is nil when packaging failed.
func (c *Chalice) SamTemplate() cloudformationinclude.CfnInclude { return c.include }

// StageName returns the Chalice stage the app was packaged for.
func (c *Chalice) StageName() *string { return jsii.String(c.stageName) }

// SourceDir returns the absolute path of the Chalice project.
func (c *Chalice) SourceDir() *string { return jsii.String(c.sourceDir) }

// TemplatePath returns the path of the SAM template `chalice package` wrote (before
// asset rewriting), or nil when packaging failed. It is in the packager's cache or
// output directory, never in the project.
func (c *Chalice) TemplatePath() *string {
	if c.result == nil {
		return nil
	}
	return jsii.String(c.result.TemplatePath)
}

// LogicalIDs returns the original logical IDs of the Chalice template, sorted.
func (c *Chalice) LogicalIDs() []string {
	ids := make([]string, 0, len(c.resources))
	for id := range c.resources {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// LogicalIDFor returns the logical ID `chalice package` gives the Lambda function of
// a handler, from the handler's config name: "api_handler" (all @app.route views) is
// "APIHandler", "websocket_connect" is "WebsocketConnect", and any other name goes
// through Chalice's to_cfn_resource_name ("my_function" is "MyFunction",
// "CustomName-v2" is "CustomNameV2"). The name is the one used under
// lambda_functions in config.json: the name= argument of the decorator or the Python
// function name, with any blueprint prefix. It returns nil for names that have no
// logical ID (empty, or only separators). It does not check that the handler exists.
func (c *Chalice) LogicalIDFor(handlerName *string) *string {
	if handlerName == nil {
		return nil
	}
	switch *handlerName {
	case "api_handler":
		return jsii.String("APIHandler")
	}
	id := naming.LogicalID(*handlerName)
	if id == "" {
		return nil
	}
	return jsii.String(id)
}

// LookupResource returns the L1 resource with the given original logical ID, such as
// an awssam.CfnFunction for "APIHandler" or an awsiam.CfnRole for "DefaultRole", or an
// *UnknownLogicalIDError.
func (c *Chalice) LookupResource(logicalID string) (awscdk.CfnResource, error) {
	if err := c.check(logicalID, ""); err != nil {
		return nil, err
	}
	return c.include.GetResource(jsii.String(logicalID)), nil
}

// GetResource is LookupResource in the CDK style: it panics with an
// *UnknownLogicalIDError for an ID the template does not have.
func (c *Chalice) GetResource(logicalID *string) awscdk.CfnResource {
	return must(c.LookupResource(deref(logicalID)))
}

// LookupRole returns the IAM role with the given original logical ID ("DefaultRole",
// or "<Function>Role" for a function with its own policy) as an awsiam.IRole, so it
// can be granted access: table.GrantReadWriteData(role). The same role object is
// returned on every call. The error is an *UnknownLogicalIDError when the ID does not
// exist or is not an AWS::IAM::Role.
func (c *Chalice) LookupRole(logicalID string) (awsiam.IRole, error) {
	if role, ok := c.roles[logicalID]; ok {
		return role, nil
	}
	if c.err != nil {
		// Keep the app building so that synth reports the packaging error, which is
		// what the user has to fix, instead of a panic about the role.
		role := awsiam.Role_FromRoleArn(c.Construct, jsii.String(c.childID(logicalID)),
			jsii.String("arn:aws:iam::000000000000:role/chalice-app-not-packaged"), nil)
		c.roles[logicalID] = role
		return role, nil
	}
	if err := c.check(logicalID, typeRole); err != nil {
		return nil, err
	}
	arn := c.include.GetResource(jsii.String(logicalID)).GetAtt(jsii.String("Arn"), awscdk.ResolutionTypeHint_STRING)
	role := awsiam.Role_FromRoleArn(c.Construct, jsii.String(c.childID(logicalID)), arn.ToString(), nil)
	c.roles[logicalID] = role
	return role, nil
}

// GetRole is LookupRole in the CDK style: it panics with an *UnknownLogicalIDError.
func (c *Chalice) GetRole(logicalID *string) awsiam.IRole {
	return must(c.LookupRole(deref(logicalID)))
}

// LookupFunction returns the Lambda function with the given original logical ID
// ("APIHandler", or LogicalIDFor(handler)) as an awslambda.IFunction, for grants,
// metrics and event sources defined in CDK. When the function uses a role of the
// template (DefaultRole, <Function>Role), that role is attached, so granting the
// function access to a resource adds the policy to the role. The same object is
// returned on every call. The error is an *UnknownLogicalIDError when the ID does not exist or is not
// an AWS::Serverless::Function.
func (c *Chalice) LookupFunction(logicalID string) (awslambda.IFunction, error) {
	if fn, ok := c.functions[logicalID]; ok {
		return fn, nil
	}
	if c.err != nil {
		fn := awslambda.Function_FromFunctionArn(c.Construct, jsii.String(c.childID(logicalID)),
			jsii.String("arn:aws:lambda:us-east-1:000000000000:function:chalice-app-not-packaged"))
		c.functions[logicalID] = fn
		return fn, nil
	}
	if err := c.check(logicalID, typeFunction); err != nil {
		return nil, err
	}
	arn := c.include.GetResource(jsii.String(logicalID)).GetAtt(jsii.String("Arn"), awscdk.ResolutionTypeHint_STRING)
	attrs := &awslambda.FunctionAttributes{
		FunctionArn: arn.ToString(),
		// The function is in this stack, so CDK may add permissions to it (GrantInvoke).
		SameEnvironment: jsii.Bool(true),
	}
	// With its role attached, grants to the function (table.GrantReadData(fn)) land
	// on the Chalice role, instead of failing as with chalice.cdk.Chalice's
	// from_function_arn.
	if r := c.result.Template.Resource(logicalID); r != nil && r.Function != nil && r.Function.RoleIsRef {
		if role, err := c.LookupRole(r.Function.Role); err == nil {
			attrs.Role = role
		}
	}
	fn := awslambda.Function_FromFunctionAttributes(c.Construct, jsii.String(c.childID(logicalID)), attrs)
	c.functions[logicalID] = fn
	return fn, nil
}

// GetFunction is LookupFunction in the CDK style: it panics with an
// *UnknownLogicalIDError.
func (c *Chalice) GetFunction(logicalID *string) awslambda.IFunction {
	return must(c.LookupFunction(deref(logicalID)))
}

// AddEnvironmentVariable sets an environment variable of the function with the given
// original logical ID, after packaging (value may be a CDK token). It panics with an
// *UnknownLogicalIDError when the ID is not an AWS::Serverless::Function of the
// template. When packaging failed it does nothing: synth fails with the packaging
// error anyway.
func (c *Chalice) AddEnvironmentVariable(key, value, functionLogicalID *string) {
	if c.err != nil {
		return
	}
	id := deref(functionLogicalID)
	if err := c.check(id, typeFunction); err != nil {
		panic(err)
	}
	// addOverride splits its path at dots; a literal dot is written "\.".
	path := "Properties.Environment.Variables." + strings.ReplaceAll(deref(key), ".", `\.`)
	c.include.GetResource(jsii.String(id)).AddOverride(jsii.String(path), value)
}

// check returns an *UnknownLogicalIDError unless the template has logicalID with the
// wanted type ("" for any type).
func (c *Chalice) check(logicalID, want string) error {
	e := &UnknownLogicalIDError{
		Path:      *c.Node().Path(),
		LogicalID: logicalID,
		Want:      want,
		Existing:  c.resources,
	}
	if c.err != nil {
		e.NotPackaged = c.err
		return e
	}
	typ, ok := c.resources[logicalID]
	if !ok {
		return e
	}
	if want != "" && typ != want {
		e.Got = typ
		return e
	}
	return nil
}

// childID is the construct ID for an imported role or function: the logical ID, as in
// chalice.cdk.Chalice (so granted policies get the same logical IDs), unless that
// clashes with one of the construct's own children.
func (c *Chalice) childID(logicalID string) string {
	switch logicalID {
	case includeID, codeAssetID, layerAssetID:
		return logicalID + "Import"
	}
	if strings.HasPrefix(logicalID, "ChaliceAsset") {
		return logicalID + "Import"
	}
	return logicalID
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
