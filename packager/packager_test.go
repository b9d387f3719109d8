package packager_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/chalice-lsp/chalice-lsp/packager"
	"github.com/chalice-lsp/chalice-lsp/schema/effective"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// TestPackageBasic packages a small app with routes, a pure Lambda and chalicelib,
// and checks the result's files, template positions and function details.
func TestPackageBasic(t *testing.T) {
	t.Parallel()
	p := shared(t)
	res, err := pkg(t, p, packager.Request{SourceDir: app(t, "basic")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stage != "dev" || res.Key == "" || res.ChaliceVersion == "" || res.PythonVersion == "" {
		t.Errorf("result metadata: stage %q key %q chalice %q python %q", res.Stage, res.Key, res.ChaliceVersion, res.PythonVersion)
	}
	for _, f := range []string{res.TemplatePath, res.DeploymentZip} {
		if st, err := os.Stat(f); err != nil || st.Size() == 0 {
			t.Errorf("%s: missing or empty (%v)", f, err)
		}
	}
	if res.LayerZip != "" {
		t.Errorf("no layer expected, got %s", res.LayerZip)
	}
	tpl := res.Template
	want := map[string]string{
		"APIHandler": "AWS::Serverless::Function", "APIHandlerInvokePermission": "AWS::Lambda::Permission",
		"RestAPI": "AWS::Serverless::Api", "DefaultRole": "AWS::IAM::Role", "Worker": "AWS::Serverless::Function",
	}
	if len(tpl.Resources) != len(want) {
		t.Errorf("resources: got %v, want %v", tpl.IDs(), want)
	}
	for id, typ := range want {
		r := tpl.Resource(id)
		if r == nil {
			t.Errorf("resource %s missing; have %v", id, tpl.IDs())
			continue
		}
		if r.Type != typ {
			t.Errorf("%s: type %s, want %s", id, r.Type, typ)
		}
		if got := string(tpl.Source[r.KeyStart:r.KeyEnd]); got != `"`+id+`"` {
			t.Errorf("%s: key span holds %s", id, got)
		}
		body := tpl.Source[r.Start:r.End]
		if body[0] != '{' || body[len(body)-1] != '}' || !bytes.Contains(body, []byte(`"Type": "`+typ+`"`)) {
			t.Errorf("%s: body span is not the resource object: %.60s", id, body)
		}
	}
	fn := tpl.Resource("APIHandler").Function
	if fn == nil || fn.Handler != "app.app" || !strings.HasPrefix(fn.Runtime, "python3.") ||
		fn.MemorySize == nil || *fn.MemorySize != 128 || fn.Timeout == nil || *fn.Timeout != 60 ||
		fn.Role != "DefaultRole" || !fn.RoleIsRef {
		t.Errorf("APIHandler details: %+v", fn)
	}
	if w := tpl.Resource("Worker").Function; w == nil || w.Handler != "app.worker" {
		t.Errorf("Worker details: %+v", w)
	}
	if tpl.Typed == nil {
		t.Errorf("goformation view missing: %v", tpl.Notes)
	} else if f, err := tpl.Typed.GetServerlessFunctionWithName("APIHandler"); err != nil || f.Handler == nil || *f.Handler != "app.app" {
		t.Errorf("typed APIHandler: %+v, %v", f, err)
	}

	// The zip holds the app, chalicelib and chalice's runtime, and no bytecode.
	zr, err := zip.OpenReader(res.DeploymentZip)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
		if strings.Contains(f.Name, "__pycache__") || strings.HasSuffix(f.Name, ".pyc") {
			t.Errorf("zip holds bytecode %s", f.Name)
		}
	}
	for _, n := range []string{"app.py", "chalicelib/__init__.py", "chalice/app.py"} {
		if !names[n] {
			t.Errorf("zip lacks %s", n)
		}
	}
}

// TestStageConfigMerge checks that the stage config is deep-merged into
// stages.<stage>, including lambda_functions (which Chalice's own construct ignores,
// chalice #1998), and that a stage missing from config.json is created.
func TestStageConfigMerge(t *testing.T) {
	t.Parallel()
	p := shared(t)
	sc := map[string]any{
		"api_gateway_stage":     "v1",
		"environment_variables": map[string]any{"FROM_STAGE_CONFIG": "yes", "TABLE": jsonpos.OpaqueValue{Source: "table.table_name"}},
		"lambda_functions": map[string]any{
			"worker": map[string]any{"lambda_memory_size": json.Number("512"), "lambda_timeout": 30},
		},
	}
	// "prod" is not in config.json; "-dash" must not be taken for a flag.
	for _, stage := range []string{"dev", "prod", "-dash"} {
		res, err := pkg(t, p, packager.Request{SourceDir: app(t, "basic"), Stage: stage, StageConfig: sc, StageConfigMode: effective.MergeIntoStage})
		if err != nil {
			t.Fatal(err)
		}
		tpl := res.Template
		if got := tpl.Resource("RestAPI").Props.Get("StageName"); got == nil || got.Text != "v1" {
			t.Errorf("%s: RestAPI StageName = %v, want v1", stage, got)
		}
		w, a := tpl.Resource("Worker").Function, tpl.Resource("APIHandler").Function
		if *w.MemorySize != 512 || *w.Timeout != 30 {
			t.Errorf("%s: Worker memory %d timeout %d, want 512 and 30 from stage config lambda_functions", stage, *w.MemorySize, *w.Timeout)
		}
		if *a.MemorySize != 128 {
			t.Errorf("%s: APIHandler memory %d, want the default 128", stage, *a.MemorySize)
		}
		env := tpl.Resource("APIHandler").Props.Lookup("/Environment/Variables/FROM_STAGE_CONFIG")
		if env == nil || env.Text != "yes" {
			t.Errorf("%s: environment variable from stage config missing", stage)
		}
		if tbl := tpl.Resource("APIHandler").Props.Lookup("/Environment/Variables/TABLE"); tbl == nil || tbl.Text != "${Token[table.table_name]}" {
			t.Errorf("%s: a synth-time value was not packaged as its token string: %v", stage, tbl)
		}
		tags := tpl.Resource("Worker").Props.Lookup("/Tags/aws-chalice")
		if tags == nil || !strings.Contains(tags.Text, "stage="+stage) {
			t.Errorf("%s: aws-chalice tag %v does not name the stage", stage, tags)
		}
	}
	// The caller's map is not modified.
	if _, ok := sc["chalice_app"]; ok || len(sc) != 3 {
		t.Errorf("stage config was modified: %v", sc)
	}
}

// TestStageConfigMergesTypedMaps checks that Go callers' typed maps (such as
// map[string]string for environment variables) merge key by key like map[string]any
// does, instead of replacing the whole object from config.json.
func TestStageConfigMergesTypedMaps(t *testing.T) {
	t.Parallel()
	dir := copyApp(t, "basic")
	writeFile(t, filepath.Join(dir, ".chalice", "config.json"),
		`{"version": "2.0", "app_name": "basic", "stages": {"dev": {"environment_variables": {"FROM_FILE": "1"}}}}`)
	res, err := pkg(t, shared(t), packager.Request{SourceDir: dir, StageConfig: map[string]any{
		"environment_variables": map[string]string{"FROM_GO": "2"},
		"lambda_functions":      map[string]map[string]any{"worker": {"lambda_memory_size": 640}},
	}, StageConfigMode: effective.MergeIntoStage})
	if err != nil {
		t.Fatal(err)
	}
	vars := res.Template.Resource("APIHandler").Props.Lookup("/Environment/Variables")
	if vars.Get("FROM_FILE") == nil || vars.Get("FROM_GO") == nil {
		t.Errorf("environment variables %s: want FROM_FILE from config.json and FROM_GO from the stage config", res.Template.Source[vars.Start:vars.End])
	}
	if w := res.Template.Resource("Worker").Function; *w.MemorySize != 640 {
		t.Errorf("Worker memory %d, want 640 from a typed lambda_functions map", *w.MemorySize)
	}
}

// snapshot records every file's bytes and mtime under dir.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		var b []byte
		if d.Type().IsRegular() {
			if b, err = os.ReadFile(p); err != nil {
				return err
			}
		}
		out[p] = info.Mode().String() + "|" + info.ModTime().Format(time.RFC3339Nano) + "|" + string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestUserTreeUntouched packages testdata apps in place (success with a stage config,
// a failure, a fixup) and checks that no file or directory under them changed,
// appeared or vanished: no .chalice/deployments, no __pycache__, no config rewrite.
func TestUserTreeUntouched(t *testing.T) {
	t.Parallel()
	py := testenv.Python(t)
	p := packager.New(packager.Options{CacheDir: t.TempDir(), Python: py, Environ: baseEnv()})
	for _, name := range []string{"basic", "loggroup", "import_error"} {
		dir := app(t, name)
		before := snapshot(t, dir)
		_, err := pkg(t, p, packager.Request{SourceDir: dir, Stage: "untouched",
			StageConfig: map[string]any{"lambda_memory_size": 1024, "lambda_functions": map[string]any{"api_handler": map[string]any{"lambda_timeout": 9}}}})
		if name == "import_error" {
			asError(t, err, packager.ClassAppImport)
		} else if err != nil {
			t.Fatal(err)
		}
		after := snapshot(t, dir)
		for f, v := range before {
			if after[f] != v {
				t.Errorf("%s changed", f)
			}
		}
		for f := range after {
			if _, ok := before[f]; !ok {
				t.Errorf("%s appeared in the user's project", f)
			}
		}
	}
}

// TestCacheRunsChaliceOnce counts real chalice runs with an app that appends a line
// to a file every time it is imported.
func TestCacheRunsChaliceOnce(t *testing.T) {
	t.Parallel()
	py := testenv.Python(t)
	cache := t.TempDir()
	dir := copyApp(t, "counter")
	countFile := filepath.Join(t.TempDir(), "count")
	imports := func() int {
		b, _ := os.ReadFile(countFile)
		return bytes.Count(b, []byte("imported\n"))
	}
	req := packager.Request{SourceDir: dir, StageConfig: map[string]any{"lambda_memory_size": 256},
		Package: packager.PackageConfig{Env: map[string]string{"COUNT_FILE": countFile}}}

	p1 := packager.New(packager.Options{CacheDir: cache, Python: py, Environ: baseEnv()})
	r1, err := pkg(t, p1, req)
	if err != nil {
		t.Fatal(err)
	}
	if r1.Cached || imports() != 1 || p1.Stats().Runs != 1 {
		t.Fatalf("first run: cached=%v imports=%d stats=%+v", r1.Cached, imports(), p1.Stats())
	}
	r2, err := pkg(t, p1, req)
	if err != nil {
		t.Fatal(err)
	}
	if !r2.Cached || imports() != 1 || p1.Stats().Runs != 1 || p1.Stats().MemoryHits != 1 {
		t.Fatalf("identical request ran chalice again: cached=%v imports=%d stats=%+v", r2.Cached, imports(), p1.Stats())
	}
	if r2.TemplatePath != r1.TemplatePath || r2.Key != r1.Key {
		t.Errorf("cache hit returned a different package: %s vs %s", r2.TemplatePath, r1.TemplatePath)
	}

	// A new Packager on the same cache directory (a restarted server) hits the disk.
	p2 := packager.New(packager.Options{CacheDir: cache, Python: py, Environ: baseEnv()})
	r3, err := pkg(t, p2, req)
	if err != nil {
		t.Fatal(err)
	}
	if !r3.Cached || imports() != 1 || p2.Stats().Runs != 0 || p2.Stats().DiskHits != 1 {
		t.Fatalf("after restart: cached=%v imports=%d stats=%+v", r3.Cached, imports(), p2.Stats())
	}
	if r3.Template.Resource("Handler") == nil {
		t.Errorf("disk hit lost the template: %v", r3.Template.IDs())
	}

	// Every input that changes the output changes the key.
	changes := []struct {
		name   string
		mutate func(r *packager.Request)
	}{
		{"stage config", func(r *packager.Request) { r.StageConfig = map[string]any{"lambda_memory_size": 512} }},
		{"stage config mode", func(r *packager.Request) { r.StageConfigMode = effective.ReplaceStage }},
		{"stage", func(r *packager.Request) { r.Stage = "prod" }},
		{"env", func(r *packager.Request) { r.Package.Env = map[string]string{"COUNT_FILE": countFile, "X": "1"} }},
		{"app.py", func(r *packager.Request) { appendFile(t, filepath.Join(dir, "app.py"), "\n# edited\n") }},
		{"chalicelib", func(r *packager.Request) { writeFile(t, filepath.Join(dir, "chalicelib", "extra.py"), "X = 1\n") }},
		{"requirements", func(r *packager.Request) { writeFile(t, filepath.Join(dir, "requirements.txt"), "# none\n") }},
		{"vendor", func(r *packager.Request) { writeFile(t, filepath.Join(dir, "vendor", "mod.py"), "Y = 2\n") }},
		{"config.json", func(r *packager.Request) {
			writeFile(t, filepath.Join(dir, ".chalice", "config.json"), `{"version": "2.0", "app_name": "counter", "stages": {"dev": {"lambda_timeout": 20}}}`)
		}},
		{"policy file", func(r *packager.Request) { writeFile(t, filepath.Join(dir, ".chalice", "policy-dev.json"), `{}`) }},
	}
	keys := map[string]string{r1.Key: "initial"}
	want := 1
	for _, c := range changes {
		c.mutate(&req)
		r, err := pkg(t, p2, req)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		want++
		if r.Cached || imports() != want {
			t.Errorf("%s: changing it did not re-run chalice (cached=%v imports=%d)", c.name, r.Cached, imports())
		}
		if prev, dup := keys[r.Key]; dup {
			t.Errorf("%s: same key as %s", c.name, prev)
		}
		keys[r.Key] = c.name
	}
	// Files chalice does not read leave the key alone.
	writeFile(t, filepath.Join(dir, "README.md"), "notes\n")
	writeFile(t, filepath.Join(dir, "chalicelib", "__pycache__", "x.cpython-311.pyc"), "junk")
	if r, err := pkg(t, p2, req); err != nil || !r.Cached {
		t.Errorf("unrelated files invalidated the cache: %v %v", r, err)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func appendFile(t *testing.T, path, content string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, string(b)+content)
}

// TestConcurrentRequestsShareOneRun starts identical requests at once.
func TestConcurrentRequestsShareOneRun(t *testing.T) {
	t.Parallel()
	py := testenv.Python(t)
	countFile := filepath.Join(t.TempDir(), "count")
	p := packager.New(packager.Options{CacheDir: t.TempDir(), Python: py, Environ: baseEnv()})
	req := packager.Request{SourceDir: app(t, "counter"), Stage: "concurrent",
		Package: packager.PackageConfig{Env: map[string]string{"COUNT_FILE": countFile}}}
	var wg sync.WaitGroup
	results := make([]*packager.Result, 4)
	errs := make([]error, 4)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = pkg(t, p, req)
		}()
	}
	wg.Wait()
	for i := range results {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if results[i].Key != results[0].Key {
			t.Errorf("request %d got another package", i)
		}
	}
	b, _ := os.ReadFile(countFile)
	if n := bytes.Count(b, []byte("imported\n")); n != 1 || p.Stats().Runs != 1 {
		t.Errorf("4 identical concurrent requests ran chalice %d times (stats %+v), want 1", n, p.Stats())
	}
}

// slowRun starts packaging the slow app (which spawns `sleep` at import and hangs)
// and returns once both processes exist, with their pids and the outcome channel.
func slowRun(t *testing.T, p *packager.Packager, ctx context.Context, req packager.Request) (pids []int, done chan error) {
	t.Helper()
	marker := req.Package.Env["MARKER_FILE"]
	if marker == "" {
		marker = filepath.Join(t.TempDir(), "pids")
		req.Package.Env = map[string]string{"MARKER_FILE": marker}
	}
	req.SourceDir = app(t, "slow")
	done = make(chan error, 1)
	go func() {
		_, err := p.Package(ctx, req)
		done <- err
	}()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if b, err := os.ReadFile(marker); err == nil {
			for _, f := range strings.Fields(string(b)) {
				n, err := strconv.Atoi(f)
				if err != nil {
					t.Fatalf("the slow app wrote %q, not pids", b)
				}
				pids = append(pids, n)
			}
			break
		}
		select {
		case err := <-done:
			t.Fatalf("the slow app finished before it started hanging: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the slow app never started")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(pids) != 2 || !alive(pids[0]) || !alive(pids[1]) {
		t.Fatalf("expected two live pids, got %v", pids)
	}
	return pids, done
}

// assertDead waits briefly for pids to disappear (SIGKILL is asynchronous) and
// fails if any survives.
func assertDead(t *testing.T, pids []int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for _, pid := range pids {
		for alive(pid) {
			if time.Now().After(deadline) {
				t.Errorf("process %d survived", pid)
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

func TestCancelKillsProcessGroup(t *testing.T) {
	t.Parallel()
	py := testenv.Python(t)
	p := packager.New(packager.Options{CacheDir: t.TempDir(), Python: py, Environ: baseEnv()})
	ctx, cancel := context.WithCancel(context.Background())
	pids, done := slowRun(t, p, ctx, packager.Request{})
	cancel()
	err := <-done
	asError(t, err, packager.ClassCancelled)
	assertDead(t, pids)
}

func TestTimeoutKillsProcessGroup(t *testing.T) {
	t.Parallel()
	py := testenv.Python(t)
	p := packager.New(packager.Options{CacheDir: t.TempDir(), Python: py, Environ: baseEnv()})
	// The timeout has to outlast interpreter start-up and the chalice import (about 1 s,
	// much longer on a loaded machine) for the app to reach its hang. Whether it did is
	// read from the marker file, not assumed from the clock: a run that timed out before
	// the app wrote its pids proves nothing about the process group and is repeated with
	// a longer timeout. Either way the run must end as a timeout.
	for _, timeout := range []time.Duration{12 * time.Second, 30 * time.Second, 90 * time.Second} {
		marker := filepath.Join(t.TempDir(), "pids")
		_, err := p.Package(context.Background(), packager.Request{SourceDir: app(t, "slow"), Timeout: timeout,
			Package: packager.PackageConfig{Env: map[string]string{"MARKER_FILE": marker}}})
		e := asError(t, err, packager.ClassTimeout)
		if !strings.Contains(e.Message, timeout.String()) {
			t.Errorf("timeout message does not say how long (%s): %s", timeout, e.Message)
		}
		b, rerr := os.ReadFile(marker) // written atomically (rename) once both processes exist
		if rerr != nil {
			t.Logf("the %s timeout ended the run before the app started hanging; trying a longer one", timeout)
			continue
		}
		var pids []int
		for _, f := range strings.Fields(string(b)) {
			n, err := strconv.Atoi(f)
			if err != nil {
				t.Fatalf("the slow app wrote %q, not pids", b)
			}
			pids = append(pids, n)
		}
		if len(pids) != 2 {
			t.Fatalf("the slow app wrote %q, want two pids", b)
		}
		assertDead(t, pids)
		return
	}
	t.Fatal("the slow app never reached its hang, even with a 90s timeout")
}

func TestSupersedeCancelsOlderRequest(t *testing.T) {
	t.Parallel()
	py := testenv.Python(t)
	p := packager.New(packager.Options{CacheDir: t.TempDir(), Python: py, Environ: baseEnv()})
	pids, done := slowRun(t, p, context.Background(), packager.Request{Supersede: "project-slot"})
	// A newer request in the same slot (here: another app, as after an edit).
	res, err := pkg(t, p, packager.Request{SourceDir: app(t, "basic"), Stage: "supersede", Supersede: "project-slot"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Template.Resource("APIHandler") == nil {
		t.Errorf("newer request: %v", res.Template.IDs())
	}
	select {
	case err := <-done:
		asError(t, err, packager.ClassSuperseded)
	case <-time.After(time.Minute):
		t.Fatal("the older request was not superseded")
	}
	assertDead(t, pids)
}

// TestSupersedeJoinsSameInputs: a newer request in the same slot with the same inputs
// is the same work (an editor's explicit "package" and a background run started just
// after it), so it must share the run, not cancel the older request.
func TestSupersedeJoinsSameInputs(t *testing.T) {
	t.Parallel()
	p := packager.New(packager.Options{CacheDir: t.TempDir(), Python: testenv.Python(t), Environ: baseEnv()})
	req := packager.Request{Supersede: "project-slot",
		Package: packager.PackageConfig{Env: map[string]string{"MARKER_FILE": filepath.Join(t.TempDir(), "pids")}}}
	older, cancelOlder := context.WithCancel(context.Background())
	defer cancelOlder()
	pids, done := slowRun(t, p, older, req)

	req.SourceDir = app(t, "slow")
	newer, cancelNewer := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancelNewer()
	_, err := p.Package(newer, req) // joins the hanging run until its own deadline
	asError(t, err, packager.ClassTimeout)
	select {
	case err := <-done:
		t.Fatalf("the newer request with the same inputs ended the older one: %v", err)
	default:
	}
	cancelOlder()
	select {
	case err := <-done:
		asError(t, err, packager.ClassCancelled)
	case <-time.After(time.Minute):
		t.Fatal("cancelling the older request did not end it")
	}
	assertDead(t, pids)
	if n := p.Stats().Runs; n != 1 {
		t.Errorf("chalice ran %d times, want 1 shared run", n)
	}
}

// TestErrors produces every error class from a real failing app.
func TestErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		app         string
		stageConfig map[string]any
		class       packager.ErrorClass
		file        string // relative to the app
		line        int
		inMessage   string
		inHint      string
	}{
		{"import_error", nil, packager.ClassAppImport, "chalicelib/settings.py", 3, `reads the environment variable APP_TABLE_NAME, which is not set for stage "dev" when chalice package imports the app: no stage, function or stage_config sets it`, "os.environ.get()"},
		{"env_other_stage", nil, packager.ClassAppImport, "app.py", 6, "it is set only in lambda_functions.worker, stages.prod (Chalice sets the top-level and stage variables before importing, never a function's)", "set ORDERS_TABLE at the top level or in stages.dev"},
		{"not_installed", nil, packager.ClassAppImport, "app.py", 3, "app.py imports orders_sdk, which is not installed in " + testenv.Python(t) + " (requirements.txt lists it as orders-sdk==1.2.0)", "-m pip install -r requirements.txt), or point chalice.python / --python at the project's virtualenv"},
		{"not_in_requirements", nil, packager.ClassAppImport, "chalicelib/billing.py", 3, "chalicelib/billing.py imports acme_billing, which is not installed in " + testenv.Python(t) + ", and requirements.txt does not list it either, so the import will fail in Lambda too", "add the package that provides acme_billing to requirements.txt"},
		{"version_clash", nil, packager.ClassAppImport, "app.py", 1, "the code imports LambdaFunctionUrl from chalice, which the version of chalice installed in " + testenv.Python(t) + " does not have: the installed version does not fit the code", "install the version the project needs"},
		{"stage_not_object", nil, packager.ClassInvalidConfig, ".chalice/config.json", 5, `stages.dev is a string, not an object: Chalice reads the settings of stage "dev" from it and crashes (AttributeError: 'str' object has no attribute 'get')`, "a top-level key written inside \"stages\" belongs at the top level"},
		{"syntax_error", nil, packager.ClassAppImport, "app.py", 7, "SyntaxError: expected ':'", "reported line"},
		{"bad_json", nil, packager.ClassInvalidConfig, ".chalice/config.json", 7, "not valid JSON", "trailing commas"},
		{"bad_json", map[string]any{"lambda_timeout": 5}, packager.ClassInvalidConfig, ".chalice/config.json", 6, "trailing comma", "JSON syntax"},
		{"bad_version", nil, packager.ClassInvalidConfig, ".chalice/config.json", 2, "Unknown version '3.0'", `"2.0"`},
		{"vpc", nil, packager.ClassInvalidConfig, ".chalice/config.json", 6, "subnet_ids and security_group_ids", "missing key"},
		{"policy_missing", nil, packager.ClassInvalidConfig, ".chalice/config.json", 6, ".chalice/policy-dev.json", "policy file"},
		{"domain", nil, packager.ClassInvalidConfig, ".chalice/config.json", 6, "'certificate_arn'", "certificate_arn"},
		{"s3_event", nil, packager.ClassUnsupported, "app.py", 6, "on_s3_event", "chalice deploy"},
		{"env_not_string", nil, packager.ClassInvalidConfig, ".chalice/config.json", 9, "environment variable DEBUG is a boolean, not a string", "quote the value"},
		{"env_not_string", map[string]any{"environment_variables": map[string]any{"DEBUG": "true", "PORT": 8080}}, packager.ClassInvalidConfig, ".chalice/config.json", 0, "environment variable PORT from the stage config is a number", "stage config"},
		{"ws_no_flag", nil, packager.ClassAppImport, "app.py", 9, "experimental Chalice features without opting in: WEBSOCKETS", "app.experimental_feature_flags.update(['WEBSOCKETS'])"},
		{"s3_blueprint", nil, packager.ClassUnsupported, "chalicelib/uploads.py", 8, "on_s3_event", "chalice deploy"},
		{"root_module", nil, packager.ClassAppImport, "app.py", 5, "app.py imports helpers, which is in the project (helpers.py) but not in what Chalice packages", "chalicelib.helpers"},
		{"policy_levels", nil, packager.ClassInvalidConfig, ".chalice/config.json", 4, ".chalice/policy-dev.json", "policy file"},
		{"duplicate", nil, packager.ClassDuplicateName, "app.py", 12, `"foo_bar" (line 7) and "foo__bar" (line 12) both get the CloudFormation logical ID "FooBar"`, "rename"},
	}
	p := shared(t)
	for _, c := range cases {
		name := c.app
		if c.stageConfig != nil {
			name += "-with-stage-config"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := pkg(t, p, packager.Request{SourceDir: app(t, c.app), StageConfig: c.stageConfig})
			e := asError(t, err, c.class)
			if want := filepath.Join(app(t, c.app), c.file); e.File != want || e.Line != c.line {
				t.Errorf("points at %s:%d, want %s:%d", e.File, e.Line, want, c.line)
			}
			if !strings.Contains(e.Message, c.inMessage) || !strings.Contains(e.Hint, c.inHint) {
				t.Errorf("message %q / hint %q lack %q / %q", e.Message, e.Hint, c.inMessage, c.inHint)
			}
			if c.stageConfig == nil && len(e.Output) == 0 {
				t.Errorf("raw chalice output missing")
			}
			if strings.Contains(e.Message, p.CacheDir()) || strings.Contains(e.File, p.CacheDir()) {
				t.Errorf("the error points into the private work directory: %s", e)
			}
			// Asking again gives the same error (from memory; see
			// TestDeterministicFailureIsRemembered for the run count).
			_, err = pkg(t, p, packager.Request{SourceDir: app(t, c.app), StageConfig: c.stageConfig})
			asError(t, err, c.class)
		})
	}
}

// TestConfigShapeCrashInAFunctionEntry: a stage's function entry that is not an
// object crashes Chalice's config merge; the error sits on that key.
func TestConfigShapeCrashInAFunctionEntry(t *testing.T) {
	t.Parallel()
	p := shared(t)
	_, err := pkg(t, p, packager.Request{SourceDir: app(t, "stage_not_object"), Stage: "prod"})
	e := asError(t, err, packager.ClassInvalidConfig)
	if want := filepath.Join(app(t, "stage_not_object"), ".chalice", "config.json"); e.File != want || e.Line != 8 {
		t.Errorf("points at %s:%d, want %s:8", e.File, e.Line, want)
	}
	if want := `stages.prod.lambda_functions.api_handler is a string, not an object: Chalice reads the settings of function "api_handler" from it and crashes`; !strings.Contains(e.Message, want) {
		t.Errorf("message %q lacks %q", e.Message, want)
	}
}

// TestDeterministicFailureIsRemembered checks that a failing app is not re-run for
// identical inputs.
func TestDeterministicFailureIsRemembered(t *testing.T) {
	t.Parallel()
	p := packager.New(packager.Options{CacheDir: t.TempDir(), Python: testenv.Python(t), Environ: baseEnv()})
	for i := 0; i < 3; i++ {
		_, err := pkg(t, p, packager.Request{SourceDir: app(t, "syntax_error")})
		asError(t, err, packager.ClassAppImport)
	}
	if n := p.Stats().Runs; n != 1 {
		t.Errorf("chalice ran %d times for the same failing inputs, want 1", n)
	}
}

func TestNoRegion(t *testing.T) {
	t.Parallel()
	cfg := filepath.Join(t.TempDir(), "aws-config")
	writeFile(t, cfg, "[profile noregion]\noutput = json\n")
	p := packager.New(packager.Options{CacheDir: t.TempDir(), Python: testenv.Python(t),
		Environ: baseEnv("AWS_PROFILE=noregion", "AWS_CONFIG_FILE="+cfg, "AWS_SHARED_CREDENTIALS_FILE="+cfg)})
	_, err := pkg(t, p, packager.Request{SourceDir: app(t, "basic"), Stage: "noregion"})
	e := asError(t, err, packager.ClassNoRegion)
	if !strings.Contains(e.Hint, "AWS_DEFAULT_REGION") {
		t.Errorf("hint: %s", e.Hint)
	}
	// Without a profile the packager supplies us-east-1 and the same app packages.
	if _, err := pkg(t, shared(t), packager.Request{SourceDir: app(t, "basic"), Stage: "noregion"}); err != nil {
		t.Fatal(err)
	}
}

func TestChaliceNotInstalled(t *testing.T) {
	t.Parallel()
	py := testenv.Python(t)
	// A real virtualenv without chalice (and without pip, to be quick).
	venv := filepath.Join(t.TempDir(), "empty-venv")
	if out, err := exec.Command(py, "-m", "venv", "--without-pip", venv).CombinedOutput(); err != nil {
		t.Fatalf("creating a venv: %v\n%s", err, out)
	}
	p := packager.New(packager.Options{CacheDir: t.TempDir(), Environ: baseEnv()})
	_, err := pkg(t, p, packager.Request{SourceDir: app(t, "basic"), Python: venv})
	e := asError(t, err, packager.ClassChaliceNotInstalled)
	if !strings.Contains(e.Hint, "pip install chalice") || !strings.Contains(e.Message, venv) {
		t.Errorf("message %q / hint %q", e.Message, e.Hint)
	}
	// An interpreter that does not exist.
	_, err = pkg(t, p, packager.Request{SourceDir: app(t, "basic"), Python: filepath.Join(venv, "nope", "python")})
	asError(t, err, packager.ClassChaliceNotInstalled)

	// The user follows the hint and installs chalice (here: makes the test venv's
	// packages importable with a .pth file): the next request, and a restarted
	// packager on the same cache, must see it.
	sitePackages := func(py string) string {
		out, err := exec.Command(py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(string(out))
	}
	writeFile(t, filepath.Join(sitePackages(filepath.Join(venv, "bin", "python")), "chalice.pth"), sitePackages(py)+"\n")
	if _, err := pkg(t, p, packager.Request{SourceDir: app(t, "basic"), Python: venv}); err != nil {
		t.Errorf("after installing chalice: %v", err)
	}
	restarted := packager.New(packager.Options{CacheDir: p.CacheDir(), Environ: baseEnv()})
	if _, err := pkg(t, restarted, packager.Request{SourceDir: app(t, "basic"), Python: venv}); err != nil {
		t.Errorf("after installing chalice, restarted: %v", err)
	}
}

func TestNotAProject(t *testing.T) {
	t.Parallel()
	p := shared(t)
	_, err := pkg(t, p, packager.Request{SourceDir: t.TempDir()})
	asError(t, err, packager.ClassNotProject)
	_, err = pkg(t, p, packager.Request{SourceDir: filepath.Join(t.TempDir(), "missing")})
	asError(t, err, packager.ClassNotProject)
	_, err = pkg(t, p, packager.Request{SourceDir: app(t, "basic"), Package: packager.PackageConfig{Env: map[string]string{"BAD=KEY": "x"}}})
	asError(t, err, packager.ClassBadRequest)
	_, err = pkg(t, p, packager.Request{SourceDir: app(t, "basic"), Package: packager.PackageConfig{UseContainer: true, Image: "--privileged"}})
	asError(t, err, packager.ClassBadRequest)
}

// TestInterpreterDetection finds the venv in a parent directory of the project.
func TestInterpreterDetection(t *testing.T) {
	t.Parallel()
	py := testenv.Python(t)
	root := t.TempDir()
	writeFile(t, filepath.Join(root, ".git", "HEAD"), "ref: refs/heads/main\n")
	// The repository's .venv, linked in as <root>/.venv two levels above the project.
	if err := os.Symlink(filepath.Dir(filepath.Dir(py)), filepath.Join(root, ".venv")); err != nil {
		t.Fatal(err)
	}
	proj := filepath.Join(root, "services", "api")
	if err := os.MkdirAll(filepath.Dir(proj), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(copyApp(t, "basic"), proj); err != nil {
		t.Fatal(err)
	}
	// PATH without any python or chalice: only the parent .venv can be found.
	p := packager.New(packager.Options{CacheDir: t.TempDir(), Environ: []string{"PATH=/nonexistent", "HOME=" + t.TempDir()}})
	res, err := pkg(t, p, packager.Request{SourceDir: proj})
	if err != nil {
		t.Fatal(err)
	}
	if res.ChaliceVersion == "" || res.Template.Resource("APIHandler") == nil {
		t.Errorf("unexpected result %+v", res)
	}
}

// TestLogGroupFixup compares the packager's template with bare chalice's output:
// identical except for the #2079 fix.
func TestLogGroupFixup(t *testing.T) {
	t.Parallel()
	res, err := pkg(t, shared(t), packager.Request{SourceDir: app(t, "loggroup")})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Fixups) != 1 || !strings.Contains(res.Fixups[0], "ApiHandlerLogGroup") || !strings.Contains(res.Fixups[0], "2079") {
		t.Fatalf("fixups: %v", res.Fixups)
	}
	sub := res.Template.Resource("ApiHandlerLogGroup").Props.Lookup("/LogGroupName/Fn::Sub")
	if sub == nil || sub.Text != "/aws/lambda/${APIHandler}" {
		t.Fatalf("log group name: %+v", sub)
	}
	dir := copyApp(t, "loggroup")
	out := filepath.Join(t.TempDir(), "out")
	bareChalicePackage(t, dir, out)
	bare, err := os.ReadFile(filepath.Join(out, "sam.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(bare, []byte(`"/aws/lambda/${ApiHandler}"`)) {
		t.Fatal("bare chalice no longer has the #2079 defect; the fixup may be obsolete")
	}
	if got, want := string(res.Template.Source), strings.Replace(string(bare), "${ApiHandler}", "${APIHandler}", 1); got != want {
		t.Errorf("fixed template differs from chalice's beyond the fix")
	}
	// The app without log retention needs no fixup.
	basic, err := pkg(t, shared(t), packager.Request{SourceDir: app(t, "basic")})
	if err != nil {
		t.Fatal(err)
	}
	if len(basic.Fixups) != 0 {
		t.Errorf("unexpected fixups %v", basic.Fixups)
	}
}

// TestOutDir copies the package into a caller's directory, also on a cache hit.
func TestOutDir(t *testing.T) {
	t.Parallel()
	p := shared(t)
	for i := 0; i < 2; i++ {
		out := filepath.Join(t.TempDir(), "cdk.out", "chalice")
		res, err := pkg(t, p, packager.Request{SourceDir: app(t, "basic"), OutDir: out})
		if err != nil {
			t.Fatal(err)
		}
		if res.Dir != out || res.TemplatePath != filepath.Join(out, "sam.json") || res.DeploymentZip != filepath.Join(out, "deployment.zip") {
			t.Errorf("paths not in OutDir: %+v", res)
		}
		b, err := os.ReadFile(res.TemplatePath)
		if err != nil || !bytes.Equal(b, res.Template.Source) {
			t.Errorf("exported template differs (%v)", err)
		}
		if root, errs := jsonpos.Parse(b); len(errs) > 0 || root.Lookup("/Resources/APIHandler") == nil {
			t.Errorf("exported template invalid")
		}
	}
}

// TestZipCacheReused checks that chalice's deployment zip cache survives between
// runs of one project (without ever living in the user's .chalice/deployments).
func TestZipCacheReused(t *testing.T) {
	t.Parallel()
	p := packager.New(packager.Options{CacheDir: t.TempDir(), Python: testenv.Python(t), Environ: baseEnv()})
	r1, err := pkg(t, p, packager.Request{SourceDir: app(t, "basic"), Stage: "zips", StageConfig: map[string]any{"lambda_timeout": 11}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(r1.Output), "Creating deployment package.") || strings.Contains(string(r1.Output), "Reusing existing deployment package.") {
		t.Fatalf("first run output: %s", r1.Output)
	}
	// A different stage config: the result cache misses, chalice's zip cache hits.
	r2, err := pkg(t, p, packager.Request{SourceDir: app(t, "basic"), Stage: "zips", StageConfig: map[string]any{"lambda_timeout": 12}})
	if err != nil {
		t.Fatal(err)
	}
	if r2.Cached || !strings.Contains(string(r2.Output), "Reusing existing deployment package.") {
		t.Errorf("second run did not reuse chalice's zip: cached=%v output=%s", r2.Cached, r2.Output)
	}
	zips, _ := filepath.Glob(filepath.Join(p.CacheDir(), "deployments", "*", "*.zip"))
	if len(zips) != 1 {
		t.Errorf("zip store: %v", zips)
	}
	if _, err := os.Stat(filepath.Join(app(t, "basic"), ".chalice", "deployments")); err == nil {
		t.Error("the user's .chalice/deployments was created")
	}
	// No work directories are left behind.
	if left, _ := filepath.Glob(filepath.Join(p.CacheDir(), "work", "*")); len(left) != 0 {
		t.Errorf("work directories left: %v", left)
	}
}

// TestPruneOldEntries checks that unused cache entries and abandoned work
// directories are deleted, and fresh ones kept.
func TestPruneOldEntries(t *testing.T) {
	t.Parallel()
	cache := t.TempDir()
	old := time.Now().Add(-packager.PruneAge - time.Hour)
	stale := filepath.Join(cache, "packages", strings.Repeat("a", 64))
	fresh := filepath.Join(cache, "packages", strings.Repeat("b", 64))
	abandoned := filepath.Join(cache, "work", "0123456789abcdef-1")
	for _, d := range []string{stale, fresh, abandoned} {
		writeFile(t, filepath.Join(d, "meta.json"), "{}")
	}
	for _, p := range []string{filepath.Join(stale, "meta.json"), stale, abandoned} {
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	p := packager.New(packager.Options{CacheDir: cache, Python: testenv.Python(t), Environ: baseEnv()})
	if _, err := pkg(t, p, packager.Request{SourceDir: app(t, "basic"), Stage: "prune"}); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{stale, abandoned} {
		if _, err := os.Stat(d); err == nil {
			t.Errorf("%s was not pruned", d)
		}
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("a fresh entry was pruned: %v", err)
	}
}

// TestManagedLayer packages an app with automatic_layer (vendor/ goes into the
// layer) and checks the layer zip travels with the result, also into OutDir.
func TestManagedLayer(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "out")
	res, err := pkg(t, shared(t), packager.Request{SourceDir: app(t, "layer"), OutDir: out})
	if err != nil {
		t.Fatal(err)
	}
	if res.LayerZip != filepath.Join(out, "layer-deployment.zip") {
		t.Fatalf("layer zip %q", res.LayerZip)
	}
	zr, err := zip.OpenReader(res.LayerZip)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	found := false
	for _, f := range zr.File {
		found = found || strings.HasSuffix(f.Name, "site-packages/helpers/__init__.py")
	}
	if !found {
		t.Error("vendor/helpers is not in the layer zip")
	}
	if l := res.Template.Resource("ManagedLayer"); l == nil || l.Type != "AWS::Serverless::LayerVersion" {
		t.Errorf("ManagedLayer: %+v", l)
	}
	if f := res.Template.Resource("Handler").Function; len(f.Layers) != 1 || f.Layers[0] != "ManagedLayer" {
		t.Errorf("function layers %v", f.Layers)
	}
}

// TestDefaultCacheDir checks that the cache lives under the user cache directory
// (XDG_CACHE_HOME on Linux), where it survives restarts.
func TestDefaultCacheDir(t *testing.T) {
	xdg := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", xdg)
	if got, want := packager.New(packager.Options{}).CacheDir(), filepath.Join(xdg, "chalice-lsp"); got != want {
		t.Errorf("CacheDir() = %s, want %s", got, want)
	}
}
