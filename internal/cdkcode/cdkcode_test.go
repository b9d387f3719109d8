package cdkcode

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

func read(t testing.TB, rel string) (string, []byte) {
	t.Helper()
	p := filepath.Join("..", "..", "testdata", "cdk", rel)
	src, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(p)
	return abs, src
}

func refsSummary(src []byte, refs []IDRef) string {
	var parts []string
	for _, r := range refs {
		parts = append(parts, r.Method+":"+string(r.Want)+":"+string(src[r.Start:r.End]))
	}
	return strings.Join(parts, " ")
}

func TestPythonBuiltinTemplate(t *testing.T) {
	path, src := read(t, "python/chaliceapp.py")
	f := AnalyzePython(path, src)
	if len(f.Constructs) != 1 {
		t.Fatalf("constructs: %+v", f.Constructs)
	}
	c := f.Constructs[0]
	want := filepath.Join(filepath.Dir(filepath.Dir(path)), "..", "runtime")
	if c.Flavour != Builtin || !c.SourceDirResolved || filepath.Clean(c.SourceDir) != filepath.Clean(want) {
		t.Errorf("construct %+v, want source dir %s", c, want)
	}
	if c.Flavour.HonoursLambdaFunctions() {
		t.Errorf("built-in construct ignores lambda_functions")
	}
	env := c.StageConfig.Get("environment_variables").Get("APP_TABLE_NAME")
	if env == nil || env.Kind != jsonpos.Opaque || env.Text != "self.dynamodb_table.table_name" {
		t.Errorf("env value %+v", env)
	}
	if got := refsSummary(src, f.IDRefs); got != "get_role:role:DefaultRole" {
		t.Errorf("refs = %q", got)
	}
	// What is at the offset inside 'DefaultRole'?
	i := strings.Index(string(src), "DefaultRole") + 3
	if ctx := f.At(i); ctx.Kind != InLogicalID || ctx.IDRef.Want != Role {
		t.Errorf("At(DefaultRole) = %+v", ctx)
	}
	// On the key 'APP_TABLE_NAME'.
	i = strings.Index(string(src), "'APP_TABLE_NAME'") + 2
	ctx := f.At(i)
	if ctx.Kind != InStageConfig || !ctx.Location.InKey || strings.Join(ctx.Location.Path, "/") != "environment_variables" {
		t.Errorf("At(APP_TABLE_NAME) = %+v", ctx.Location)
	}
}

func TestPythonCDKChaliceMethodConfig(t *testing.T) {
	path, src := read(t, "python/cdk_chalice_stack.py")
	f := AnalyzePython(path, src)
	if len(f.Constructs) != 1 {
		t.Fatalf("constructs: %+v", f.Constructs)
	}
	c := f.Constructs[0]
	if c.Flavour != CDKChalice || !c.SourceDirResolved || !strings.HasSuffix(c.SourceDir, "/../web-api") {
		t.Errorf("construct %+v", c)
	}
	sc := c.StageConfig
	if sc == nil {
		t.Fatal("stage config not traced through _create_chalice_stage_config")
	}
	mem := sc.Lookup("/lambda_functions/api_handler/lambda_memory_size")
	if mem == nil || mem.Kind != jsonpos.Number || mem.Text != "128" || string(src[mem.Start:mem.End]) != "128" {
		t.Errorf("memory %+v", mem)
	}
	if v := sc.Lookup("/lambda_functions/api_handler/manage_iam_role"); v == nil || v.Kind != jsonpos.Bool || v.Text != "false" {
		t.Errorf("manage_iam_role %+v", v)
	}
	m := sc.Get("lambda_functions").Member("api_handler")
	if string(src[m.KeyStart:m.KeyEnd]) != "'api_handler'" {
		t.Errorf("key span %q", src[m.KeyStart:m.KeyEnd])
	}
	if got := refsSummary(src, f.IDRefs); got != "get_resource:any:RestAPI" {
		t.Errorf("refs = %q", got)
	}
}

