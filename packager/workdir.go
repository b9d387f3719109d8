package packager

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"

	"github.com/chalice-lsp/chalice-lsp/internal/safefile"
	"github.com/chalice-lsp/chalice-lsp/schema/effective"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// What chalice reads from a project, and so what is copied and hashed:
//
//	app.py, requirements.txt      the app and its dependency list
//	chalicelib/**, vendor/**      packaged into the deployment zip
//	.chalice/** except deployments/ and deployed/
//	                              config.json and the policy files it names
//
// __pycache__ directories and *.pyc files are skipped: they change whenever the
// user runs the app locally and only bloat the zip.
var (
	topFiles = []string{"app.py", "requirements.txt"}
	treeDirs = []string{"chalicelib", "vendor"}
)

// snapFile is one input file of a project.
type snapFile struct {
	Rel, Abs string
	Sum      string // hex sha256 of the content
}

// fileStamp remembers a file's hash for as long as its size, mtime and inode (its
// stampOf) stay the same, so a cache hit does not re-read every file.
type fileStamp struct {
	stamp, sum string
}

// listInputs returns every input file of the project in sorted order. Symlinks are
// followed, as chalice's os.walk(followlinks=True) does, but every real directory
// is walked once: a link back to a parent (vendor/ trees sometimes link to
// themselves) or a second link to the same tree adds nothing, so the copy chalice
// packages has no loop, and the walk is linear. ctx bounds it (the packaging
// timeout), for links out to huge trees.
func listInputs(ctx context.Context, src string) ([]snapFile, error) {
	var files []snapFile
	for _, name := range topFiles {
		p := filepath.Join(src, name)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			files = append(files, snapFile{Rel: name, Abs: p})
		}
	}
	walked := map[string]bool{} // real paths of the directories walked
	var walk func(abs, rel string, skip func(rel string, dir bool) bool) error
	walk = func(abs, rel string, skip func(string, bool) bool) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		real, err := filepath.EvalSymlinks(abs)
		if err != nil || walked[real] {
			return nil
		}
		walked[real] = true
		ents, err := os.ReadDir(abs)
		if err != nil {
			return err
		}
		for _, e := range ents {
			a, r := filepath.Join(abs, e.Name()), filepath.Join(rel, e.Name())
			st, err := os.Stat(a) // follows symlinks, as chalice's os.walk(followlinks) does
			if err != nil {
				continue // dangling link: chalice would fail to read it too; skip quietly
			}
			if st.IsDir() {
				if skip(r, true) {
					continue
				}
				if err := walk(a, r, skip); err != nil {
					return err
				}
				continue
			}
			if st.Mode().IsRegular() && !skip(r, false) {
				files = append(files, snapFile{Rel: r, Abs: a})
			}
		}
		return nil
	}
	pyJunk := func(rel string, dir bool) bool {
		base := filepath.Base(rel)
		return (dir && base == "__pycache__") || (!dir && strings.HasSuffix(base, ".pyc"))
	}
	for _, d := range treeDirs {
		if st, err := os.Stat(filepath.Join(src, d)); err == nil && st.IsDir() {
			if err := walk(filepath.Join(src, d), d, pyJunk); err != nil {
				return nil, err
			}
		}
	}
	chaliceDir := filepath.Join(src, ".chalice")
	if err := walk(chaliceDir, ".chalice", func(rel string, dir bool) bool {
		return dir && (rel == filepath.Join(".chalice", "deployments") || rel == filepath.Join(".chalice", "deployed"))
	}); err != nil {
		return nil, err
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Rel < files[j].Rel })
	return files, nil
}

// hashInputs fills in Sum for every file, reusing remembered hashes of unchanged
// files.
func (p *Packager) hashInputs(files []snapFile) error {
	for i := range files {
		f := &files[i]
		stamp := stampOf(f.Abs)
		p.mu.Lock()
		old, ok := p.hashMemo[f.Abs]
		p.mu.Unlock()
		if ok && old.stamp == stamp {
			f.Sum = old.sum
			continue
		}
		sum, err := hashFile(f.Abs)
		if err != nil {
			return err
		}
		f.Sum = sum
		p.mu.Lock()
		p.hashMemo[f.Abs] = fileStamp{stamp: stamp, sum: sum}
		p.mu.Unlock()
	}
	return nil
}

