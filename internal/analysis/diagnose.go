package analysis

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sort"

	"github.com/chalice-lsp/chalice-lsp/internal/cdkcode"
	"github.com/chalice-lsp/chalice-lsp/internal/logicalid"
	"github.com/chalice-lsp/chalice-lsp/internal/workspace"
	"github.com/chalice-lsp/chalice-lsp/packager/predict"
	"github.com/chalice-lsp/chalice-lsp/schema"
	"github.com/chalice-lsp/chalice-lsp/schema/appmodel"
	"github.com/chalice-lsp/chalice-lsp/schema/diag"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
	"github.com/chalice-lsp/chalice-lsp/schema/rules"
)

// Diagnostic codes of CDK code.
const (
	CodeUnknownLogicalID    = "unknown-logical-id"
	CodeWrongResourceKind   = "wrong-resource-kind"
	CodeIgnoredLambdaFns    = "stage-config-lambda-functions-ignored"
	CodeSourceDirNotProject = "source-dir-not-a-project"
	CodeSourceDirUnresolved = "source-dir-unresolved"
)

// MaxAnalyzedSize is the largest file analysed (bigger files get no findings).
const MaxAnalyzedSize = 4 << 20

// Findings are the analysis findings of one file, by source. Offsets are byte
// offsets into the file's content in the snapshot.
type Findings struct {
	// Config: config.json syntax, schema and rules; for a project's Python
	// files, the rule findings located there (duplicate logical IDs, S3 events).
	Config []diag.Diagnostic
	// CDK: stage_config literals, source_dir, logical-ID call sites.
	CDK []diag.Diagnostic
	// Package: the snapshot's packaging failures that point into the file
	// (source chalice-package; PackagingFailures). Filled by Diagnose and
	// DiagnoseAll, not by Analyze: placing failures parses config files, and the
	// server publishes them once per packaging run, not per keystroke.
	Package []diag.Diagnostic

	// ConfigRoot is the parsed config.json (config.json only); CDKFile the CDK
	// analysis (nil when the file has no construct or ID call).
	ConfigRoot *jsonpos.Node
	CDKFile    *CDKFile
}

