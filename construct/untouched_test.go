package construct_test

// TestMain checks, after every test ran, that the user source trees are untouched
// (untouchedProblems); this is no test function, so it does not depend on the
// order in which tests run.

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// snapshot maps every file and directory under the trees the tests use as user
// projects to a digest of its content and mode.
var snapshot map[string]string

func sourceTrees() []string {
	return []string{
		filepath.Join(env.repo, "testdata", "example"),
		filepath.Join(env.repo, "construct", "testdata"),
	}
}

func snapshotSourceTrees() { snapshot = digestTrees(sourceTrees()) }

func digestTrees(roots []string) map[string]string {
	out := map[string]string{}
	for _, root := range roots {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				out[p] = "error: " + err.Error()
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return nil
			}
			if d.IsDir() {
				out[p] = "dir " + info.Mode().String()
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				out[p] = "unreadable"
				return nil
			}
			sum := sha256.Sum256(b)
			out[p] = info.Mode().String() + " " + hex.EncodeToString(sum[:])
			return nil
		})
	}
	return out
}

// untouchedProblems lists what the tests (packaging, in-process synthesis, the
// cdk CLI, Chalice's Python construct on its scratch copy) created, changed or
// removed in the Chalice projects or the example. TestMain calls it after m.Run.
func untouchedProblems() []string {
	for _, j := range []*job{pythonSynth, cliSynth} {
		if j.cmd != nil {
			j.wait()
		}
	}
	if len(snapshot) == 0 {
		return []string{"no snapshot of the source trees was taken"}
	}
	var out []string
	after := digestTrees(sourceTrees())
	for p, d := range after {
		if before, ok := snapshot[p]; !ok {
			out = append(out, "created: "+p)
		} else if before != d {
			out = append(out, "changed: "+p)
		}
	}
	for p := range snapshot {
		if _, ok := after[p]; !ok {
			out = append(out, "removed: "+p)
		}
	}
	sort.Strings(out)
	return out
}
