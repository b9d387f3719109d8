package construct_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/jsii-runtime-go"

	"github.com/chalice-lsp/chalice-lsp/construct"
	"github.com/chalice-lsp/chalice-lsp/testdata/example/infrastructure/stacks"
)

// world is one CDK app holding every stack the happy-path tests inspect. Building
// and synthesizing it once costs a few seconds of jsii calls plus one `chalice
// package` run per distinct input; a separate app per test would multiply that.
type world struct {
	dir string // cloud assembly directory

	example    *stacks.ChaliceApp // the example stack, as `cdk synth` builds it
	perFn      *construct.Chalice // multi app with lambda_functions in StageConfig
	perFnStack awscdk.Stack
	token      awsdynamodb.Table // the table whose ARN is a token in perFn's config

	twoStack   awscdk.Stack // two Chalice apps in one stack, PreserveLogicalIds false
	twoA, twoB *construct.Chalice

	nestedStack awscdk.Stack // Stage "Prod" / Stack "Api": stage name from a nested path
	nested      *construct.Chalice

	explicitStack awscdk.Stack // StageName "dev"
	explicit      *construct.Chalice

	containerStack awscdk.Stack // PackageConfig.UseContainer with the stand-in docker
	container      *construct.Chalice
	dockerLog      string

	templates map[string]string // stack artifact id -> template path
}

var (
	worldOnce sync.Once
	theWorld  *world
	worldErr  error
)

// fixture builds and synthesizes the shared app on first use.
func fixture(t *testing.T) *world {
	t.Helper()
	worldOnce.Do(func() {
		theWorld, worldErr = buildWorld()
	})
	if worldErr != nil {
		t.Fatalf("building the shared CDK app: %v", worldErr)
	}
	return theWorld
}

func exampleRuntime() string { return filepath.Join(env.repo, "testdata", "example", "runtime") }

func appDir(name string) string {
	return filepath.Join(env.repo, "construct", "testdata", "apps", name)
}