// All merges the sources the way the server publishes them: ordered by start
// offset, CDK findings first among equal starts.
func (f Findings) All() []diag.Diagnostic {
	out := append(append(append([]diag.Diagnostic{}, f.CDK...), f.Config...), f.Package...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// Diagnose returns the findings for file in s (the file's open content, else its
// disk content): exactly what the language server publishes for it, packaging
// failures recorded in s included. A pure function of s: it never registers
// projects or changes s.
func Diagnose(s *Snapshot, file string) []diag.Diagnostic {
	return diagnose(s, file, PackagingFailures(s))
}

// diagnose is Diagnose with the snapshot's packaging failures already placed.
func diagnose(s *Snapshot, file string, failures map[string][]diag.Diagnostic) []diag.Diagnostic {
	f := Analyze(s, file)
	if src, err := s.ReadFile(file); err == nil && analyzable(src) {
		f.Package = failures[file]
	}
	return f.All()
}

// Analyze is Diagnose by source, without the packaging failures (Findings.Package).
func Analyze(s *Snapshot, file string) Findings {
	var f Findings
	src, err := s.ReadFile(file)
	if err != nil || !analyzable(src) {
		return f
	}
	switch Classify(file) {
	case KindConfig:
		root, ds := schema.CheckConfig(src)
		f.ConfigRoot = root
		if p := s.ProjectFor(file); p != nil {
			cfg, _ := s.configRules(p, root)
			ds = append(ds, cfg...)
			diag.Sort(ds)
		}
		f.Config = ds
	case KindPython, KindGo:
		if Classify(file) == KindPython {
			if p := s.projectContaining(file); p != nil {
				_, py := s.configRules(p, s.Config(p))
				f.Config = py[file]
			}
		}
		if cf := s.CDK(file); cf != nil {
			f.CDKFile = cf
			f.CDK = s.cdkDiagnostics(cf)
		}
	}
	return f
}

// DiagnoseAll returns Diagnose for each file with findings among the snapshot's
// open documents, its projects' config.json and the Python files the rules
// report on, and the Python and Go files of its CDK apps that contain a Chalice
// construct call (cdkcode.ScanTree). Keys are file paths.
func DiagnoseAll(s *Snapshot) map[string][]diag.Diagnostic {
	files := map[string]bool{}
	for p := range s.docs {
		files[p] = true
	}
	for _, p := range s.projects {
		files[p.ConfigPath] = true
		_, py := s.configRules(p, s.Config(p)) // the Python files with rule findings
		for f := range py {
			files[f] = true
		}
	}
	for _, a := range s.cdkApps {
		for _, f := range cdkcode.ScanTree(a.Dir, s.readThrough) {
			files[f.File] = true
		}
	}
	failures := PackagingFailures(s)
	for f := range failures {
		files[f] = true
	}
	out := map[string][]diag.Diagnostic{}
	for f := range files {
		if ds := diagnose(s, f, failures); len(ds) > 0 {
			out[f] = ds
		}
	}
	return out
}

func analyzable(src []byte) bool {
	if len(src) > MaxAnalyzedSize {
		return false
	}
	head := src
	if len(head) > 8192 {
		head = head[:8192]
	}
	return bytes.IndexByte(head, 0) < 0
}

// configRules runs the semantic rules (schema/rules) on a config.json tree and
// returns the findings for config.json and for the project's Python files.
func (s *Snapshot) configRules(p *workspace.Project, root *jsonpos.Node) ([]diag.Diagnostic, map[string][]diag.Diagnostic) {
	app, _ := s.App(p) // nil app: rules needing handlers are skipped
	res := rules.Check(root, app, rules.Options{ProjectDir: p.Dir, Packaged: s.IsPackaged(p)})
	return res.Config, res.App
}

// OverlayRules runs the rules for a CDK construct's stage_config overlay and
// returns the findings located in the overlay's source file. The construct's
// flavour decides how the overlay applies (t.Overlay.Mode).
func (s *Snapshot) OverlayRules(t Target) []diag.Diagnostic {
	app, _ := s.App(t.Project)
	res := rules.Check(s.Config(t.Project), app, rules.Options{Stages: []string{t.Stage}, User: t.Overlay.Node, UserMode: t.Overlay.Mode, ProjectDir: t.Project.Dir, Packaged: true})
	return res.Overlay
}

// cdkDiagnostics checks the stage_config literals and logical-ID call sites.
func (s *Snapshot) cdkDiagnostics(f *CDKFile) []diag.Diagnostic {
	var ds []diag.Diagnostic
	for _, cc := range f.Constructs {
		c := cc.C
		if cc.Target.Project == nil && cc.Note != "" {
			sev, code := diag.Warning, CodeSourceDirNotProject
			start, end := c.SourceDirStart, c.SourceDirEnd
			if cc.Dir == "" {
				sev, code = diag.Information, CodeSourceDirUnresolved
			}
			if start == end {
				start, end = c.CallStart, c.CallEnd
			}
			ds = append(ds, diag.Diagnostic{Start: start, End: end, Severity: sev, Code: code, Message: cc.Note})
		}
		if c.StageConfig == nil {
			continue
		}
		ds = append(ds, schema.Validate(c.StageConfig, schema.StageConfig)...)
		if cc.Target.Project != nil {
			ds = append(ds, s.OverlayRules(cc.Target)...)
		}
		if !c.Flavour.HonoursLambdaFunctions() && c.StageConfig.Kind == jsonpos.Object {
			if m := c.StageConfig.Member("lambda_functions"); m != nil {
				ds = append(ds, diag.Diagnostic{Start: m.KeyStart, End: m.KeyEnd, Severity: diag.Warning, Code: CodeIgnoredLambdaFns,
					Message: "chalice.cdk.Chalice ignores lambda_functions inside stage_config (aws/chalice#1998): these per-function settings never reach the template. Put them in .chalice/config.json under stages.<stage>.lambda_functions, or use top-level keys in stage_config."})
			}
		}
	}
	for i := range f.File.IDRefs {
		ref := &f.File.IDRefs[i]
		if !ref.Quoted || !ref.Terminated || ref.Text == "" {
			continue
		}
		t, ok := s.TargetForRef(f, ref)
		if !ok {
			continue
		}
		ix := s.IDIndex(t)
		if ix.Len() == 0 {
			continue
		}
		want := ToKind(ref.Want)
		where := "predicted from app.py (not packaged yet)"
		sev := diag.Warning
		if ix.Template != nil {
			where = "in the packaged template"
			if !ix.Stale {
				sev = diag.Error
			} else {
				// A stale template must not pass as fresh: until the next packaging
				// result confirms it, a missing ID may be one the edit just added
				// under a name prediction does not know (issue #13).
				where += " (stale: inputs changed since packaging)"
				sev = diag.Hint
			}
		}
		e := ix.Lookup(ref.Text)
		if e == nil && s.MayExist(t, ix, ref.Text) {
			continue
		}
		switch {
		case e == nil:
			sugg := ix.Suggest(ref.Text, want)
			msg := fmt.Sprintf("%q is not a logical ID of %s (stage %s), %s", ref.Text, filepath.Base(t.Project.Dir), t.Stage, where)
			if len(sugg) > 0 {
				msg += fmt.Sprintf("; did you mean %q?", sugg[0])
			}
			if ix.Template != nil {
				msg += " CDK fails the synth with ResourceNotFoundInTemplate."
			}
			ds = append(ds, diag.Diagnostic{Start: ref.Start, End: ref.End, Severity: sev, Code: CodeUnknownLogicalID, Message: msg, Suggestions: sugg})
		case !e.Matches(want):
			sugg := ix.Suggest(ref.Text, want)
			ds = append(ds, diag.Diagnostic{Start: ref.Start, End: ref.End, Severity: sev, Code: CodeWrongResourceKind, Suggestions: sugg,
				Message: fmt.Sprintf("%s needs %s, but %q is a %s", ref.Method, KindNoun(want), ref.Text, e.Type)})
		}
	}
	diag.Sort(ds)
	return ds
}

// MayExist reports whether an ID missing from ix may still exist: the
// construct's stage_config is only partly known and a key could create the ID,
// or (without a packaged template) the app's handler set cannot be known.
func (s *Snapshot) MayExist(t Target, ix *logicalid.Index, id string) bool {
	fns := s.Functions(t.Project)
	if t.Partial && predict.ConfigCanCreate(id, append(fns, appmodel.APIHandlerName)) {
		return true
	}
	return ix.Template == nil && s.FunctionsUnknown(t.Project) != ""
}

// ToKind maps a call site's wanted kind to a logical-ID kind.
func ToKind(k cdkcode.IDKind) logicalid.Kind {
	switch k {
	case cdkcode.Role:
		return logicalid.Role
	case cdkcode.Function:
		return logicalid.Function
	}
	return logicalid.Any
}

// KindNoun names a logical-ID kind in messages.
func KindNoun(k logicalid.Kind) string {
	switch k {
	case logicalid.Role:
		return "an AWS::IAM::Role"
	case logicalid.Function:
		return "an AWS::Serverless::Function"
	}
	return "a resource"
}
