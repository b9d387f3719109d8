package realworld

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/chalice-lsp/chalice-lsp/packager"
	"github.com/chalice-lsp/chalice-lsp/packager/predict"
	"github.com/chalice-lsp/chalice-lsp/schema/appmodel"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// Packaged is the packaging outcome recorded in the manifest for a stage that
// real `chalice package` packages in the test environment.
const Packaged = "packaged"

// workCopy matches the path of the packager's private copy of a project.
var workCopy = regexp.MustCompile(`/\S*/work/[0-9a-f]+-\d+/[^/\s'"]*`)

// pyException finds the exception line of a Python traceback.
var pyException = regexp.MustCompile(`(?m)^(?:[\w.]+\.)?(\w+(?:Error|Exception|Exit)\b.*)$`)

// outcome summarises a packaging run as the manifest records it: "packaged", or
// "fails: <class>: <the exception>" (the reason is informative; the test compares
// only whether the stage packages).
func outcome(err error) string {
	if err == nil {
		return Packaged
	}
	var pe *packager.Error
	if !errors.As(err, &pe) {
		return "fails: " + firstLine(err.Error())
	}
	reason := firstLine(pe.Message)
	if m := pyException.FindAllStringSubmatch(string(pe.Output), -1); len(m) > 0 {
		reason = m[len(m)-1][1]
	}
	// The packager's private copy has a random path; the manifest keeps the rest.
	reason = workCopy.ReplaceAllString(reason, "<project copy>")
	if len(reason) > 160 {
		reason = reason[:160] + "…"
	}
	return fmt.Sprintf("fails: %s: %s", pe.Class, reason)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// TestFieldCorpusPrediction packages every project directory and stage of the
// corpus with real `chalice package` (through our packager, with the test
// virtualenv's Python, which lacks most projects' dependencies), and wherever
// packaging works, requires the predicted logical IDs and types to equal the
// packaged ones. Whether each stage packages is recorded in the manifest, so a
// stage that stops packaging (or starts to) is noticed.
func TestFieldCorpusPrediction(t *testing.T) {
	c := load(t)
	python := testenv.Python(t)
	testenv.Chalice(t)
	pk := packager.New(packager.Options{
		CacheDir: t.TempDir(),
		Python:   python,
		Timeout:  2 * time.Minute,
		Environ:  append(os.Environ(), "AWS_DEFAULT_REGION=us-east-1"),
	})
	type result struct {
		key, outcome string
		compared     bool
	}
	var (
		mu      sync.Mutex
		results []result
	)
	t.Run("projects", func(t *testing.T) {
		for _, p := range c.manifest.Projects {
			for _, d := range p.Dirs {
				for _, stage := range d.Stages {
					name := p.Folder() + "/" + d.Path + "/" + stage
					t.Run(name, func(t *testing.T) {
						t.Parallel()
						dir := filepath.Join(c.dir, p.Folder(), filepath.FromSlash(d.Path))
						ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
						defer cancel()
						res, err := pk.Package(ctx, packager.Request{SourceDir: dir, Stage: stage})
						got := outcome(err)
						mu.Lock()
						results = append(results, result{key: name, outcome: got, compared: err == nil})
						mu.Unlock()
						want := d.Packaging[stage]
						switch {
						case want == "":
							t.Errorf("the manifest records no packaging outcome for stage %q of %s/%s; now: %s", stage, p.Repository, d.Path, got)
						case (want == Packaged) != (err == nil):
							t.Errorf("stage %q of %s/%s: the manifest records %q, now %q", stage, p.Repository, d.Path, want, got)
						}
						if err != nil {
							return
						}
						comparePrediction(t, dir, stage, res)
					})
				}
			}
		}
	})
	if out := os.Getenv("CHALICE_LSP_REALWORLD_PACKAGING"); out != "" {
		// The outcomes, for recording them in the manifest (make realworld-record).
		m := map[string]string{}
		for _, r := range results {
			m[r.key] = r.outcome
		}
		b, _ := json.MarshalIndent(m, "", " ")
		if err := os.WriteFile(out, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var compared []string
	for _, r := range results {
		if r.compared {
			compared = append(compared, r.key)
		}
	}
	sort.Strings(compared)
	t.Logf("realworld: %d of %d project stages package with real chalice here; predicted logical IDs compared on: %s",
		len(compared), len(results), strings.Join(compared, ", "))
}

// comparePrediction checks predicted logical IDs and types against a packaged
// template.
func comparePrediction(t *testing.T, dir, stage string, res *packager.Result) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(dir, ".chalice", "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	root, _ := jsonpos.Parse(src)
	app, err := appmodel.Load(dir)
	if err != nil {
		t.Fatalf("appmodel.Load(%s): %v", dir, err)
	}
	var predicted []string
	for _, r := range predict.Resources(app, root, predict.Options{Stage: stage}) {
		predicted = append(predicted, r.LogicalID+" "+r.Type)
	}
	sort.Strings(predicted)
	var packaged []string
	for _, id := range res.Template.IDs() {
		packaged = append(packaged, id+" "+res.Template.Resource(id).Type)
	}
	sort.Strings(packaged)
	if strings.Join(predicted, "\n") != strings.Join(packaged, "\n") {
		t.Errorf("predicted logical IDs differ from chalice package (stage %s)\npredicted:\n  %s\npackaged:\n  %s",
			stage, strings.Join(predicted, "\n  "), strings.Join(packaged, "\n  "))
	}
}

// TestFieldCorpusFunctions requires the prediction to know the functions of
// apps whose app object is built elsewhere (factories, subclasses, imported
// apps, routes registered by helpers), where the manifest records them as
// judged by reading the code. Real packaging cannot check these apps here:
// they need dependencies the test environment lacks.
func TestFieldCorpusFunctions(t *testing.T) {
	c := load(t)
	judged, right := 0, 0
	for _, p := range c.manifest.Projects {
		for _, d := range p.Dirs {
			if d.Functions == nil {
				continue
			}
			judged++
			t.Run(p.Folder()+"/"+d.Path, func(t *testing.T) {
				dir := filepath.Join(c.dir, p.Folder(), filepath.FromSlash(d.Path))
				src, err := os.ReadFile(filepath.Join(dir, ".chalice", "config.json"))
				if err != nil {
					t.Fatal(err)
				}
				root, _ := jsonpos.Parse(src)
				app, err := appmodel.Load(dir)
				if err != nil {
					t.Fatalf("appmodel.Load(%s): %v", dir, err)
				}
				seen := map[string]bool{}
				var got []string
				for _, r := range predict.Resources(app, root, predict.Options{}) {
					if r.Function != "" && !seen[r.Function] {
						seen[r.Function] = true
						got = append(got, r.Function)
					}
				}
				sort.Strings(got)
				want := append([]string(nil), d.Functions...)
				sort.Strings(want)
				if strings.Join(got, ",") == strings.Join(want, ",") {
					right++
				} else {
					t.Errorf("%s/%s: predicted functions [%s], want [%s] (%s)", p.Repository, d.Path,
						strings.Join(got, ", "), strings.Join(want, ", "), d.FunctionsReason)
				}
			})
		}
	}
	t.Logf("realworld: predicted functions equal the hand-judged ones in %d of %d project dirs whose app is built elsewhere", right, judged)
}
