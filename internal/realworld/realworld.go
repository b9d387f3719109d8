// Package realworld judges the product against a field corpus: public Chalice
// projects whose every finding was judged by hand against Chalice 1.33's source.
//
// The corpus itself is not in this repository. Its files come from public
// repositories, and the workplace's rule is that fetched content is never
// committed; only what we wrote is: testdata/realworld/manifest.json (where each
// project comes from: repository, commit, licence, the paths used) and
// testdata/realworld/verdicts.json (each finding and its verdict). The tests read
// the corpus from $CHALICE_LSP_REALWORLD, else /work/corpus when it exists, and
// skip with a message otherwise.
package realworld

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// DefaultCorpusDir is where the corpus lives on the project's machines.
const DefaultCorpusDir = "/work/corpus"

// CorpusEnv names the variable that points at the corpus directory.
const CorpusEnv = "CHALICE_LSP_REALWORLD"

// Manifest lists the corpus projects (testdata/realworld/manifest.json).
type Manifest struct {
	// Chalice is the Chalice version the verdicts were judged against.
	Chalice  string    `json:"chalice"`
	Projects []Project `json:"projects"`
}

// Project is one public repository in the corpus.
type Project struct {
	Repository string `json:"repository"`
	Commit     string `json:"commit"`
	// Licence is the SPDX identifier of the repository's licence, read from
	// LicenceFile; only licences that allow copying are admitted.
	Licence     string `json:"licence"`
	LicenceFile string `json:"licence_file"`
	// Dirs are the Chalice project directories ("." for the repository root).
	Dirs []Dir `json:"project_dirs"`
	// CDKFiles are the CDK stacks that use chalice.cdk or cdk_chalice.
	CDKFiles []string `json:"cdk_files,omitempty"`
	// Paths are every file taken from the repository.
	Paths []string `json:"paths"`
	// Shapes name what makes the project interesting (app factory, blueprints,
	// S3 events, tokens, nulls, ...), for people reading the manifest.
	Shapes []string `json:"shapes,omitempty"`
}

// Dir is one Chalice project directory and its stages.
type Dir struct {
	Path   string   `json:"path"`
	Stages []string `json:"stages"`
	// Packaging records, per stage, "packaged" or why real `chalice package`
	// fails in the test environment ("fails: ModuleNotFoundError: No module named 'dcplib'").
	Packaging map[string]string `json:"packaging,omitempty"`
	// Functions are the Chalice function names the app defines (api_handler for
	// routes, the names of lambda functions, schedules, event handlers), judged
	// by reading its code, for apps whose app object is not a plain
	// `app = Chalice(...)` in app.py; FunctionsReason says how they were judged.
	// Nil when not judged.
	Functions       []string `json:"functions,omitempty"`
	FunctionsReason string   `json:"functions_reason,omitempty"`
}

// Folder is the corpus directory of a repository: owner__name.
func (p Project) Folder() string { return strings.ReplaceAll(p.Repository, "/", "__") }

// Verdicts holds the judged findings (testdata/realworld/verdicts.json).
type Verdicts struct {
	Chalice  string    `json:"chalice"`
	Tool     string    `json:"tool"`
	Verdicts []Verdict `json:"verdicts"`
	// Noticed are true problems found by reading the projects that no rule of
	// the product covers yet. They are not required (a new rule would first
	// report them as unjudged findings, to be judged into Verdicts).
	Noticed []Verdict `json:"noticed,omitempty"`
}

// The two verdicts.
const (
	True       = "true"
	FalseAlarm = "false-alarm"
)

// Verdict is one judged finding. A finding matches it by project, file, line
// and code; the severity is recorded, but a true finding may be an error or a
// warning (the severity policy is the product's to choose, not the corpus's).
type Verdict struct {
	Project  string `json:"project"`
	File     string `json:"file"` // relative to the repository root
	Line     int    `json:"line"` // 1-based
	Key      string `json:"key,omitempty"`
	Code     string `json:"code"`
	Severity string `json:"severity"`
	Verdict  string `json:"verdict"`
	Reason   string `json:"reason"`
	// Missed marks a true finding the product did not report when it was judged
	// (found by reading the project); the test requires it all the same.
	Missed bool `json:"missed,omitempty"`
}