func TestPythonHalfTyped(t *testing.T) {
	path, src := read(t, "python/half_typed.py")
	f := AnalyzePython(path, src)
	got := refsSummary(src, f.IDRefs)
	want := "get_function:function:APIHandler add_environment_variable:function:APIH get_role:role:"
	if got != want {
		t.Errorf("refs = %q, want %q", got, want)
	}
	last := f.IDRefs[len(f.IDRefs)-1]
	if last.Quoted || last.Start != strings.LastIndex(string(src), "(")+1 {
		t.Errorf("insertion point %+v", last)
	}
	if f.IDRefs[1].Terminated {
		t.Errorf("unterminated literal reported terminated")
	}
	if len(f.Constructs) != 1 || f.Constructs[0].Flavour != Builtin {
		t.Fatalf("constructs %+v", f.Constructs)
	}
	c := f.Constructs[0]
	// os.path.abspath resolves against where cdk runs (the CDK app), not
	// against this process's working directory.
	if !c.SourceDirResolved || c.SourceDir != "../runtime" || c.Dir("/proj/infra") != "/proj/runtime" {
		t.Errorf("source dir %q %v (Dir %q)", c.SourceDir, c.SourceDirResolved, c.Dir("/proj/infra"))
	}
	if c.StageConfig == nil || c.StageConfig.Get("lambda_timeout") == nil {
		t.Fatalf("stage config %+v", c.StageConfig)
	}
}

func TestGoStack(t *testing.T) {
	path, src := read(t, "go/stack.go")
	f := AnalyzeGo(path, src)
	if len(f.Constructs) != 1 {
		t.Fatalf("constructs %+v", f.Constructs)
	}
	c := f.Constructs[0]
	if c.Flavour != GoConstruct || !c.SourceDirResolved || c.SourceDir != "../runtime" {
		t.Errorf("construct %+v", c)
	}
	if got := c.Dir("/work/cdk"); got != "/work/runtime" {
		t.Errorf("Dir = %q", got)
	}
	sc := c.StageConfig
	if sc == nil {
		t.Fatal("no stage config traced through stageConfig(table)")
	}
	if v := sc.Lookup("/tags/team"); v == nil || v.Kind != jsonpos.String || v.Text != "web" {
		t.Errorf("jsii.String literal %+v", v)
	}
	if v := sc.Lookup("/environment_variables/TABLE_NAME"); v == nil || v.Kind != jsonpos.Opaque || v.Text != "*table.TableName()" {
		t.Errorf("token value %+v", v)
	}
	if v := sc.Lookup("/lambda_functions/api_handler/xray"); v == nil || v.Kind != jsonpos.Bool {
		t.Errorf("bool %+v", v)
	}
	if got := refsSummary(src, f.IDRefs); got != "GetRole:role:DefaultRole GetResource:any:RestAPI AddEnvironmentVariable:function:APIHandler" {
		t.Errorf("refs = %q", got)
	}
	i := strings.Index(string(src), `"lambda_memory_size"`) + 1
	ctx := f.At(i)
	if ctx.Kind != InStageConfig || !ctx.Location.InKey || strings.Join(ctx.Location.Path, "/") != "lambda_functions/api_handler" {
		t.Errorf("At = %+v", ctx.Location)
	}
}

func TestGoHalfTyped(t *testing.T) {
	path, src := read(t, "go/half_typed.go.txt")
	f := AnalyzeGo(path, src)
	got := refsSummary(src, f.IDRefs)
	if got != "GetFunction:function:APIH GetRole:role:" {
		t.Errorf("refs = %q", got)
	}
	if len(f.Constructs) != 1 || f.Constructs[0].SourceDir != "../runtime" {
		t.Errorf("constructs %+v", f.Constructs)
	}
	if sc := f.Constructs[0].StageConfig; sc == nil || sc.Get("lambda_timeout") == nil {
		t.Errorf("stage config %+v", sc)
	}
}

func seeds(f *testing.F) {
	for _, p := range []string{"python/chaliceapp.py", "python/cdk_chalice_stack.py", "python/half_typed.py", "go/stack.go", "go/half_typed.go.txt"} {
		_, src := read(f, p)
		f.Add(src)
	}
}

