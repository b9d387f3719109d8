package construct_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/chalice-lsp/chalice-lsp/construct"
)

// assetCodeURI checks that a CodeUri/ContentUri is the S3 location of a file asset
// in the CDK bootstrap bucket and returns the object key.
func assetCodeURI(t *testing.T, id string, v any) string {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s: want an S3 asset location, got %s", id, jsonOf(v))
	}
	bucket := jsonOf(m["Bucket"])
	if !strings.Contains(bucket, "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}") {
		t.Errorf("%s: Bucket is %s, want the CDK asset bucket", id, bucket)
	}
	key, _ := m["Key"].(string)
	if !strings.HasSuffix(key, ".zip") || len(key) != 64+len(".zip") {
		t.Errorf("%s: Key is %s, want <sha256>.zip", id, jsonOf(m["Key"]))
	}
	return key
}

func TestExampleStack(t *testing.T) {
	w := fixture(t)
	tpl := w.template(t, w.example.Stack)

	if tpl.Transform != "AWS::Serverless-2016-10-31" {
		t.Errorf("Transform = %v, want the SAM transform", tpl.Transform)
	}
	want := map[string]string{
		"APIHandler":                 "AWS::Serverless::Function",
		"RestAPI":                    "AWS::Serverless::Api",
		"APIHandlerInvokePermission": "AWS::Lambda::Permission",
		"DefaultRole":                "AWS::IAM::Role",
	}
	for id, typ := range want {
		if got := tpl.resource(t, id).Type; got != typ {
			t.Errorf("%s is %s, want %s", id, got, typ)
		}
	}
	if ids := tpl.byType("AWS::DynamoDB::Table"); len(ids) != 1 || !strings.HasPrefix(ids[0], "AppTable") {
		t.Errorf("tables = %v, want one AppTable*", ids)
	}
	fn := tpl.resource(t, "APIHandler").Properties
	assetCodeURI(t, "APIHandler", fn["CodeUri"])
	if fn["Handler"] != "app.app" || !strings.HasPrefix(jsonOf(fn["Runtime"]), `"python3.`) {
		t.Errorf("APIHandler Handler/Runtime = %v/%v", fn["Handler"], fn["Runtime"])
	}

	// The token from StageConfig went through `chalice package` and resolved at synth.
	table := tpl.byType("AWS::DynamoDB::Table")[0]
	env := jsonOf(fn["Environment"])
	if env != `{"Variables":{"APP_TABLE_NAME":{"Ref":"`+table+`"}}}` {
		t.Errorf("APIHandler Environment = %s, want APP_TABLE_NAME = Ref %s", env, table)
	}

	// GrantReadWriteData(GetRole("DefaultRole")) attached a policy to the Chalice role.
	var policies []string
	for id, r := range tpl.Resources {
		if r.Type == "AWS::IAM::Policy" && strings.Contains(jsonOf(r.Properties["Roles"]), `"DefaultRole","Arn"`) {
			policies = append(policies, id)
			if !strings.Contains(jsonOf(r.Properties["PolicyDocument"]), "dynamodb:PutItem") {
				t.Errorf("policy %s does not grant dynamodb:PutItem", id)
			}
		}
	}
	if len(policies) != 1 || !strings.HasPrefix(policies[0], "ChaliceAppDefaultRolePolicy") {
		t.Errorf("policies on DefaultRole = %v, want one ChaliceAppDefaultRolePolicy*", policies)
	}

	// Chalice's outputs are stack outputs, next to the example's own.
	for _, o := range []string{"AppTableName", "RestAPIId", "APIHandlerName", "APIHandlerArn", "EndpointURL"} {
		if _, ok := tpl.Outputs[o]; !ok {
			t.Errorf("output %s missing; outputs: %v", o, keys(tpl.Outputs))
		}
	}

	c := w.example.Chalice
	if *c.StageName() != "chalice-example" {
		t.Errorf("StageName() = %q, want the stack id", *c.StageName())
	}
	if *c.SourceDir() != exampleRuntime() {
		t.Errorf("SourceDir() = %q", *c.SourceDir())
	}
	if tag := jsonOf(fn["Tags"]); !strings.Contains(tag, "stage=chalice-example:app=chalice-example") {
		t.Errorf("aws-chalice tag = %s", tag)
	}
	if got := c.LogicalIDs(); !reflect.DeepEqual(got, []string{"APIHandler", "APIHandlerInvokePermission", "DefaultRole", "RestAPI"}) {
		t.Errorf("LogicalIDs() = %v", got)
	}
	if c.GetFunction(c.LogicalIDFor(ptr("api_handler"))) != c.GetFunction(ptr("APIHandler")) {
		t.Error("GetFunction does not return the same object twice")
	}
	if c.SamTemplate() == nil || c.TemplatePath() == nil {
		t.Error("SamTemplate() or TemplatePath() is nil")
	}
}

