package construct_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// The background jobs and the tests that need them (see startJobsFor).
var (
	pythonSynth = defineJob("python", func(dir string) *exec.Cmd {
		// chalice.cdk.Chalice writes .chalice/deployments into the project and
		// chalice.out into the working directory: give it a scratch copy.
		runtimeCopy := filepath.Join(dir, "runtime")
		if err := copyTree(exampleRuntime(), runtimeCopy); err != nil {
			return exec.Command("false")
		}
		cmd := exec.Command(env.python, filepath.Join(env.repo, "testdata", "example", "python-infrastructure", "app.py"))
		cmd.Dir = dir
		cmd.Env = append(os.Environ(),
			"CDK_OUTDIR="+filepath.Join(dir, "cdk.out"),
			"CHALICE_EXAMPLE_SOURCE_DIR="+runtimeCopy,
			"AWS_DEFAULT_REGION=us-east-1",
			"PYTHONDONTWRITEBYTECODE=1",
			// No EC2 instance metadata here: boto3 would probe it for seconds.
			"AWS_EC2_METADATA_DISABLED=true")
		return cmd
	})
	cliSynth = defineJob("cli", func(dir string) *exec.Cmd {
		return cdkSynthCmd(dir, "")
	})
	jobTests = map[string][]string{
		"python": {"TestDifferentialAgainstChalicePythonConstruct"},
		"cli":    {"TestCDKCLISynthOfExample"},
	}
)

// cdkSynthCmd runs the real aws-cdk@2 CLI in the example's infrastructure directory
// (its cdk.json says `go run .`), writing the assembly into dir/cdk.out.
func cdkSynthCmd(dir, sourceDir string) *exec.Cmd {
	cmd := exec.Command(env.cdk, "synth", "--output", filepath.Join(dir, "cdk.out"), "--quiet", "--no-notices")
	cmd.Dir = filepath.Join(env.repo, "testdata", "example", "infrastructure")
	cmd.Env = append(os.Environ(), "CDK_DISABLE_CLI_TELEMETRY=true", "CHALICE_EXAMPLE_SOURCE_DIR="+sourceDir)
	return cmd
}

func TestDifferentialAgainstChalicePythonConstruct(t *testing.T) {
	w := fixture(t)
	out, err := pythonSynth.wait()
	if err != nil {
		t.Fatalf("the Python CDK app with chalice.cdk.Chalice failed: %v\n%s", err, out)
	}
	py := readTemplate(t, filepath.Join(pythonSynth.dir, "cdk.out", "chalice-example.template.json"))
	goT := w.template(t, w.example.Stack)

	sameAsset := jsonOf(goT.Resources["APIHandler"].Properties["CodeUri"]) == jsonOf(py.Resources["APIHandler"].Properties["CodeUri"])
	t.Logf("deployment.zip asset hash identical in both: %v", sameAsset)

	pyRes, goRes := normalize(py.Resources), normalize(goT.Resources)
	if !reflect.DeepEqual(keys(pyRes), keys(goRes)) {
		t.Errorf("logical IDs differ:\n python: %v\n go:     %v", keys(pyRes), keys(goRes))
	}
	for id, p := range pyRes {
		g, ok := goRes[id]
		if !ok {
			continue
		}
		if p.Type != g.Type {
			t.Errorf("%s: type %s (python) vs %s (go)", id, p.Type, g.Type)
			continue
		}
		for _, d := range diffJSON(id+".Properties", p.Properties, g.Properties) {
			t.Errorf("%s", d)
		}
	}
	if d := diffJSON("Outputs", py.Outputs, goT.Outputs); len(d) > 0 {
		t.Errorf("outputs differ:\n%s", strings.Join(d, "\n"))
	}
	if len(py.byType("AWS::Serverless::Function")) == 0 {
		t.Fatal("the Python template has no functions; the comparison proved nothing")
	}
}

// normalize blanks what legitimately differs between two synths of the same app:
// asset object keys (hashes of the zips) and CDK's construct-path metadata.
func normalize(in map[string]cfnResource) map[string]cfnResource {
	out := map[string]cfnResource{}
	for id, r := range in {
		var props map[string]any
		b, _ := json.Marshal(r.Properties)
		_ = json.Unmarshal(b, &props)
		for _, k := range []string{"CodeUri", "ContentUri"} {
			if m, ok := props[k].(map[string]any); ok {
				if _, ok := m["Key"]; ok {
					m["Key"] = "<asset hash>"
				}
			}
		}
		out[id] = cfnResource{Type: r.Type, Properties: props}
	}
	return out
}

// diffJSON lists the paths where two decoded JSON values differ.
func diffJSON(path string, a, b any) []string {
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		var out []string
		all := map[string]bool{}
		for k := range am {
			all[k] = true
		}
		for k := range bm {
			all[k] = true
		}
		names := keys(all)
		for _, k := range names {
			av, ain := am[k]
			bv, bin := bm[k]
			switch {
			case !ain:
				out = append(out, fmt.Sprintf("%s.%s: only in go: %s", path, k, jsonOf(bv)))
			case !bin:
				out = append(out, fmt.Sprintf("%s.%s: only in python: %s", path, k, jsonOf(av)))
			default:
				out = append(out, diffJSON(path+"."+k, av, bv)...)
			}
		}
		return out
	}
	if jsonOf(a) != jsonOf(b) {
		return []string{fmt.Sprintf("%s: python %s, go %s", path, jsonOf(a), jsonOf(b))}
	}
	return nil
}