func checkFile(t *testing.T, src []byte, f *File) {
	for _, r := range f.IDRefs {
		if r.Start < 0 || r.End > len(src) || r.Start > r.End {
			t.Fatalf("bad ref span %+v", r)
		}
	}
	for _, c := range f.Constructs {
		if c.StageConfig != nil {
			if c.StageConfig.Start < 0 || c.StageConfig.End > len(src) {
				t.Fatalf("bad stage config span")
			}
		}
	}
	for i := 0; i <= len(src); i += 7 {
		f.At(i)
	}
}

func FuzzPython(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		checkFile(t, src, AnalyzePython("/x/stack.py", src))
		StackIDs("/x/app.py", src)
	})
}

func FuzzGo(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		checkFile(t, src, AnalyzeGo("/x/stack.go", src))
		StackIDs("/x/main.go", src)
	})
}

// Self-referencing definitions must not recurse forever or take exponential
// time (a recursion would overflow the stack, an exponential walk would hang the
// test): the construct is still found, with its source_dir unresolved.
func TestExponentialDefinitions(t *testing.T) {
	py := "from chalice.cdk import Chalice\na = a + a\nChalice(s, 'x', source_dir=a + a)\n"
	gosrc := "package p\nimport \"github.com/chalice-lsp/chalice-lsp/construct\"\nvar a = a + a\nfunc f() { construct.NewChalice(s, nil, &construct.ChaliceProps{SourceDir: a + a}) }\n"
	for _, f := range []*File{AnalyzePython("/x/s.py", []byte(py)), AnalyzeGo("/x/s.go", []byte(gosrc))} {
		if len(f.Constructs) != 1 {
			t.Errorf("%s: %d constructs, want the one Chalice call", f.Path, len(f.Constructs))
			continue
		}
		if c := f.Constructs[0]; c.SourceDirResolved || c.SourceDirStart == c.SourceDirEnd {
			t.Errorf("%s: source_dir resolved %v (%q), span %d-%d; want unresolved with its argument's span", f.Path, c.SourceDirResolved, c.SourceDir, c.SourceDirStart, c.SourceDirEnd)
		}
	}
}

// Completion inside a stage_config dict while a key is being typed.
func TestPythonTypingKeys(t *testing.T) {
	head := "from chalice.cdk import Chalice\nChalice(self, 'a', source_dir='x', stage_config="
	cases := []struct {
		lit   string
		path  string
		inKey bool
	}{
		{"{'lambda_timeout': 30, 'lam|})\n", "", true},
		{"{'lambda_timeout': 30, |})\n", "", false},
		{"{\n    'lambda_timeout': 30,\n    '|\n})\n", "", true},
		{"{\n    'lambda_functions': {'api_handler': {|}},\n})\n", "lambda_functions/api_handler", false},
		{"{\n    'lambda_functions': {'api_handler': {'lambda_mem|'}},\n})\n", "lambda_functions/api_handler", true},
		{"{\n    'lambda_functions': {'api_handler': {'lambda_memory_size': |}},\n})\n", "lambda_functions/api_handler", false},
	}
	for _, c := range cases {
		full := head + c.lit
		off := strings.Index(full, "|")
		src := []byte(strings.Replace(full, "|", "", 1))
		f := AnalyzePython("/x/a.py", src)
		if len(f.Constructs) != 1 {
			t.Errorf("%q: constructs %+v", c.lit, f.Constructs)
			continue
		}
		ctx := f.At(off)
		if ctx.Kind != InStageConfig || strings.Join(ctx.Location.Path, "/") != c.path || ctx.Location.InKey != c.inKey {
			t.Errorf("%q: At = kind %d path %q inKey %v", c.lit, ctx.Kind, ctx.Location.Path, ctx.Location.InKey)
		}
	}
}

