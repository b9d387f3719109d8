package analysis

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/chalice-lsp/chalice-lsp/internal/cdkcode"
	"github.com/chalice-lsp/chalice-lsp/internal/logicalid"
	"github.com/chalice-lsp/chalice-lsp/internal/pathutil"
	"github.com/chalice-lsp/chalice-lsp/internal/workspace"
	"github.com/chalice-lsp/chalice-lsp/packager"
	"github.com/chalice-lsp/chalice-lsp/packager/predict"
	"github.com/chalice-lsp/chalice-lsp/schema/effective"
)

// Target is one project packaged for one stage with one stage config (config.json
// alone, or a CDK construct's stage_config overlay).
type Target struct {
	Project *workspace.Project
	Stage   string
	// StageFrom says where Stage comes from, for hover ("from the stack id ...").
	StageFrom string
	// StageConfig is Overlay's stage_config as plain values (Overlay.Plain), what
	// packager.Request.StageConfig carries, applied as Overlay.Mode says; nil for
	// none.
	StageConfig map[string]any
	// Overlay is the construct's stage_config as the construct applies it.
	Overlay effective.Overlay
	// Partial: the stage_config is only partly known statically.
	Partial bool
	// CDKPath is the CDK file of the construct call ("" for config.json alone):
	// a packaging failure may point into its stage_config (Packaging.CDKPath).
	CDKPath string
}

// Request is the packager request for t: its project and stage, with the
// stage_config applied the way its construct does.
func (t Target) Request() packager.Request {
	return packager.Request{SourceDir: t.Project.Dir, Stage: t.Stage, StageConfig: t.StageConfig, StageConfigMode: t.Overlay.Mode}
}

// Key identifies the target's packaging (Packaging.Key).
func (t Target) Key() string {
	h := sha256.New()
	b, _ := json.Marshal(t.StageConfig)
	h.Write(b)
	return t.Project.Dir + "\x00" + t.Stage + "\x00" + t.Overlay.Mode.String() + "\x00" + hex.EncodeToString(h.Sum(nil))[:16]
}

// CDKFile is a CDK source file and what each construct call in it resolves to.
type CDKFile struct {
	Path       string
	File       *cdkcode.File
	Constructs []Construct
}

// Construct is one construct call with its resolved project.
type Construct struct {
	C      *cdkcode.Construct
	Dir    string // resolved source dir ("" unknown)
	Target Target // Target.Project nil when no project was found
	Note   string // why no project was found
}

// CDK analyses path as CDK code in s; nil when it has no construct call and no
// logical-ID call site (or is not Python/Go).
// Memoised per snapshot: the diagnostics and every request on the snapshot share
// one analysis (a completion does not wait for the file's findings).
func (s *Snapshot) CDK(path string) *CDKFile {
	s.memo.mu.Lock()
	cf, ok := s.memo.cdk[path]
	s.memo.mu.Unlock()
	if ok {
		return cf
	}
	src, err := s.ReadFile(path)
	if err != nil {
		return nil
	}
	cf = s.cdkOf(path, src)
	s.memo.mu.Lock()
	s.memo.cdk[path] = cf
	s.memo.mu.Unlock()
	return cf
}

func (s *Snapshot) cdkOf(path string, src []byte) *CDKFile {
	f := cdkcode.Analyze(path, src)
	if f == nil || len(f.Constructs) == 0 && len(f.IDRefs) == 0 {
		return nil
	}
	cf := &CDKFile{Path: path, File: f}
	appDir := s.CDKAppDirFor(path)
	for i := range f.Constructs {
		c := &f.Constructs[i]
		cc := Construct{C: c, Dir: c.Dir(appDir)}
		var p *workspace.Project
		switch {
		case cc.Dir != "":
			if p = s.projectAt(cc.Dir); p == nil {
				if !dirExists(cc.Dir) {
					cc.Note = fmt.Sprintf("source_dir is %s, which does not exist; fix the path (relative paths start where cdk runs, %s)", cc.Dir, appDir)
				} else {
					cc.Note = fmt.Sprintf("source_dir is %s, which is not a Chalice project (it needs .chalice/config.json and app.py)", cc.Dir)
				}
			}
		default:
			if p = s.onlyProject(); p == nil {
				cc.Note = "source_dir cannot be resolved statically and the workspace does not hold exactly one Chalice project, so logical IDs and stage_config cannot be checked against the app"
			}
		}
		if p != nil {
			stage, from := s.ConstructStage(c, appDir)
			ov := effective.Overlay{Node: c.StageConfig, Mode: c.Flavour.Mode()}
			cc.Target = Target{Project: p, Stage: stage, StageFrom: from, StageConfig: ov.Plain(), Overlay: ov, Partial: c.StageConfigPartial, CDKPath: path}
		}
		cf.Constructs = append(cf.Constructs, cc)
	}
	return cf
}

