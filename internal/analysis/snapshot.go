// Package analysis is the analysis core of chalice-lsp, independent of LSP: an
// immutable workspace Snapshot (open documents at one version, the disk state
// read through it, the Chalice projects and CDK apps, the settings and the last
// packaging results) and pure functions from a snapshot to findings.
//
// The language server keeps one current snapshot and replaces it with
// Snapshot.Modify on every event (an edit, a file changed on disk, new settings,
// a finished packaging run); `chalice-lsp check` builds one snapshot from disk.
// Both call Diagnose / DiagnoseAll, so CI reports what the editor reports.
//
// A snapshot never changes once built: Modify returns a new one, carrying over
// what the changes cannot have affected (parsed app models, config trees, CDK
// parses, file contents already read) and saying which files' findings may
// differ (Invalidation). Analysis never registers anything as a side effect, so
// one file's findings do not depend on which file was analysed first.
package analysis

import (
	"bytes"
	"maps"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/chalice-lsp/chalice-lsp/internal/pathutil"
	"github.com/chalice-lsp/chalice-lsp/internal/settings"
	"github.com/chalice-lsp/chalice-lsp/internal/workspace"
	"github.com/chalice-lsp/chalice-lsp/packager"
)

// Document is an open (unsaved) document: its content wins over the disk.
type Document struct {
	Path    string
	Version int32
	Content []byte
}

// Packaging is the last packaging outcome of one Target (see Target.Key).
type Packaging struct {
	Key   string // Target.Key of what was packaged
	Dir   string // project directory
	Stage string
	// CDKPath is the CDK file whose construct call's stage_config was packaged
	// ("" for config.json alone): a config error may point into it.
	CDKPath string
	// Result is the last successful packaging; kept when a later run fails.
	Result *packager.Result
	// Stale is true when inputs changed (or a run failed) after Result was produced.
	Stale bool
	// Err is the last failure (nil after a success).
	Err error
	// At is when Result was produced.
	At time.Time

	// round is the ID of the snapshot that recorded this outcome: the failures
	// a project shows are those of its latest round (PackagingFailures).
	round uint64
}

// ReadFunc reads a file from disk (os.ReadFile, or safefile's bounded reader).
type ReadFunc func(path string) ([]byte, error)

// Snapshot is the workspace at one moment. Safe for concurrent use; its exported
// view never changes. Derived values are computed lazily and memoised.
type Snapshot struct {
	id        uint64
	docs      map[string]*Document
	disk      ReadFunc
	projects  []*workspace.Project // sorted by Dir
	cdkApps   []*workspace.CDKApp  // sorted by Dir
	settings  settings.Settings
	packaging map[string]*Packaging // by Key

	memo *memo
}

// New returns the first snapshot: no open documents, the given projects, CDK
// apps and settings, files read with disk.
func New(disk ReadFunc, projects []*workspace.Project, cdkApps []*workspace.CDKApp, st settings.Settings) *Snapshot {
	s := &Snapshot{docs: map[string]*Document{}, disk: disk, settings: st, packaging: map[string]*Packaging{}, memo: newMemo()}
	s.projects = sortedProjects(projects)
	s.cdkApps = sortedApps(cdkApps)
	return s
}

// FromDisk discovers the projects and CDK apps below each root
// (workspace.Discover) and returns a snapshot of them with settings st.
func FromDisk(disk ReadFunc, st settings.Settings, roots ...string) *Snapshot {
	var ps []*workspace.Project
	var cs []*workspace.CDKApp
	for _, r := range roots {
		p, c := workspace.Discover(filepath.Clean(r))
		ps, cs = append(ps, p...), append(cs, c...)
	}
	return New(disk, ps, cs, st)
}

// ID increases with every Modify.
func (s *Snapshot) ID() uint64 { return s.id }

// Settings are the snapshot's settings.
func (s *Snapshot) Settings() settings.Settings { return s.settings }

// Projects are the Chalice projects of the snapshot, sorted by directory.
func (s *Snapshot) Projects() []*workspace.Project { return slices.Clone(s.projects) }

// CDKApps are the CDK apps of the snapshot, sorted by directory.
func (s *Snapshot) CDKApps() []*workspace.CDKApp { return slices.Clone(s.cdkApps) }

// Document returns the open document at path, or nil.
func (s *Snapshot) Document(path string) *Document { return s.docs[path] }

// Packaging returns the packaging outcome recorded for key, or nil.
func (s *Snapshot) Packaging(key string) *Packaging { return s.packaging[key] }

