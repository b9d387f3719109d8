package realworld

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/chalice-lsp/chalice-lsp/lsp/lsptest"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

func TestMain(m *testing.M) {
	code := m.Run()
	lsptest.RemoveBinary()
	os.Exit(code)
}

// corpus is what every test here needs: the manifest, the verdicts and the
// corpus directory (the test is skipped when there is no corpus).
type corpus struct {
	dir      string
	manifest Manifest
	verdicts Verdicts
}

func load(t *testing.T) corpus {
	t.Helper()
	root := testenv.RepoRoot(t)
	m, err := LoadManifest(filepath.Join(root, "testdata", "realworld", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	v, err := LoadVerdicts(filepath.Join(root, "testdata", "realworld", "verdicts.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Validate(m); err != nil {
		t.Fatal(err)
	}
	dir, why := CorpusDir()
	if dir == "" {
		t.Skip(why)
	}
	// A corpus that lacks a file of the manifest would pass vacuously where the
	// file held findings.
	var lacking []string
	for _, p := range m.Projects {
		for _, path := range p.Paths {
			if _, err := os.Stat(filepath.Join(dir, p.Folder(), filepath.FromSlash(path))); err != nil {
				lacking = append(lacking, p.Folder()+"/"+path)
			}
		}
	}
	if len(lacking) > 0 {
		if len(lacking) > 20 {
			lacking = append(lacking[:20], fmt.Sprintf("... and %d more", len(lacking)-20))
		}
		t.Fatalf("the corpus at %s lacks files that testdata/realworld/manifest.json lists (rebuild it from the repositories and commits there):\n  %s",
			dir, strings.Join(lacking, "\n  "))
	}
	return corpus{dir: dir, manifest: m, verdicts: v}
}

// checkOutput is `chalice-lsp check --format json`'s output.
type checkOutput struct {
	Diagnostics []struct {
		File  string `json:"file"`
		Range struct {
			Start struct {
				Line int `json:"line"`
			} `json:"start"`
		} `json:"range"`
		Severity string `json:"severity"`
		Code     string `json:"code"`
		Message  string `json:"message"`
	} `json:"diagnostics"`
}

// runCheck runs the built `chalice-lsp check` on one project directory of p,
// for all stages (stage "") or one, from the repository's corpus folder so that
// reported paths are relative to the repository root.
func runCheck(t *testing.T, bin, repoDir string, p Project, dir, stage string) []Finding {
	t.Helper()
	args := []string{"check", "--format", "json"}
	if stage != "" {
		args = append(args, "--stage", stage)
	}
	cmd := exec.Command(bin, append(args, "--", dir)...)
	cmd.Dir = repoDir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() != 1) {
		t.Fatalf("chalice-lsp %s in %s: %v\n%s", strings.Join(cmd.Args[1:], " "), repoDir, err, stderr.String())
	}
	var out checkOutput
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("chalice-lsp check output for %s/%s: %v\n%s", p.Repository, dir, err, stdout.String())
	}
	var fs []Finding
	for _, d := range out.Diagnostics {
		file := d.File
		if filepath.IsAbs(file) {
			rel, err := filepath.Rel(repoDir, file)
			if err != nil {
				t.Fatal(err)
			}
			file = rel
		}
		fs = append(fs, Finding{Project: p.Repository, File: filepath.ToSlash(file), Line: d.Range.Start.Line + 1,
			Code: d.Code, Severity: d.Severity, Message: d.Message})
	}
	return fs
}

// serverFindings opens files of p in a language server whose workspace is the
// repository (untrusted: nothing is packaged), as an editor would, and pulls
// their diagnostics: each CDK stack, and each project's config.json and app.py.
func serverFindings(t *testing.T, repoDir string, p Project) []Finding {
	t.Helper()
	files := append([]string(nil), p.CDKFiles...)
	for _, d := range p.Dirs {
		for _, f := range []string{".chalice/config.json", "app.py"} {
			rel := filepath.ToSlash(filepath.Join(d.Path, f))
			if _, err := os.Stat(filepath.Join(repoDir, filepath.FromSlash(rel))); err == nil {
				files = append(files, rel)
			}
		}
	}
	return pullFindings(t, repoDir, p, files)
}

// cdkFindings pulls the server's diagnostics for p's CDK stacks only.
func cdkFindings(t *testing.T, repoDir string, p Project) []Finding {
	t.Helper()
	return pullFindings(t, repoDir, p, p.CDKFiles)
}

func pullFindings(t *testing.T, repoDir string, p Project, files []string) []Finding {
	t.Helper()
	if len(files) == 0 {
		return nil
	}
	s := lsptest.Start(t, lsptest.Config{Folders: []string{repoDir}, PullDiagnostics: true})
	s.Initialize()
	defer s.Shutdown()
	var fs []Finding
	for _, rel := range files {
		path := filepath.Join(repoDir, filepath.FromSlash(rel))
		s.Open(path)
		rep, err := s.Server.Diagnostic(t.Context(), &protocol.DocumentDiagnosticParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(path)}})
		if err != nil {
			t.Fatalf("textDocument/diagnostic %s: %v", path, err)
		}
		b, err := json.Marshal(rep)
		if err != nil {
			t.Fatal(err)
		}
		var full struct {
			Items []struct {
				Range struct {
					Start struct {
						Line int `json:"line"`
					} `json:"start"`
				} `json:"range"`
				Severity int    `json:"severity"`
				Code     any    `json:"code"`
				Message  string `json:"message"`
			} `json:"items"`
		}
		if err := json.Unmarshal(b, &full); err != nil {
			t.Fatal(err)
		}
		for _, d := range full.Items {
			sev := "information"
			switch protocol.DiagnosticSeverity(d.Severity) {
			case protocol.DiagnosticSeverityError:
				sev = "error"
			case protocol.DiagnosticSeverityWarning:
				sev = "warning"
			}
			fs = append(fs, Finding{Project: p.Repository, File: rel, Line: d.Range.Start.Line + 1,
				Code: fmt.Sprint(d.Code), Severity: sev, Message: d.Message})
		}
	}
	return fs
}