// CDKAppDirFor returns the innermost CDK app directory (holding cdk.json) that
// contains path, else the nearest directory above path holding cdk.json, else
// the file's directory (relative source dirs resolve against where `cdk` runs).
func (s *Snapshot) CDKAppDirFor(path string) string {
	best := ""
	for _, a := range s.cdkApps {
		if pathutil.Within(path, a.Dir) && len(a.Dir) > len(best) {
			best = a.Dir
		}
	}
	if best != "" {
		return best
	}
	for dir := filepath.Dir(path); ; dir = filepath.Dir(dir) {
		if _, err := s.ReadFile(filepath.Join(dir, "cdk.json")); err == nil {
			return dir
		}
		if filepath.Dir(dir) == dir {
			break
		}
	}
	return filepath.Dir(path)
}

// TargetForRef picks the construct a logical-ID call site refers to: the
// construct assigned to the call's receiver (`self.chalice = Chalice(...)` ...
// `self.chalice.get_role(...)`, `api := construct.NewChalice(...)` ...
// `api.GetRole(...)`); when the receiver links to none, the closest construct call
// before it in the file, else the first one, else the snapshot's only project.
func (s *Snapshot) TargetForRef(f *CDKFile, ref *cdkcode.IDRef) (Target, bool) {
	// Pick the construct first, then its project: a construct whose source_dir
	// names a directory that is not a Chalice project has no target, and its
	// call sites must not borrow another project's IDs.
	var best *Construct
	if ref.Receiver != "" {
		for i := range f.Constructs {
			c := &f.Constructs[i]
			if c.C.Var == ref.Receiver && (best == nil || c.C.CallStart <= ref.Start) {
				best = c
			}
		}
	}
	if best == nil {
		for i := range f.Constructs {
			c := &f.Constructs[i]
			if c.C.CallStart <= ref.Start && (best == nil || c.C.CallStart > best.C.CallStart) {
				best = c
			}
		}
	}
	if best == nil && len(f.Constructs) > 0 {
		best = &f.Constructs[0]
	}
	if best != nil {
		return best.Target, best.Target.Project != nil
	}
	if p := s.onlyProject(); p != nil {
		return Target{Project: p, Stage: s.settings.EffectiveStage()}, true
	}
	return Target{}, false
}

// IDIndex returns the logical IDs for t: the packaged template of exactly this
// target if any, else the newest template of the project (treated as stale and
// foreign), completed by prediction from app.py.
func (s *Snapshot) IDIndex(t Target) *logicalid.Index {
	key := t.Key()
	s.memo.mu.Lock()
	m, ok := s.memo.index[key]
	s.memo.mu.Unlock()
	if ok {
		return m.ix
	}
	ix := s.buildIndex(t, key)
	s.memo.mu.Lock()
	s.memo.index[key] = indexMemo{dir: t.Project.Dir, ix: ix}
	s.memo.mu.Unlock()
	return ix
}

type indexMemo struct {
	dir string
	ix  *logicalid.Index
}

func (s *Snapshot) buildIndex(t Target, key string) *logicalid.Index {
	st := s.Packaging(key)
	stale, foreign := false, false
	if st == nil || st.Result == nil {
		st = s.LatestPackaging(t.Project.Dir, "")
		stale, foreign = true, true
	}
	var pred []predict.Resource
	if app, err := s.App(t.Project); err == nil && app != nil {
		pred = predict.Resources(app, s.Config(t.Project), predict.Options{Stage: t.Stage, StageConfig: t.Overlay.Node, StageConfigMode: t.Overlay.Mode})
	}
	if st != nil && st.Result != nil {
		ix := logicalid.Build(st.Result.Template, stale || st.Stale, pred)
		ix.Foreign = foreign
		return ix
	}
	return logicalid.Build(nil, false, pred)
}

func dirExists(dir string) bool {
	st, err := os.Stat(dir)
	return err == nil && st.IsDir()
}