func TestPerFunctionStageConfig(t *testing.T) {
	w := fixture(t)
	tpl := w.template(t, w.perFnStack)
	props := func(id string) map[string]any { return tpl.resource(t, id).Properties }

	// lambda_functions.worker in StageConfig beats the StageConfig's lambda_timeout
	// and config.json's top-level lambda_memory_size (chalice #1998 ignores it).
	if got := jsonOf(props("Worker")["Timeout"]); got != "45" {
		t.Errorf("Worker Timeout = %s, want 45 from StageConfig lambda_functions.worker", got)
	}
	if got := jsonOf(props("Worker")["MemorySize"]); got != "512" {
		t.Errorf("Worker MemorySize = %s, want 512 from StageConfig lambda_functions.worker", got)
	}
	// Stage-level values reach the other functions; config.json's top level fills in.
	for _, id := range []string{"APIHandler", "EveryHour"} {
		if got := jsonOf(props(id)["Timeout"]); got != "20" {
			t.Errorf("%s Timeout = %s, want 20 from StageConfig lambda_timeout", id, got)
		}
		if got := jsonOf(props(id)["MemorySize"]); got != "256" {
			t.Errorf("%s MemorySize = %s, want 256 from config.json", id, got)
		}
	}
	// A token inside lambda_functions resolves in the right function only.
	tables := tpl.byType("AWS::DynamoDB::Table")
	if len(tables) != 1 {
		t.Fatalf("tables = %v", tables)
	}
	wantArn := `{"JOBS_TABLE_ARN":{"Fn::GetAtt":["` + tables[0] + `","Arn"]}}`
	if got := jsonOf(props("Worker")["Environment"].(map[string]any)["Variables"]); got != wantArn {
		t.Errorf("Worker variables = %s, want %s", got, wantArn)
	}
	if got := jsonOf(props("APIHandler")["Environment"]); got != `{"Variables":{"MODE":"api"}}` {
		t.Errorf("APIHandler Environment = %s", got)
	}
	// AddEnvironmentVariable with a handler name mapped by LogicalIDFor.
	if got := jsonOf(props("EveryHour")["Environment"]); got != `{"Variables":{"ADDED_LATER":{"Ref":"`+tables[0]+`"}}}` {
		t.Errorf("EveryHour Environment = %s", got)
	}
	if got := jsonOf(props("Worker")["Tags"]); !strings.Contains(got, `"team":"platform"`) {
		t.Errorf("Worker Tags = %s, want team=platform from StageConfig", got)
	}

	// automatic_layer: the layer's ContentUri is an asset too, separate from the code.
	layer := tpl.resource(t, "ManagedLayer")
	if layer.Type != "AWS::Serverless::LayerVersion" {
		t.Fatalf("ManagedLayer is %s", layer.Type)
	}
	layerKey := assetCodeURI(t, "ManagedLayer", layer.Properties["ContentUri"])
	codeKeys := map[string]bool{}
	for _, id := range tpl.byType("AWS::Serverless::Function") {
		codeKeys[assetCodeURI(t, id, props(id)["CodeUri"])] = true
	}
	if len(codeKeys) != 1 || codeKeys[layerKey] {
		t.Errorf("function code assets %v, layer asset %s: want one shared code asset distinct from the layer", keys(codeKeys), layerKey)
	}
	if got := layer.Properties["LayerName"]; got != "multi-PerFunction-managed-layer" {
		t.Errorf("LayerName = %v", got)
	}
}

func TestNestedPathStageName(t *testing.T) {
	w := fixture(t)
	if got := *w.nested.StageName(); got != "Prod-Api" {
		t.Errorf("StageName() = %q, want Prod-Api from the path Prod/Api", got)
	}
	tpl := w.template(t, w.nestedStack)
	if got := tpl.resource(t, "ManagedLayer").Properties["LayerName"]; got != "multi-Prod-Api-managed-layer" {
		t.Errorf("LayerName = %v, want a name without '/' (chalice #1985)", got)
	}
}

