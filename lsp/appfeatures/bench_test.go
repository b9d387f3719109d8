package appfeatures

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
	"github.com/chalice-lsp/chalice-lsp/internal/settings"
	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
)

// BenchmarkInlayHints500Lines times the inlay hints of a 500-line app.py over
// the whole file: "after-edit" is the keystroke path (a new snapshot with the
// edited document, so app.py is parsed again and the IDs predicted again),
// "cached" a repeated request on one snapshot.
func BenchmarkInlayHints500Lines(b *testing.B) {
	root := b.TempDir()
	src := testenv.BigApp(500)
	testenv.WriteTree(b, root, map[string]string{"big/.chalice/config.json": `{"version": "2.0", "app_name": "big"}`, "big/app.py": string(src)})
	app := filepath.Join(root, "big", "app.py")
	snap := analysis.FromDisk(os.ReadFile, settings.Defaults(), root)
	if n := len(InlayHints(snap, app, 0, len(src))); n < 100 {
		b.Fatalf("only %d hints in the 500-line app", n)
	}
	b.Run("after-edit", func(b *testing.B) {
		v := int32(0)
		testenv.Latencies(b, func() {
			v++
			edited := append(append([]byte{}, src...), fmt.Sprintf("# edit %d\n", v)...)
			next, _ := snap.Modify(analysis.Changes{Open: []*analysis.Document{{Path: app, Version: v, Content: edited}}})
			InlayHints(next, app, 0, len(edited))
		})
	})
	b.Run("cached", func(b *testing.B) {
		testenv.Latencies(b, func() { InlayHints(snap, app, 0, len(src)) })
	})
}