// LatestPackaging returns the newest successful packaging of the project in dir
// (for stage, or any stage when stage is ""), or nil.
func (s *Snapshot) LatestPackaging(dir, stage string) *Packaging {
	var best *Packaging
	for _, p := range s.packaging {
		if p.Dir != dir || p.Result == nil || stage != "" && p.Stage != stage {
			continue
		}
		if best == nil || p.At.After(best.At) {
			best = p
		}
	}
	return best
}

// ReadFile returns path's content in this snapshot: the open document, else the
// disk as first read through this snapshot (or an ancestor that had read it
// before any change to it).
func (s *Snapshot) ReadFile(path string) ([]byte, error) {
	if d := s.docs[path]; d != nil {
		return d.Content, nil
	}
	return s.memo.read(path, s.disk)
}

// readThrough is ReadFile without keeping the disk content in the memo: for
// scans over whole trees (cdkcode.ScanTree) whose result is memoised instead, so
// a snapshot does not hold every file of a monorepo in memory.
func (s *Snapshot) readThrough(path string) ([]byte, error) {
	if d := s.docs[path]; d != nil {
		return d.Content, nil
	}
	s.memo.mu.Lock()
	r, ok := s.memo.files[path]
	s.memo.mu.Unlock()
	if ok {
		return r.b, r.err
	}
	return s.disk(path)
}

// Changes is one step from a snapshot to the next. Zero fields change nothing.
type Changes struct {
	// Open sets documents (opened or edited; the whole new content).
	Open []*Document
	// Closed removes documents: the disk content counts again.
	Closed []string
	// Disk lists files changed, created or deleted on disk.
	Disk []string
	// Projects / CDKApps, when non-nil, replace the sets (workspace folders
	// changed, a project appeared on disk, a file outside the folders opened).
	Projects []*workspace.Project
	CDKApps  []*workspace.CDKApp
	// Settings, when non-nil, replaces the settings.
	Settings *settings.Settings
	// Packaging records packaging outcomes (a background run finished). A
	// failure (Err set, Result nil) keeps the previous Result of its Key and
	// that Result's At, marked Stale.
	Packaging []*Packaging
}

// Invalidation says what a Modify may have changed.
type Invalidation struct {
	// All: every file's findings may differ (settings, projects or CDK apps
	// changed, or a file every analysis may read).
	All bool
	// Files lists the open documents whose findings may differ (sorted).
	Files []string
}