func buildWorld() (w *world, err error) {
	defer func() {
		// A jsii failure inside construction surfaces as a panic; report it as the
		// fixture's error so every test says what went wrong.
		if r := recover(); r != nil {
			err = fmt.Errorf("panic while building the app: %v", r)
		}
	}()
	dir, err := os.MkdirTemp("", "construct-world-")
	if err != nil {
		return nil, err
	}
	addCleanup(func() { os.RemoveAll(dir) })
	w = &world{dir: dir, templates: map[string]string{}}

	dockerLog, err := installFakeDocker(dir)
	if err != nil {
		return nil, err
	}
	w.dockerLog = dockerLog

	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(filepath.Join(dir, "cdk.out"))})

	// 1. The example, exactly as testdata/example/infrastructure builds it.
	w.example = stacks.NewChaliceApp(app, "chalice-example", &stacks.ChaliceAppProps{SourceDir: exampleRuntime()})

	// 2. Per-function settings in StageConfig, with a token inside lambda_functions.
	w.perFnStack = awscdk.NewStack(app, jsii.String("PerFunction"), nil)
	w.token = awsdynamodb.NewTable(w.perFnStack, jsii.String("Jobs"), &awsdynamodb.TableProps{
		PartitionKey:  &awsdynamodb.Attribute{Name: jsii.String("id"), Type: awsdynamodb.AttributeType_STRING},
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
	w.perFn = construct.NewChalice(w.perFnStack, jsii.String("ChaliceApp"), &construct.ChaliceProps{
		SourceDir: jsii.String(appDir("multi")),
		StageConfig: map[string]any{
			"lambda_timeout": 20,
			"tags":           map[string]any{"team": "platform"},
			"lambda_functions": map[string]any{
				"worker": map[string]any{
					"lambda_timeout":     45,
					"lambda_memory_size": jsii.Number(512), // a *float64, as CDK code has them
					"environment_variables": &map[string]*string{
						"JOBS_TABLE_ARN": w.token.TableArn(),
					},
				},
				"api_handler": map[string]any{
					"environment_variables": map[string]string{"MODE": "api"},
				},
			},
		},
	})
	w.perFn.AddEnvironmentVariable(jsii.String("ADDED_LATER"), w.token.TableName(), w.perFn.LogicalIDFor(jsii.String("every_hour")))

	// 3. Two Chalice apps in one stack (chalice #2030, #1994).
	w.twoStack = awscdk.NewStack(app, jsii.String("TwoApps"), nil)
	w.twoA = construct.NewChalice(w.twoStack, jsii.String("First"), &construct.ChaliceProps{
		SourceDir:          jsii.String(exampleRuntime()),
		PreserveLogicalIds: jsii.Bool(false),
	})
	w.twoB = construct.NewChalice(w.twoStack, jsii.String("Second"), &construct.ChaliceProps{
		SourceDir:          jsii.String(appDir("second")),
		PreserveLogicalIds: jsii.Bool(false),
	})
	shared := awsdynamodb.NewTable(w.twoStack, jsii.String("Shared"), &awsdynamodb.TableProps{
		PartitionKey:  &awsdynamodb.Attribute{Name: jsii.String("PK"), Type: awsdynamodb.AttributeType_STRING},
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
	shared.GrantReadData(w.twoA.GetRole(jsii.String("DefaultRole")))
	shared.GrantReadData(w.twoB.GetRole(jsii.String("DefaultRole")))
	// A grant to an imported function lands on its role (Second's DefaultRole).
	shared.GrantWriteData(w.twoB.GetFunction(jsii.String("OnlyInSecond")))

	// 4. A nested construct path: Stage "Prod" / Stack "Api" (chalice #1985).
	prod := awscdk.NewStage(app, jsii.String("Prod"), nil)
	w.nestedStack = awscdk.NewStack(prod, jsii.String("Api"), nil)
	w.nested = construct.NewChalice(w.nestedStack, jsii.String("ChaliceApp"), &construct.ChaliceProps{SourceDir: jsii.String(appDir("multi"))})

	// 5. An explicit stage name (chalice #1846) that exists in config.json.
	w.explicitStack = awscdk.NewStack(app, jsii.String("ExplicitStage"), nil)
	w.explicit = construct.NewChalice(w.explicitStack, jsii.String("ChaliceApp"), &construct.ChaliceProps{
		SourceDir: jsii.String(exampleRuntime()),
		StageName: jsii.String("dev"),
		StageConfig: map[string]any{
			"environment_variables": map[string]any{"APP_TABLE_NAME": "from-stage-config", "ONLY_HERE": "yes"},
			"lambda_memory_size":    1024,
		},
	})

	// 6. Container packaging through the stand-in docker client.
	w.containerStack = awscdk.NewStack(app, jsii.String("Container"), nil)
	w.container = construct.NewChalice(w.containerStack, jsii.String("ChaliceApp"), &construct.ChaliceProps{
		SourceDir: jsii.String(appDir("second")),
		PackageConfig: &construct.PackageConfig{
			UseContainer: jsii.Bool(true),
			Image:        jsii.String("registry.example.com/build-python:test"),
			Env:          &map[string]*string{"CONTAINER_SECRET": jsii.String("s3cr3t value")},
		},
	})

	for _, c := range []*construct.Chalice{w.example.Chalice, w.perFn, w.twoA, w.twoB, w.nested, w.explicit, w.container} {
		if c.Err() != nil {
			return nil, fmt.Errorf("construct %s: %v", *c.Node().Path(), c.Err())
		}
	}

	app.Synth(nil)
	for _, s := range []awscdk.Stack{w.example.Stack, w.perFnStack, w.twoStack, w.nestedStack, w.explicitStack, w.containerStack} {
		w.templates[*s.ArtifactId()] = filepath.Join(*awscdk.Stage_Of(s).Outdir(), *s.TemplateFile())
	}
	return w, nil
}

// template reads a stack's synthesized template.
func (w *world) template(t *testing.T, s awscdk.Stack) *cfnTemplate {
	t.Helper()
	return readTemplate(t, w.templates[*s.ArtifactId()])
}

// cfnTemplate is a synthesized template, decoded.
type cfnTemplate struct {
	Path      string
	Transform any                    `json:"Transform"`
	Resources map[string]cfnResource `json:"Resources"`
	Outputs   map[string]any         `json:"Outputs"`
}

type cfnResource struct {
	Type       string         `json:"Type"`
	Properties map[string]any `json:"Properties"`
	Metadata   map[string]any `json:"Metadata"`
	DependsOn  any            `json:"DependsOn"`
}

func readTemplate(t *testing.T, path string) *cfnTemplate {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading template: %v", err)
	}
	var tpl cfnTemplate
	if err := json.Unmarshal(b, &tpl); err != nil {
		t.Fatalf("decoding %s: %v", path, err)
	}
	tpl.Path = path
	return &tpl
}

// byType returns the logical IDs of resources of a type.
func (tpl *cfnTemplate) byType(typ string) []string {
	var ids []string
	for id, r := range tpl.Resources {
		if r.Type == typ {
			ids = append(ids, id)
		}
	}
	return ids
}

// resource returns a resource or fails the test, listing what exists.
func (tpl *cfnTemplate) resource(t *testing.T, id string) cfnResource {
	t.Helper()
	r, ok := tpl.Resources[id]
	if !ok {
		var ids []string
		for k, v := range tpl.Resources {
			ids = append(ids, k+" ("+v.Type+")")
		}
		t.Fatalf("%s has no resource %s; it has: %s", tpl.Path, id, strings.Join(ids, ", "))
	}
	return r
}

// jsonOf renders a value for comparisons and messages.
func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// installFakeDocker puts a stand-in `docker` on PATH: it records its arguments (and
// the values of the variables it was asked to pass with --env) in a JSON-lines log,
// then does what the packager asked of the container by running the venv's real
// `chalice package` against the mounted directories. There is no Docker engine here.
func installFakeDocker(dir string) (string, error) {
	bin := filepath.Join(dir, "fakebin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return "", err
	}
	log := filepath.Join(dir, "docker-args.jsonl")
	script := "#!" + env.python + "\n" + fakeDocker
	if err := os.WriteFile(filepath.Join(bin, "docker"), []byte(script), 0o755); err != nil {
		return "", err
	}
	os.Setenv("FAKE_DOCKER_LOG", log)
	os.Setenv("FAKE_DOCKER_CHALICE", filepath.Join(env.venv, "bin", "chalice"))
	os.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	return log, nil
}

const fakeDocker = `import json, os, subprocess, sys

args = sys.argv[1:]
record = {"args": args, "env": {}}
i = 0
opts = {"volume": [], "env": []}
rest = []
while i < len(args):
    a = args[i]
    if a in ("--volume", "-v", "--env", "-e", "--name", "--workdir", "-w", "--entrypoint"):
        key = {"-v": "volume", "-e": "env", "-w": "workdir"}.get(a, a[2:])
        opts.setdefault(key, [])
        if isinstance(opts[key], list):
            opts[key].append(args[i + 1])
        i += 2
        continue
    rest.append(a)
    i += 1
for k in opts["env"]:
    record["env"][k] = os.environ.get(k)
with open(os.environ["FAKE_DOCKER_LOG"], "a") as f:
    f.write(json.dumps(record) + "\n")
if not rest or rest[0] != "run":
    sys.exit(0)
# rest: run --rm --init IMAGE -c SCRIPT NAME STAGE CHALICE_REQ OWNER
positional = [a for a in rest[1:] if not a.startswith("--")]
image, script_flag = positional[0], positional[1]
stage = positional[4]
mounts = {}
for v in opts["volume"]:
    parts = v.split(":")
    mounts[parts[1]] = parts[0]
child_env = {k: os.environ[k] for k in opts["env"] if k in os.environ}
child_env["PATH"] = os.environ["PATH"]
sys.exit(subprocess.call([os.environ["FAKE_DOCKER_CHALICE"], "package", "--stage", stage, mounts["/out"]],
                         cwd=mounts["/app"], env=child_env))
`
