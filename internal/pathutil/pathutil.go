// Package pathutil holds the one implementation of "is this path inside that
// directory" the project uses.
package pathutil

import (
	"path/filepath"
	"strings"
)

// Within reports whether path is dir or lies below it, lexically (no symlinks
// resolved). A sibling named "..x" is below dir; "../x" is not.
func Within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	if err != nil {
		return false
	}
	return rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