// Modify returns the snapshot after ch and which findings it may change. s is
// not changed. This is the one place that decides what an event invalidates.
func (s *Snapshot) Modify(ch Changes) (*Snapshot, Invalidation) {
	n := &Snapshot{id: s.id + 1, docs: make(map[string]*Document, len(s.docs)+len(ch.Open)), disk: s.disk,
		projects: s.projects, cdkApps: s.cdkApps, settings: s.settings, packaging: s.packaging}
	for p, d := range s.docs {
		n.docs[p] = d
	}
	var changed []string // file paths whose content may have changed
	var edited []string  // of those, the ones whose content did change (for staleness)
	for _, d := range ch.Open {
		old, err := s.ReadFile(d.Path)
		if err != nil || !bytes.Equal(old, d.Content) {
			edited = append(edited, d.Path)
		}
		n.docs[d.Path] = d
		changed = append(changed, d.Path)
	}
	for _, p := range ch.Closed {
		delete(n.docs, p)
		changed = append(changed, p)
	}
	changed = append(changed, ch.Disk...)
	for _, p := range ch.Disk {
		if n.docs[p] == nil { // an open document's buffer stays what analysis sees
			edited = append(edited, p)
		}
	}
	all := false
	if ch.Projects != nil {
		n.projects = sortedProjects(ch.Projects)
		all = all || !sameProjects(s.projects, n.projects)
	}
	if ch.CDKApps != nil {
		n.cdkApps = sortedApps(ch.CDKApps)
		all = all || !sameApps(s.cdkApps, n.cdkApps)
	}
	if ch.Settings != nil {
		n.settings = *ch.Settings
		all = all || !settingsEqual(s.settings, n.settings)
	}
	var pkgDirs []string
	pkgCopied := false // n.packaging is n's own map
	if len(ch.Packaging) > 0 {
		n.packaging, pkgCopied = maps.Clone(s.packaging), true
		if n.packaging == nil {
			n.packaging = map[string]*Packaging{}
		}
		for _, p := range ch.Packaging {
			cp := *p
			cp.round = n.id
			if prev := s.packaging[p.Key]; cp.Err != nil && cp.Result == nil && prev != nil && prev.Result != nil {
				cp.Result, cp.At, cp.Stale = prev.Result, prev.At, true
			}
			n.packaging[p.Key] = &cp
			pkgDirs = append(pkgDirs, p.Dir)
		}
	}

	// What each changed file can affect.
	affectedProjects := map[string]bool{} // project dirs whose app/config/packaging changed
	appChanged := map[string]bool{}       // project dirs whose app model may differ
	cfgChanged := map[string]bool{}       // project dirs whose config.json changed
	cdkInputs := false                    // something CDK code or its stage depends on
	for _, p := range changed {
		if pr := n.projectContaining(p); pr != nil {
			affectedProjects[pr.Dir] = true
			if p == pr.ConfigPath {
				cfgChanged[pr.Dir] = true
			} else {
				appChanged[pr.Dir] = true // app.py, chalicelib, or anything it may import
			}
		}
		switch k := Classify(p); {
		case filepath.Base(p) == "cdk.json":
			cdkInputs = true
		case k == KindPython || k == KindGo:
			if n.projectContaining(p) == nil {
				cdkInputs = true
			}
		}
	}
	for _, d := range pkgDirs {
		affectedProjects[d] = true
	}
	// Packaged templates of a project whose inputs changed are stale; they stay
	// in use until a new packaging replaces them.
	var staleDirs []string
	for _, p := range edited {
		if pr := n.projectContaining(p); pr != nil && IsProjectInput(pr, p) && !slices.Contains(staleDirs, pr.Dir) {
			staleDirs = append(staleDirs, pr.Dir)
		}
	}
	for _, dir := range staleDirs {
		for k, v := range n.packaging {
			if v.Dir != dir || v.Result == nil || v.Stale || slices.ContainsFunc(ch.Packaging, func(p *Packaging) bool { return p.Key == k }) {
				continue
			}
			if !pkgCopied {
				n.packaging, pkgCopied = maps.Clone(s.packaging), true
			}
			cp := *v
			cp.Stale = true
			n.packaging[k] = &cp
			affectedProjects[dir] = true
		}
	}
	if all {
		for _, p := range n.projects {
			appChanged[p.Dir], cfgChanged[p.Dir] = true, true
		}
	}
	n.memo = s.memo.next(changed, memoDrops{apps: appChanged, configs: cfgChanged, indexes: affectedProjects, cdk: all || cdkInputs})

	inv := Invalidation{All: all}
	if !all {
		set := map[string]bool{}
		for _, p := range changed {
			set[p] = true
		}
		for path := range n.docs {
			k := Classify(path)
			pr := n.projectContaining(path)
			switch {
			case set[path]:
				set[path] = true
			case pr != nil && affectedProjects[pr.Dir] && k != KindOther:
				set[path] = true // the project's config.json and Python files
			case (k == KindPython || k == KindGo) && (len(affectedProjects) > 0 || cdkInputs):
				set[path] = true // CDK code: targets, stages, logical IDs
			case k == KindConfig && cdkInputs:
				set[path] = true // whether a construct packages the project
			}
		}
		for p := range set {
			if n.docs[p] != nil || slices.Contains(ch.Closed, p) {
				inv.Files = append(inv.Files, p)
			}
		}
		sort.Strings(inv.Files)
	}
	return n, inv
}

// projectContaining returns the innermost project of the snapshot containing
// path, or nil.
//
// It looks up path's ancestors (innermost first) in the projects, which are
// sorted by directory: O(depth · log projects). Comparing path with every
// project (pathutil.Within each) made Modify, which asks this for every open
// document, quadratic on open in a monorepo (100 projects: 8 s to open 450 files).
func (s *Snapshot) projectContaining(path string) *workspace.Project {
	for d := filepath.Clean(path); ; d = filepath.Dir(d) {
		if i, ok := slices.BinarySearchFunc(s.projects, d, func(p *workspace.Project, dir string) int {
			return strings.Compare(p.Dir, dir)
		}); ok {
			return s.projects[i]
		}
		if filepath.Dir(d) == d {
			return nil
		}
	}
}

// FileKind classifies a path for the features.
type FileKind int

const (
	KindOther FileKind = iota
	KindConfig
	KindPython
	KindGo
)

// Classify says which features look at path.
func Classify(path string) FileKind {
	switch {
	case filepath.Base(path) == "config.json" && filepath.Base(filepath.Dir(path)) == ".chalice":
		return KindConfig
	case strings.HasSuffix(path, ".py"):
		return KindPython
	case strings.HasSuffix(path, ".go"):
		return KindGo
	}
	return KindOther
}

// IsProjectInput reports whether a change to path can change p's packaging
// output (app.py, requirements.txt, chalicelib/, vendor/, .chalice/ except
// deployments).
func IsProjectInput(p *workspace.Project, path string) bool {
	if path == p.ConfigPath {
		return true
	}
	if !pathutil.Within(path, p.Dir) {
		return false
	}
	rel, _ := filepath.Rel(p.Dir, path)
	sep := string(filepath.Separator)
	switch {
	case rel == "app.py", rel == "requirements.txt":
		return true
	case strings.HasPrefix(rel, "chalicelib"+sep), strings.HasPrefix(rel, "vendor"+sep):
		return true
	case strings.HasPrefix(rel, ".chalice"+sep) && !strings.HasPrefix(rel, filepath.Join(".chalice", "deployments")):
		return true
	}
	return false
}