// Finding is one error or warning the product reported on a corpus file.
type Finding struct {
	Project  string
	File     string // relative to the repository root, slash-separated
	Line     int    // 1-based
	Code     string
	Severity string
	Message  string
}

func (f Finding) key() string {
	return fmt.Sprintf("%s\x00%s\x00%d\x00%s", f.Project, f.File, f.Line, f.Code)
}
func (v Verdict) key() string {
	return fmt.Sprintf("%s\x00%s\x00%d\x00%s", v.Project, v.File, v.Line, v.Code)
}

// String renders a finding as file:line: severity [code] message.
func (f Finding) String() string {
	return fmt.Sprintf("%s %s:%d: %s [%s] %s", f.Project, f.File, f.Line, f.Severity, f.Code, f.Message)
}

// String renders a verdict for failure messages.
func (v Verdict) String() string {
	return fmt.Sprintf("%s %s:%d: [%s] (%s) %s", v.Project, v.File, v.Line, v.Code, v.Verdict, v.Reason)
}

// Report is the comparison of what the product reported with the verdicts.
type Report struct {
	// Confirmed are reported findings judged true.
	Confirmed []Finding
	// FalseAlarms are reported findings judged false alarms.
	FalseAlarms []Finding
	// Unjudged are reported findings with no verdict.
	Unjudged []Finding
	// Missing are true verdicts the product did not report.
	Missing []Verdict
	// Fixed are false-alarm verdicts the product no longer reports.
	Fixed []Verdict
}

// OK says whether the product matches the verdicts exactly: every error and
// warning is a judged true finding, and no judged true finding is missing.
func (r Report) OK() bool {
	return len(r.FalseAlarms) == 0 && len(r.Unjudged) == 0 && len(r.Missing) == 0
}

// Compare matches findings (errors and warnings only) with verdicts. Only
// verdicts of the given projects take part, so a run over part of the corpus
// does not report the rest as missing.
func Compare(findings []Finding, verdicts []Verdict, projects map[string]bool) Report {
	byKey := map[string]Verdict{}
	for _, v := range verdicts {
		if projects == nil || projects[v.Project] {
			byKey[v.key()] = v
		}
	}
	var r Report
	seen := map[string]bool{}
	for _, f := range findings {
		if f.Severity != "error" && f.Severity != "warning" {
			continue
		}
		k := f.key()
		if seen[k] {
			continue // the same finding from two runs (all stages, one stage)
		}
		seen[k] = true
		v, ok := byKey[k]
		switch {
		case !ok:
			r.Unjudged = append(r.Unjudged, f)
		case v.Verdict == True:
			r.Confirmed = append(r.Confirmed, f)
		default:
			r.FalseAlarms = append(r.FalseAlarms, f)
		}
	}
	for k, v := range byKey {
		if seen[k] {
			continue
		}
		if v.Verdict == True {
			r.Missing = append(r.Missing, v)
		} else {
			r.Fixed = append(r.Fixed, v)
		}
	}
	sortFindings(r.Confirmed)
	sortFindings(r.FalseAlarms)
	sortFindings(r.Unjudged)
	sortVerdicts(r.Missing)
	sortVerdicts(r.Fixed)
	return r
}

func sortFindings(fs []Finding) {
	sort.Slice(fs, func(i, j int) bool { return fs[i].key() < fs[j].key() })
}

func sortVerdicts(vs []Verdict) {
	sort.Slice(vs, func(i, j int) bool { return vs[i].key() < vs[j].key() })
}