func TestExplicitStageName(t *testing.T) {
	w := fixture(t)
	if got := *w.explicit.StageName(); got != "dev" {
		t.Fatalf("StageName() = %q, want dev", got)
	}
	tpl := w.template(t, w.explicitStack)
	fn := tpl.resource(t, "APIHandler").Properties
	if got := jsonOf(fn["MemorySize"]); got != "1024" {
		t.Errorf("MemorySize = %s, want 1024 from StageConfig", got)
	}
	// stages.dev.lambda_functions.api_handler in config.json sets APP_TABLE_NAME to "";
	// StageConfig is merged into stages.dev, so Chalice's precedence lets the
	// function-level value win over the stage-level one (documented difference from
	// chalice.cdk.Chalice, which treats StageConfig as user parameters).
	if got := jsonOf(fn["Environment"]); got != `{"Variables":{"APP_TABLE_NAME":"","ONLY_HERE":"yes"}}` {
		t.Errorf("Environment = %s", got)
	}
	if tag := jsonOf(fn["Tags"]); !strings.Contains(tag, "stage=dev:") {
		t.Errorf("aws-chalice tag = %s, want stage=dev", tag)
	}
	// ... and the construct says so, as a warning on its path.
	warnings := annotations(t, w.templates[*w.explicitStack.ArtifactId()], "/ExplicitStage/ChaliceApp", "aws:cdk:warning")
	if len(warnings) != 1 || !strings.Contains(warnings[0], `environment_variables.APP_TABLE_NAME is set to \"\" in APIHandler`) ||
		!strings.Contains(warnings[0], "stages.dev.lambda_functions") {
		t.Errorf("warnings = %v, want one about APP_TABLE_NAME", warnings)
	}
	// No warning where StageConfig reaches every function.
	for _, s := range []awscdk.Stack{w.example.Stack, w.perFnStack} {
		if got := annotations(t, w.templates[*s.ArtifactId()], "/"+*s.StackName()+"/ChaliceApp", "aws:cdk:warning"); len(got) != 0 {
			t.Errorf("%s: unexpected warnings %v", *s.StackName(), got)
		}
	}
}

// annotations returns the messages of one type that a construct path has in the
// stack's metadata file next to its template.
func annotations(t *testing.T, templatePath, path, typ string) []string {
	t.Helper()
	b, err := os.ReadFile(strings.TrimSuffix(templatePath, ".template.json") + ".metadata.json")
	if err != nil {
		t.Fatal(err)
	}
	var meta map[string][]struct {
		Type string `json:"type"`
		Data any    `json:"data"`
	}
	if err := json.Unmarshal(b, &meta); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range meta[path] {
		if m.Type == typ {
			out = append(out, jsonOf(m.Data))
		}
	}
	return out
}

func TestTwoConstructsInOneStack(t *testing.T) {
	w := fixture(t)
	tpl := w.template(t, w.twoStack)

	fns := tpl.byType("AWS::Serverless::Function")
	sort.Strings(fns)
	if len(fns) != 3 {
		t.Fatalf("functions = %v, want First's APIHandler plus Second's APIHandler and OnlyInSecond", fns)
	}
	var prefixes []string
	for _, id := range fns {
		switch {
		case strings.HasPrefix(id, "FirstChaliceApp"), strings.HasPrefix(id, "SecondChaliceApp"):
			prefixes = append(prefixes, id)
		default:
			t.Errorf("function %s does not carry its construct's path", id)
		}
	}
	if apis := tpl.byType("AWS::Serverless::Api"); len(apis) != 2 {
		t.Errorf("APIs = %v, want 2", apis)
	}
	if roles := tpl.byType("AWS::IAM::Role"); len(roles) != 2 {
		t.Errorf("roles = %v, want 2", roles)
	}
	// Each construct packaged its own app (chalice #1994): the second app's API has
	// /second, the first has /users.
	for _, id := range tpl.byType("AWS::Serverless::Api") {
		body := jsonOf(tpl.Resources[id].Properties["DefinitionBody"])
		first := strings.HasPrefix(id, "First")
		if first != strings.Contains(body, `"/users"`) || first == strings.Contains(body, `"/second"`) {
			t.Errorf("%s has the wrong routes: %.200s", id, body)
		}
	}
	// Lookups use the original IDs; the resource behind them is the renamed one.
	for _, c := range []*construct.Chalice{w.twoA, w.twoB} {
		r := c.GetResource(ptr("APIHandler"))
		if !strings.HasPrefix(*w.twoStack.GetLogicalId(r), *c.Node().Id()+"ChaliceAppAPIHandler") {
			t.Errorf("%s APIHandler has logical ID %s", *c.Node().Id(), *w.twoStack.GetLogicalId(r))
		}
	}
	// Grants went to both roles.
	grants := 0
	for _, id := range tpl.byType("AWS::IAM::Policy") {
		grants++
		if !strings.Contains(jsonOf(tpl.Resources[id].Properties["Roles"]), "DefaultRole") {
			t.Errorf("policy %s is not on a DefaultRole: %s", id, jsonOf(tpl.Resources[id].Properties["Roles"]))
		}
	}
	if grants != 2 {
		t.Errorf("IAM policies = %d, want 2 (one per DefaultRole)", grants)
	}
	if tpl.Transform != "AWS::Serverless-2016-10-31" {
		t.Errorf("Transform = %v", tpl.Transform)
	}
}

