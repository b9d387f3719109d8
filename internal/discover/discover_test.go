package discover

import (
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
)

const cdkPy = "from chalice.cdk import Chalice\nChalice(self, 'A', source_dir='../api', stage_config={'environment_variables': {}})\n"
const cdkGo = "package main\nimport construct \"github.com/chalice-lsp/chalice-lsp/construct\"\nfunc f() { construct.NewChalice(stack, jsii.String(\"A\"), &construct.ChaliceProps{SourceDir: jsii.String(\"../api\")}) }\n"

// tree is a monorepo with one of each thing to find and one of each thing to skip.
var tree = map[string]string{
	"api/.chalice/config.json":                 `{"app_name": "api"}`,
	"api/app.py":                               "from chalice import Chalice\napp = Chalice(app_name='api')\n",
	"api/chalicelib/util.py":                   "X = 1\n",
	"infra/cdk.json":                           `{"app": "python app.py"}`,
	"infra/stacks/web.py":                      cdkPy,
	"infra/plain.py":                           "print('no chalice here')\n",
	"goinfra/cdk.json":                         `{"app": "go run ."}`,
	"goinfra/main.go":                          cdkGo,
	"goinfra/main_test.go":                     cdkGo,
	"node_modules/x/.chalice/config.json":      `{}`,
	".venv/lib/app/.chalice/config.json":       `{}`,
	"env2/pyvenv.cfg":                          "home = /usr\n",
	"env2/lib/p/.chalice/config.json":          `{}`,
	"infra/cdk.out/asset/.chalice/config.json": `{}`,
	"api/chalice.out/x/.chalice/config.json":   `{}`,
	"build/lib/.chalice/config.json":           `{}`,
	"generated/.chalice/config.json":           `{}`,
	"generated/app.py":                         "",
	"keep/.chalice/config.json":                `{}`,
	".gitignore":                               "generated/\n*.gen.py\n",
	"infra/stacks/other.gen.py":                cdkPy,
}

func rel(root string, ps []string) []string {
	out := []string{}
	for _, p := range ps {
		r, _ := filepath.Rel(root, p)
		out = append(out, filepath.ToSlash(r))
	}
	return out
}

func TestWalkInGitRepo(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	root := t.TempDir()
	testenv.WriteTree(t, root, tree)
	if out, err := exec.Command("git", "-C", root, "init", "-q").CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	got, err := Walk(root)
	if err != nil {
		t.Fatal(err)
	}
	check(t, root, got, []string{"api", "keep"}, []string{"api/.chalice/config.json", "api/app.py", "api/chalicelib/util.py", "goinfra/main.go", "infra/stacks/web.py", "keep/.chalice/config.json"})
}

// Outside a git work tree .gitignore decides nothing: the generated project is found.
func TestWalkOutsideGit(t *testing.T) {
	root := t.TempDir()
	testenv.WriteTree(t, root, tree)
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(root))
	got, err := Walk(root)
	if err != nil {
		t.Fatal(err)
	}
	check(t, root, got, []string{"api", "generated", "keep"}, []string{"api/.chalice/config.json", "api/app.py", "api/chalicelib/util.py",
		"generated/.chalice/config.json", "generated/app.py", "goinfra/main.go", "infra/stacks/other.gen.py", "infra/stacks/web.py", "keep/.chalice/config.json"})
}

func check(t *testing.T, root string, got *Tree, projects, files []string) {
	t.Helper()
	if p := rel(root, got.Projects); !slices.Equal(p, projects) {
		t.Errorf("projects = %v, want %v", p, projects)
	}
	if a := rel(root, got.CDKApps); !slices.Equal(a, []string{"goinfra", "infra"}) {
		t.Errorf("CDK apps = %v, want [goinfra infra]", a)
	}
	if f := rel(root, got.Files); !slices.Equal(f, files) {
		t.Errorf("files =\n  %s\nwant\n  %s", strings.Join(f, "\n  "), strings.Join(files, "\n  "))
	}
}

func TestWalkMissingRoot(t *testing.T) {
	if _, err := Walk(filepath.Join(t.TempDir(), "nope")); err == nil {
		t.Fatal("Walk of a missing directory succeeded")
	}
}
