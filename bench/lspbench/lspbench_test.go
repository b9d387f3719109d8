package lspbench

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
)

// Every wait is bounded (a hung server fails the benchmark instead of hanging it);
// these are deadlines, not performance assertions.
const deadline = 4 * time.Minute

var (
	rootDir     string // per-process scratch: generated projects and the shared cache
	sharedCache string // packaging cache reused across sessions ("cached" figures)
	projMu      sync.Mutex
	projects    = map[string]*Project{}
	warmed      = map[string]bool{}
)

// The IDs come from a 50-resource template, as in the completion benchmarks of
// lsp/lsptest (BenchmarkLogicalIDCompletion).
const (
	projectName      = "ids50"
	projectResources = 50
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "chalice-lsp-bench-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	rootDir, sharedCache = dir, filepath.Join(dir, "cache")
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// serverBin is $CHALICE_LSP_BIN or <repo>/bin/chalice-lsp (built by `make build`).
func serverBin(tb testing.TB) string {
	bin := os.Getenv("CHALICE_LSP_BIN")
	if bin == "" {
		bin = filepath.Join(testenv.RepoRoot(tb), "bin", "chalice-lsp")
	}
	bin, _ = filepath.Abs(bin)
	if _, err := os.Stat(bin); err != nil {
		tb.Fatalf("the server binary %s is missing: run `make build` (or set CHALICE_LSP_BIN)", bin)
	}
	return bin
}

// venv is the project virtualenv; packaging needs chalice in it.
func venv(tb testing.TB) string {
	testenv.Chalice(tb) // fails with "run make setup" when chalice is missing
	return testenv.Venv(tb)
}

// project returns the generated project name (created once per process, so the
// packaging cache recognises it across sessions).
func project(tb testing.TB, name string, resources int) *Project {
	tb.Helper()
	projMu.Lock()
	defer projMu.Unlock()
	if p := projects[name]; p != nil {
		return p
	}
	p, err := WriteProject(filepath.Join(rootDir, name), resources)
	if err != nil {
		tb.Fatal(err)
	}
	projects[name] = p
	return p
}

func ctxFor(tb testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	tb.Cleanup(cancel)
	return ctx
}

// start launches and initializes a server on folders. trusted lets it package
// automatically (with the project venv); cache is its packaging cache directory.
func start(tb testing.TB, trusted bool, cache string, folders ...string) *Client {
	tb.Helper()
	c, err := Start(serverBin(tb), []string{"CHALICE_LSP_VENV=" + venv(tb), "AWS_DEFAULT_REGION=us-east-1"}, "--cache-dir", cache)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(c.Close)
	opts := map[string]any{"workspaceTrusted": trusted, "settings": map[string]any{"python": venv(tb)}}
	if err := c.Initialize(ctxFor(tb), folders, opts); err != nil {
		tb.Fatalf("initialize: %v\n%s", err, c.Stderr())
	}
	return c
}

// open sends didOpen with the file's content on disk and returns its URI and text.
func open(tb testing.TB, c *Client, path string) (string, string) {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	lang := map[string]string{".py": "python", ".go": "go", ".json": "json"}[filepath.Ext(path)]
	u := FileURI(path)
	err = c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": u, "languageId": lang, "version": 1, "text": string(b)}})
	if err != nil {
		tb.Fatal(err)
	}
	return u, string(b)
}

// position is the LSP position of byte offset off in ASCII text (UTF-16 = bytes).
func position(text string, off int) map[string]int {
	line := strings.Count(text[:off], "\n")
	col := off - (strings.LastIndex(text[:off], "\n") + 1)
	return map[string]int{"line": line, "character": col}
}

func completionParams(u, text string) map[string]any {
	off := strings.Index(text, CompletionAnchor) + len(CompletionAnchor)
	return map[string]any{"textDocument": map[string]any{"uri": u}, "position": position(text, off)}
}

type item struct {
	Label  string `json:"label"`
	Detail string `json:"detail"`
}

func decodeItems(tb testing.TB, r Response) []item {
	var list struct {
		Items []item `json:"items"`
	}
	if err := json.Unmarshal(r.Result, &list); err != nil {
		var plain []item
		if json.Unmarshal(r.Result, &plain) != nil {
			tb.Fatalf("completion result is neither a list nor items: %.200s", r.Result)
		}
		return plain
	}
	return list.Items
}

// idsProblem says what is wrong with logical-ID completion items for p, or "" when
// they are exactly the template's IDs, from the packaged template (predicted=false)
// or all predicted from app.py (predicted=true).
func idsProblem(p *Project, items []item, predicted bool) string {
	want := []string{"DefaultRole"}
	for i := 0; i < p.Resources-1; i++ {
		want = append(want, fmt.Sprintf("Fn%03d", i))
	}
	var got []string
	for _, it := range items {
		got = append(got, it.Label)
		if strings.Contains(it.Detail, "(predicted)") != predicted || strings.Contains(it.Detail, "stale") {
			return fmt.Sprintf("item %s has detail %q (want predicted=%v, not stale)", it.Label, it.Detail, predicted)
		}
	}
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		return fmt.Sprintf("got %d IDs, want the %d of the template", len(got), len(want))
	}
	return ""
}