// TestFieldCorpus runs `chalice-lsp check` on every project directory of the
// corpus (all stages, then each stage) and the language server on every CDK
// stack, config.json and app.py, and compares every error and warning with the
// verdicts: it fails on a false alarm, on a finding nobody judged, and on a
// judged true finding that is missing.
func TestFieldCorpus(t *testing.T) {
	c := load(t)
	bin := lsptest.Binary(t)
	var (
		mu       sync.Mutex
		findings []Finding
	)
	projects := map[string]bool{}
	for _, p := range c.manifest.Projects {
		projects[p.Repository] = true
	}
	t.Run("projects", func(t *testing.T) {
		for _, p := range c.manifest.Projects {
			t.Run(p.Folder(), func(t *testing.T) {
				t.Parallel()
				repoDir := filepath.Join(c.dir, p.Folder())
				var fs []Finding
				for _, d := range p.Dirs {
					fs = append(fs, runCheck(t, bin, repoDir, p, d.Path, "")...)
					for _, st := range d.Stages {
						fs = append(fs, runCheck(t, bin, repoDir, p, d.Path, st)...)
					}
				}
				fs = append(fs, serverFindings(t, repoDir, p)...)
				mu.Lock()
				findings = append(findings, fs...)
				mu.Unlock()
			})
		}
	})
	if t.Failed() {
		return
	}
	r := Compare(findings, c.verdicts.Verdicts, projects)
	if out := os.Getenv("CHALICE_LSP_REALWORLD_FINDINGS"); out != "" {
		// Every error and warning, for judging new findings (make realworld-findings).
		all := append(append(append([]Finding(nil), r.Confirmed...), r.FalseAlarms...), r.Unjudged...)
		sortFindings(all)
		b, err := json.MarshalIndent(all, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(out, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var b strings.Builder
	section := func(title string, lines []string) {
		if len(lines) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n%s (%d):\n  %s\n", title, len(lines), strings.Join(lines, "\n  "))
	}
	section("false alarms (judged false-alarm in testdata/realworld/verdicts.json; see the reason there)", strs(r.FalseAlarms))
	section("findings nobody judged (judge each against Chalice's source and add it to verdicts.json)", strs(r.Unjudged))
	section("judged true findings that are not reported", strs(r.Missing))
	if !r.OK() {
		t.Errorf("the field corpus does not match the verdicts:%s", b.String())
	}
	if len(r.Fixed) > 0 {
		t.Logf("%d findings judged false alarms are no longer reported", len(r.Fixed))
	}
	dirs, stages, cdk := 0, 0, 0
	for _, p := range c.manifest.Projects {
		dirs += len(p.Dirs)
		cdk += len(p.CDKFiles)
		for _, d := range p.Dirs {
			stages += len(d.Stages)
		}
	}
	t.Logf("realworld: %d projects, %d Chalice project dirs, %d stages, %d CDK stacks; %d errors/warnings reported: %d true findings, %d false alarms, %d unjudged; %d true findings missing",
		len(c.manifest.Projects), dirs, stages, cdk, len(r.Confirmed)+len(r.FalseAlarms)+len(r.Unjudged), len(r.Confirmed), len(r.FalseAlarms), len(r.Unjudged), len(r.Missing))
}

func strs[T fmt.Stringer](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = x.String()
	}
	sort.Strings(out)
	return out
}