func TestContainerMode(t *testing.T) {
	w := fixture(t)
	tpl := w.template(t, w.containerStack)
	assetCodeURI(t, "APIHandler", tpl.resource(t, "APIHandler").Properties["CodeUri"])

	f, err := os.Open(w.dockerLog)
	if err != nil {
		t.Fatalf("the stand-in docker was never called: %v", err)
	}
	defer f.Close()
	var run *struct {
		Args []string          `json:"args"`
		Env  map[string]string `json:"env"`
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var rec struct {
			Args []string          `json:"args"`
			Env  map[string]string `json:"env"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatal(err)
		}
		if len(rec.Args) > 0 && rec.Args[0] == "run" {
			run = &rec
		}
	}
	if run == nil {
		t.Fatal("no `docker run` recorded")
	}
	args := strings.Join(run.Args, " ")
	for _, want := range []string{
		"registry.example.com/build-python:test", // PackageConfig.Image
		"--env CONTAINER_SECRET",                 // PackageConfig.Env, by name
		"--env AWS_DEFAULT_REGION",
		":/app:ro", ":/out:rw", // a read-only project copy, a writable output
		" Container ", // the stage: the stack id
	} {
		if !strings.Contains(args, want) {
			t.Errorf("docker args lack %q:\n%s", want, args)
		}
	}
	if strings.Contains(args, "s3cr3t") {
		t.Errorf("an env value is in docker's argument list (visible in ps):\n%s", args)
	}
	if run.Env["CONTAINER_SECRET"] != "s3cr3t value" {
		t.Errorf("CONTAINER_SECRET reached docker as %q", run.Env["CONTAINER_SECRET"])
	}
	// The mounted project is the packager's copy, never the user's directory.
	if strings.Contains(args, appDir("second")+":") {
		t.Errorf("the user's project is mounted directly:\n%s", args)
	}
}

func TestUnknownLogicalIDs(t *testing.T) {
	w := fixture(t)
	c := w.example.Chalice

	_, err := c.LookupRole("DefaultRoel")
	var ue *construct.UnknownLogicalIDError
	if !errors.As(err, &ue) {
		t.Fatalf("LookupRole(typo) error = %v, want *construct.UnknownLogicalIDError", err)
	}
	for _, want := range []string{"chalice-example/ChaliceApp", `"DefaultRoel"`, "AWS::IAM::Role resources are: DefaultRole", `did you mean "DefaultRole"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}

	_, err = c.LookupResource("ApiHandler")
	if err == nil || !strings.Contains(err.Error(), "APIHandler, APIHandlerInvokePermission, DefaultRole, RestAPI") ||
		!strings.Contains(err.Error(), `did you mean "APIHandler"`) {
		t.Errorf("LookupResource(ApiHandler) = %v, want the list of IDs and a suggestion", err)
	}

	_, err = c.LookupFunction("DefaultRole")
	if err == nil || !strings.Contains(err.Error(), `"DefaultRole" is AWS::IAM::Role, not AWS::Serverless::Function`) {
		t.Errorf("LookupFunction(DefaultRole) = %v, want a wrong-type error", err)
	}

	// The CDK-style methods panic with the same error.
	for name, call := range map[string]func(){
		"GetRole":                func() { c.GetRole(ptr("Nope")) },
		"GetFunction":            func() { c.GetFunction(ptr("Nope")) },
		"GetResource":            func() { c.GetResource(ptr("Nope")) },
		"AddEnvironmentVariable": func() { c.AddEnvironmentVariable(ptr("K"), ptr("V"), ptr("RestAPI")) },
	} {
		func() {
			defer func() {
				r := recover()
				e, ok := r.(*construct.UnknownLogicalIDError)
				if !ok {
					t.Errorf("%s: recovered %v (%T), want *construct.UnknownLogicalIDError", name, r, r)
					return
				}
				if len(e.Existing) != 4 {
					t.Errorf("%s: error lists %d IDs, want 4", name, len(e.Existing))
				}
			}()
			call()
		}()
	}

	// Lookups take original IDs even with PreserveLogicalIds false.
	if _, err := w.twoB.LookupFunction("OnlyInSecond"); err != nil {
		t.Errorf("LookupFunction(OnlyInSecond) on a renamed template: %v", err)
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func ptr(s string) *string { return &s }