// Validate checks the verdicts file itself: known verdicts, a reason for each,
// no two verdicts for the same finding, and projects that the manifest lists.
func (vs Verdicts) Validate(m Manifest) error {
	known := map[string]bool{}
	paths := map[string]bool{}
	for _, p := range m.Projects {
		known[p.Repository] = true
		for _, f := range p.Paths {
			paths[p.Repository+"\x00"+f] = true
		}
	}
	var errs []string
	seen := map[string]bool{}
	for _, v := range vs.Verdicts {
		switch {
		case known[v.Project] && !paths[v.Project+"\x00"+v.File]:
			errs = append(errs, fmt.Sprintf("%s: file not among the project's paths in the manifest", v))
		case v.Verdict != True && v.Verdict != FalseAlarm:
			errs = append(errs, fmt.Sprintf("%s: verdict must be %q or %q", v, True, FalseAlarm))
		case strings.TrimSpace(v.Reason) == "":
			errs = append(errs, fmt.Sprintf("%s: no reason", v))
		case !known[v.Project]:
			errs = append(errs, fmt.Sprintf("%s: project not in the manifest", v))
		case seen[v.key()]:
			errs = append(errs, fmt.Sprintf("%s: judged twice", v))
		}
		seen[v.key()] = true
	}
	for _, v := range vs.Noticed {
		if strings.TrimSpace(v.Reason) == "" || !known[v.Project] {
			errs = append(errs, fmt.Sprintf("%s: a noticed problem needs a reason and a project in the manifest", v))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("verdicts.json:\n  %s", strings.Join(errs, "\n  "))
	}
	return nil
}

// AllowedLicences are the licences whose projects may be in the corpus.
var AllowedLicences = map[string]bool{
	"MIT": true, "MIT-0": true, "Apache-2.0": true, "BSD-2-Clause": true, "BSD-3-Clause": true, "CC0-1.0": true,
}

// Validate checks the manifest: admitted licences, and complete provenance.
func (m Manifest) Validate() error {
	var errs []string
	seen := map[string]bool{}
	for _, p := range m.Projects {
		switch {
		case !AllowedLicences[p.Licence]:
			errs = append(errs, fmt.Sprintf("%s: licence %q is not one the corpus admits", p.Repository, p.Licence))
		case len(p.Commit) != 40:
			errs = append(errs, fmt.Sprintf("%s: commit %q is not a full commit id", p.Repository, p.Commit))
		case p.LicenceFile == "" || len(p.Paths) == 0:
			errs = append(errs, fmt.Sprintf("%s: licence file or paths missing", p.Repository))
		case len(p.Dirs) == 0:
			errs = append(errs, fmt.Sprintf("%s: no Chalice project directory", p.Repository))
		case seen[p.Repository]:
			errs = append(errs, fmt.Sprintf("%s: listed twice", p.Repository))
		}
		seen[p.Repository] = true
	}
	if len(errs) > 0 {
		return fmt.Errorf("manifest.json:\n  %s", strings.Join(errs, "\n  "))
	}
	return nil
}

// LoadManifest reads manifest.json.
func LoadManifest(path string) (Manifest, error) {
	var m Manifest
	return m, readJSON(path, &m)
}

// LoadVerdicts reads verdicts.json.
func LoadVerdicts(path string) (Verdicts, error) {
	var v Verdicts
	return v, readJSON(path, &v)
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	return nil
}

// CorpusDir returns the corpus directory and "" or, when there is none, "" and
// the reason (for t.Skip).
func CorpusDir() (dir, why string) {
	if d := os.Getenv(CorpusEnv); d != "" {
		if st, err := os.Stat(d); err != nil || !st.IsDir() {
			return "", fmt.Sprintf("%s=%s is not a directory", CorpusEnv, d)
		}
		abs, _ := filepath.Abs(d)
		return abs, ""
	}
	if st, err := os.Stat(DefaultCorpusDir); err == nil && st.IsDir() {
		return DefaultCorpusDir, ""
	}
	return "", fmt.Sprintf("no field corpus: set %s to a corpus directory (testdata/realworld/manifest.json lists each project's repository, commit and paths; fetched content is kept out of the repository), or put it at %s", CorpusEnv, DefaultCorpusDir)
}