func hashFile(path string) (string, error) {
	fh, err := safefile.Open(path) // never blocks on a file swapped for a FIFO
	if err != nil {
		return "", err
	}
	defer fh.Close()
	h := sha256.New()
	if _, err := io.Copy(h, fh); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// keyInputs is everything besides file contents that changes chalice's output.
type keyInputs struct {
	Stage        string            `json:"stage"`
	StageConfig  map[string]any    `json:"stageConfig"`
	Mode         string            `json:"stageConfigMode"` // how StageConfig is applied
	Chalice      string            `json:"chalice"`
	Python       string            `json:"python"`
	UseContainer bool              `json:"useContainer"`
	Image        string            `json:"image,omitempty"`
	Env          map[string]string `json:"env"`
}

// cacheFormat changes whenever the layout of cached results or the post-processing
// changes, so old entries are not reused.
const cacheFormat = "chalice-lsp-package-v1"

// computeKey hashes the inputs into the cache key.
func computeKey(files []snapFile, in keyInputs) string {
	h := sha256.New()
	io.WriteString(h, cacheFormat+"\x00")
	for _, f := range files {
		fmt.Fprintf(h, "%s\x00%s\x00", filepath.ToSlash(f.Rel), f.Sum)
	}
	// Map keys are sorted, so this is canonical. It cannot fail: the stage config
	// was already reduced to JSON values by plainStageConfig.
	b, _ := json.Marshal(in)
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

// copyInputs copies files into dst, hashing while copying, and returns the files
// with the hashes of what was actually copied (the user may edit between listing
// and copying; the copy is what chalice sees).
func copyInputs(files []snapFile, dst string) ([]snapFile, error) {
	out := make([]snapFile, len(files))
	made := map[string]bool{}
	for i, f := range files {
		target := filepath.Join(dst, f.Rel)
		if d := filepath.Dir(target); !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return nil, err
			}
			made[d] = true
		}
		sum, err := copyFileHash(f.Abs, target)
		if err != nil {
			return nil, err
		}
		out[i] = snapFile{Rel: f.Rel, Abs: f.Abs, Sum: sum}
	}
	return out, nil
}

// copyFileHash copies src to dst and returns the hex SHA-256 of what it copied.
func copyFileHash(src, dst string) (string, error) {
	in, err := safefile.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(out, h), in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// writeMergedConfig applies stageConfig to the project config as mode says
// (effective.ApplyStageConfig, the semantics the editor resolves values with) and
// writes the result over the copied config.json. When that changes nothing (no
// stage config, or one that sets nothing) the copy stays byte-identical, so
// chalice itself reports any problem in it.
func writeMergedConfig(workProject, srcConfig, stage string, stageConfig map[string]any, mode effective.OverlayMode) error {
	if stageConfig == nil {
		return nil
	}
	src, err := os.ReadFile(filepath.Join(workProject, ".chalice", "config.json"))
	if err != nil {
		return err
	}
	root, errs := jsonpos.Parse(src)
	if len(errs) > 0 {
		return &Error{Class: ClassInvalidConfig, File: srcConfig, Line: lineOf(src, errs[0].Start),
			Message: ".chalice/config.json is not valid JSON, so the stage config cannot be applied to it: " + errs[0].Msg,
			Hint:    "fix the JSON syntax (no comments, no trailing commas)"}
	}
	cfg, ok := root.Value().(map[string]any)
	if !ok {
		return &Error{Class: ClassInvalidConfig, File: srcConfig, Line: 1,
			Message: ".chalice/config.json must hold a JSON object, not a " + root.Kind.String(),
			Hint:    `start from {"version": "2.0", "app_name": "...", "stages": {"dev": {}}}`}
	}
	applied := effective.ApplyStageConfig(cfg, stage, stageConfig, mode)
	if reflect.DeepEqual(applied, cfg) {
		return nil
	}
	b, err := json.MarshalIndent(applied, "", "  ")
	if err != nil {
		return &Error{Class: ClassBadRequest, Message: "the merged config cannot be encoded as JSON: " + err.Error()}
	}
	return os.WriteFile(filepath.Join(workProject, ".chalice", "config.json"), append(b, '\n'), 0o644)
}

// lineOf returns the 1-based line of a byte offset.
func lineOf(src []byte, off int) int {
	if off > len(src) {
		off = len(src)
	}
	line := 1
	for _, c := range src[:off] {
		if c == '\n' {
			line++
		}
	}
	return line
}

// sha16 is a short stable name for a path.
func sha16(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