// awaitIDs polls completion in stacks.py until it offers p's logical IDs in the
// wanted form (every 5 ms, so a figure is at most that late).
func awaitIDs(tb testing.TB, c *Client, p *Project, u, text string, predicted bool) {
	tb.Helper()
	ctx := ctxFor(tb)
	params := completionParams(u, text)
	last := ""
	for {
		r, _, err := c.Call(ctx, "textDocument/completion", params)
		if err != nil {
			var progress, logs []string
			c.With(func(st *State) { progress, logs = st.Ended, st.Logs })
			tb.Fatalf("completion: %v\nlast problem: %s\nfinished progress: %q\nserver log:\n%s", err, last, progress, strings.Join(logs, "\n"))
		}
		if last = idsProblem(p, decodeItems(tb, r), predicted); last == "" {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// warm packages p once into the shared cache (un-timed), so "cached" sessions hit it.
func warm(tb testing.TB, p *Project) {
	tb.Helper()
	projMu.Lock()
	done := warmed[p.Dir]
	projMu.Unlock()
	if done {
		return
	}
	openProject(tb, p, "cold", sharedCache).Close()
	projMu.Lock()
	warmed[p.Dir] = true
	projMu.Unlock()
}

// modes of BenchmarkFirstCompletion.
var modes = []string{"predicted", "cached", "cold"}

// openProject is one "open the project" of mode: start a server (untrusted for
// predicted, else trusted with cache), open the CDK stack, and poll completion until
// it offers the project's IDs in the form the mode promises. The caller closes c.
func openProject(tb testing.TB, p *Project, mode, cache string) *Client {
	tb.Helper()
	c := start(tb, mode != "predicted", cache, p.Dir)
	u, text := open(tb, c, p.StacksPy)
	awaitIDs(tb, c, p, u, text, mode == "predicted")
	return c
}

// TestFirstCompletionModes runs each scenario of BenchmarkFirstCompletion once, so
// its correctness checks (exactly the template's IDs, predicted or packaged, never
// stale) run in `go test` too.
func TestFirstCompletionModes(t *testing.T) {
	p := project(t, projectName, projectResources)
	for _, mode := range modes {
		t.Run(mode, func(t *testing.T) {
			cache := sharedCache
			switch mode {
			case "cached":
				warm(t, p)
			case "cold":
				cache = t.TempDir()
			}
			openProject(t, p, mode, cache).Close()
		})
	}
}

// BenchmarkFirstCompletion: time from starting the server on a 50-resource project
// (spawn, initialize, open the CDK stack) until logical-ID completion first offers
// the project's IDs. predicted: untrusted workspace, IDs predicted from app.py;
// cached: trusted, packaging answered from the cache of an earlier session; cold:
// trusted, empty cache, so a real `chalice package` runs first. One op is one start.
func BenchmarkFirstCompletion(b *testing.B) {
	for _, mode := range modes {
		b.Run(mode, func(b *testing.B) {
			p := project(b, projectName, projectResources)
			if mode == "cached" {
				warm(b, p)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				cache := sharedCache
				if mode == "cold" {
					cache = b.TempDir()
				}
				b.StartTimer()
				c := openProject(b, p, mode, cache)
				b.StopTimer()
				c.Close()
				b.StartTimer()
			}
		})
	}
}

// TestIDsProblem: the completion check rejects wrong, missing, predicted-when-
// packaged and stale items (so the benchmark cannot time a wrong answer).
func TestIDsProblem(t *testing.T) {
	p := &Project{Resources: 3}
	good := []item{{"DefaultRole", "AWS::IAM::Role"}, {"Fn000", "AWS::Serverless::Function"}, {"Fn001", "AWS::Serverless::Function"}}
	if msg := idsProblem(p, good, false); msg != "" {
		t.Fatalf("the template's IDs were rejected: %s", msg)
	}
	predicted := []item{{"DefaultRole", "AWS::IAM::Role (predicted)"}, {"Fn000", "AWS::Serverless::Function (predicted)"}, {"Fn001", "AWS::Serverless::Function (predicted)"}}
	if msg := idsProblem(p, predicted, true); msg != "" {
		t.Fatalf("predicted IDs were rejected: %s", msg)
	}
	for name, items := range map[string][]item{
		"missing":   good[:2],
		"extra":     append(slices.Clone(good), item{"Fn002", "AWS::Serverless::Function"}),
		"predicted": predicted,
		"stale":     {good[0], good[1], {"Fn001", "AWS::Serverless::Function (stale template)"}},
	} {
		if idsProblem(p, items, false) == "" {
			t.Errorf("%s items were accepted as the packaged template's IDs", name)
		}
	}
	if idsProblem(p, good, true) == "" {
		t.Error("packaged IDs were accepted as predicted")
	}
}