func sortedProjects(ps []*workspace.Project) []*workspace.Project {
	out := slices.Clone(ps)
	sort.Slice(out, func(i, j int) bool { return out[i].Dir < out[j].Dir })
	return slices.CompactFunc(out, func(a, b *workspace.Project) bool { return a.Dir == b.Dir })
}

func sortedApps(cs []*workspace.CDKApp) []*workspace.CDKApp {
	out := slices.Clone(cs)
	sort.Slice(out, func(i, j int) bool { return out[i].Dir < out[j].Dir })
	return slices.CompactFunc(out, func(a, b *workspace.CDKApp) bool { return a.Dir == b.Dir })
}

func sameProjects(a, b []*workspace.Project) bool {
	return slices.EqualFunc(a, b, func(x, y *workspace.Project) bool { return x.Dir == y.Dir })
}

func sameApps(a, b []*workspace.CDKApp) bool {
	return slices.EqualFunc(a, b, func(x, y *workspace.CDKApp) bool { return x.Dir == y.Dir })
}

func settingsEqual(a, b settings.Settings) bool {
	return a.Stage == b.Stage && a.AutomaticPackaging() == b.AutomaticPackaging() && a.EffectiveStage() == b.EffectiveStage()
}

// memo holds values derived from one snapshot's inputs. Entries are immutable
// once stored; next copies those the changes leave valid.
type memo struct {
	mu      sync.Mutex
	files   map[string]fileRead          // disk reads
	apps    map[string]appResult         // by project dir
	configs map[string]*configResult     // by project dir
	stacks  map[string]map[string]string // cdkcode.StackIDs by entry file
	entries map[string][]string          // CDK app entry files by cdk.json dir
	index   map[string]indexMemo         // logical-ID indexes by Target.Key
	// packaged: which project dirs a construct's source_dir names; nil = not computed.
	packaged *packagedDirs
	// cdk: CDK analyses by file (a nil *CDKFile: not CDK code), shared by the
	// findings and by every request on the snapshot.
	cdk map[string]*CDKFile
}

type fileRead struct {
	b   []byte
	err error
}

func newMemo() *memo {
	return &memo{files: map[string]fileRead{}, apps: map[string]appResult{}, configs: map[string]*configResult{},
		stacks: map[string]map[string]string{}, entries: map[string][]string{}, index: map[string]indexMemo{},
		cdk: map[string]*CDKFile{}}
}

func (m *memo) read(path string, disk ReadFunc) ([]byte, error) {
	m.mu.Lock()
	if r, ok := m.files[path]; ok {
		m.mu.Unlock()
		return r.b, r.err
	}
	m.mu.Unlock()
	b, err := disk(path)
	m.mu.Lock()
	m.files[path] = fileRead{b, err}
	m.mu.Unlock()
	return b, err
}

// memoDrops says which memoised values a change invalidates (by project dir).
type memoDrops struct {
	apps, configs, indexes map[string]bool
	cdk                    bool // stack ids, entries, the construct scan
}

// next returns the memo of the next snapshot: entries of changed files, of
// affected projects and (cdk) of everything CDK-derived are dropped.
func (m *memo) next(changed []string, drop memoDrops) *memo {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := newMemo()
	ch := map[string]bool{}
	for _, p := range changed {
		ch[p] = true
	}
	for p, r := range m.files {
		if !ch[p] {
			n.files[p] = r
		}
	}
	for d, a := range m.apps {
		if !drop.apps[d] {
			n.apps[d] = a
		}
	}
	for d, c := range m.configs {
		if !drop.configs[d] {
			n.configs[d] = c
		}
	}
	for k, v := range m.index {
		if !drop.indexes[v.dir] && !drop.cdk {
			n.index[k] = v
		}
	}
	if !drop.cdk {
		for p, v := range m.stacks {
			n.stacks[p] = v
		}
		for p, v := range m.entries {
			n.entries[p] = v
		}
		n.packaged = m.packaged
		// A construct's project is found by reading config.json and app.py where
		// its source_dir points (perhaps outside the snapshot's projects), so any
		// config.json change drops the CDK analyses too.
		if !slices.ContainsFunc(changed, func(p string) bool { return Classify(p) == KindConfig }) {
			for p, v := range m.cdk {
				if !ch[p] {
					n.cdk[p] = v
				}
			}
		}
	}
	return n
}