func TestPythonImportForms(t *testing.T) {
	cases := map[string]Flavour{
		"from chalice.cdk import Chalice as C\nC(self, 'a', source_dir='app', stage_config={})\n":  Builtin,
		"import chalice.cdk\nchalice.cdk.Chalice(self, 'a', 'app', {})\n":                          Builtin,
		"from chalice import cdk\ncdk.Chalice(self, 'a', source_dir='app')\n":                      Builtin,
		"import cdk_chalice\ncdk_chalice.Chalice(self, 'a', source_dir='app', stage_config={})\n":  CDKChalice,
		"from cdk_chalice import Chalice\nChalice(self, 'a', source_dir='app', stage_config={})\n": CDKChalice,
		"from chalice import Chalice\nChalice(app_name='not-a-construct')\n":                       "",
		"class Chalice: pass\nChalice(self, 'a', source_dir='app')\n":                              "",
	}
	for src, want := range cases {
		f := AnalyzePython("/x/a.py", []byte(src))
		var got Flavour
		if len(f.Constructs) == 1 {
			got = f.Constructs[0].Flavour
			if c := f.Constructs[0]; c.SourceDir != "app" || !c.SourceDirResolved {
				t.Errorf("%q: source dir %q", src, c.SourceDir)
			}
		}
		if got != want {
			t.Errorf("%q: flavour %q, want %q", src, got, want)
		}
	}
}

func TestPythonSelfAttributeConfigAndUnresolved(t *testing.T) {
	src := `from chalice.cdk import Chalice
class S:
    def __init__(self, scope):
        self.cfg = {'lambda_timeout': 10}
        Chalice(self, 'a', source_dir=compute_dir(), stage_config=self.cfg)
`
	f := AnalyzePython("/x/a.py", []byte(src))
	c := f.Constructs[0]
	if c.SourceDirResolved {
		t.Errorf("compute_dir() must be unresolved, got %q", c.SourceDir)
	}
	if src[c.SourceDirStart:c.SourceDirEnd] != "compute_dir()" {
		t.Errorf("source dir span %q", src[c.SourceDirStart:c.SourceDirEnd])
	}
	if c.StageConfig == nil || c.StageConfig.Get("lambda_timeout") == nil {
		t.Errorf("self.cfg not traced: %+v", c.StageConfig)
	}
}

func TestGoPropsVariableAndAlias(t *testing.T) {
	src := `package main

import (
	j "github.com/aws/jsii-runtime-go"
	fp "path/filepath"
	c "github.com/chalice-lsp/chalice-lsp/construct"
)

const base = "services"

func f(stack any) {
	props := &c.ChaliceProps{
		SourceDir: j.String(fp.Join(base, "api")),
		StageConfig: map[string]interface{}{"lambda_memory_size": j.Number(256), "api_gateway_stage": "v1", "layers": []string{"arn:a"}},
	}
	app := c.NewChalice(stack, j.String("Api"), props)
	app.GetFunction(j.String("APIHandler"))
}
`
	f := AnalyzeGo("/x/a.go", []byte(src))
	if len(f.Constructs) != 1 {
		t.Fatalf("constructs %+v", f.Constructs)
	}
	con := f.Constructs[0]
	if con.SourceDir != "services/api" || !con.SourceDirResolved {
		t.Errorf("source dir %q", con.SourceDir)
	}
	sc := con.StageConfig
	if v := sc.Get("lambda_memory_size"); v == nil || v.Kind != jsonpos.Number || v.Text != "256" {
		t.Errorf("jsii.Number %+v", v)
	}
	if v := sc.Get("layers"); v == nil || v.Kind != jsonpos.Array || len(v.Elems) != 1 || v.Elems[0].Text != "arn:a" {
		t.Errorf("layers %+v", v)
	}
	if got := refsSummary([]byte(src), f.IDRefs); got != "GetFunction:function:APIHandler" {
		t.Errorf("refs %q", got)
	}
}

func BenchmarkAnalyzePython(b *testing.B) {
	path, src := read(b, "python/cdk_chalice_stack.py")
	for b.Loop() {
		AnalyzePython(path, src)
	}
}

func BenchmarkAnalyzeGo(b *testing.B) {
	path, src := read(b, "go/stack.go")
	for b.Loop() {
		AnalyzeGo(path, src)
	}
}
