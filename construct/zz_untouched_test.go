package construct_test

// This file's name sorts last so that its test runs after every other test of the
// package (go test runs tests in source order, files sorted by name).

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
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

// TestUserSourceTreesUntouched checks that nothing the tests ran (packaging, in-
// process synthesis, the cdk CLI, Chalice's Python construct on its scratch copy)
// created, changed or removed a file in the Chalice projects or the example.
func TestUserSourceTreesUntouched(t *testing.T) {
	for _, j := range []*job{pythonSynth, cliSynth} {
		if j.cmd != nil {
			j.wait()
		}
	}
	if len(snapshot) == 0 {
		t.Fatal("no snapshot of the source trees was taken")
	}
	after := digestTrees(sourceTrees())
	for p, d := range after {
		if before, ok := snapshot[p]; !ok {
			t.Errorf("created: %s", p)
		} else if before != d {
			t.Errorf("changed: %s", p)
		}
	}
	for p := range snapshot {
		if _, ok := after[p]; !ok {
			t.Errorf("removed: %s", p)
		}
	}
}