// checkResult is one line of construct/testdata/check_template.py.
type checkResult struct {
	Template     string            `json:"template"`
	LintErrors   []string          `json:"lint_errors"`
	LintWarnings []string          `json:"lint_warnings"`
	SAMErrors    []string          `json:"sam_errors"`
	Translated   map[string]string `json:"translated_resources"`
}

func TestTemplatesPassCfnLintAndSAM(t *testing.T) {
	w := fixture(t)

	// Deliberately broken copies of the example show that each half of the checker
	// can fail: a property of the wrong type (cfn-lint E3012), and a function without
	// code (the SAM transform).
	brokenLint := writeBroken(t, w.templates["chalice-example"], "lint", func(fn map[string]any) { fn["MemorySize"] = "lots" })
	brokenSAM := writeBroken(t, w.templates["chalice-example"], "sam", func(fn map[string]any) { delete(fn, "CodeUri") })

	var paths []string
	for _, id := range keys(w.templates) {
		paths = append(paths, w.templates[id])
	}
	cmd := venvCmd("python", append([]string{filepath.Join(env.repo, "construct", "testdata", "check_template.py")}, append(paths, brokenLint, brokenSAM)...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("running the checker: %v\n%s", err, stderr.String())
	}
	results := map[string]checkResult{}
	for _, line := range strings.Split(strings.TrimSpace(string(stdout)), "\n") {
		var r checkResult
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("checker output %q: %v\nstderr: %s", line, err, stderr.String())
		}
		results[r.Template] = r
	}
	for _, p := range paths {
		r, ok := results[p]
		if !ok {
			t.Errorf("no result for %s", p)
			continue
		}
		name := filepath.Base(p)
		for _, e := range r.LintErrors {
			t.Errorf("%s: cfn-lint: %s", name, e)
		}
		for _, e := range r.SAMErrors {
			t.Errorf("%s: SAM transform: %s", name, e)
		}
		for _, wn := range r.LintWarnings {
			t.Logf("%s: cfn-lint warning: %s", name, wn)
		}
		// The transform turned every SAM function into a Lambda function.
		lambdas := 0
		for _, typ := range r.Translated {
			if strings.HasPrefix(typ, "AWS::Serverless::") {
				t.Errorf("%s: %s survived the SAM transform", name, typ)
			}
			if typ == "AWS::Lambda::Function" {
				lambdas++
			}
		}
		if lambdas == 0 {
			t.Errorf("%s: the SAM transform produced no AWS::Lambda::Function: %v", name, r.Translated)
		}
	}
	if r := results[brokenLint]; len(r.LintErrors) == 0 {
		t.Errorf("cfn-lint accepted MemorySize \"lots\": %+v", r)
	} else {
		t.Logf("cfn-lint rejected the broken template as expected: %v", r.LintErrors)
	}
	if r := results[brokenSAM]; len(r.SAMErrors) == 0 {
		t.Errorf("the SAM transform accepted a function without CodeUri: %+v", r)
	} else {
		t.Logf("the SAM transform rejected the broken template as expected: %v", r.SAMErrors)
	}
}

// writeBroken writes a copy of a template with APIHandler's properties changed.
func writeBroken(t *testing.T, path, name string, change func(fn map[string]any)) string {
	t.Helper()
	tpl := readTemplateMap(t, path)
	change(tpl["Resources"].(map[string]any)["APIHandler"].(map[string]any)["Properties"].(map[string]any))
	out := filepath.Join(t.TempDir(), name+".template.json")
	b, _ := json.Marshal(tpl)
	if err := os.WriteFile(out, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

func readTemplateMap(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCDKCLISynthOfExample(t *testing.T) {
	out, err := cliSynth.wait()
	if err != nil {
		t.Fatalf("cdk synth in testdata/example/infrastructure failed: %v\n%s", err, out)
	}
	asm := filepath.Join(cliSynth.dir, "cdk.out")
	tpl := readTemplate(t, filepath.Join(asm, "chalice-example.template.json"))
	fn := tpl.resource(t, "APIHandler")
	key := assetCodeURI(t, "APIHandler", fn.Properties["CodeUri"])
	// The CLI staged the deployment package into the assembly for `cdk deploy`.
	if _, err := os.Stat(filepath.Join(asm, "asset."+key)); err != nil {
		t.Errorf("asset file for %s not staged: %v", key, err)
	}
	if !strings.Contains(jsonOf(fn.Properties["Environment"]), `"APP_TABLE_NAME":{"Ref":"AppTable`) {
		t.Errorf("Environment = %s", jsonOf(fn.Properties["Environment"]))
	}

	// The same app pointed at a Chalice project with a syntax error: synth fails
	// with the packager's message on the construct's path, not with a stack trace.
	// (CDK CLI 2.1148 prints errors as "ERROR <message> (Construct Annotations)"
	// followed by the construct path; older CLIs as "[Error at /<path>] <message>".)
	dir := t.TempDir()
	cmd := cdkSynthCmd(dir, appDir("broken"))
	b, err := cmd.CombinedOutput()
	text := string(b)
	if err == nil {
		t.Fatalf("cdk synth of a broken Chalice app succeeded:\n%s", text)
	}
	for _, want := range []string{
		"chalice-example/ChaliceApp",
		"packaging the Chalice app in " + appDir("broken") + ` for stage "chalice-example" failed`,
		filepath.Join(appDir("broken"), "app.py") + ":7",
		"importing app.py failed",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("cdk synth output lacks %q:\n%s", want, text)
		}
	}
	for _, bad := range []string{"goroutine ", "panic:", "at Kernel.", "jsii.JSIIError"} {
		if strings.Contains(text, bad) {
			t.Errorf("cdk synth output has a stack trace (%q):\n%s", bad, text)
		}
	}
}
