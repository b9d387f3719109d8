package cdkfeatures

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
	"github.com/chalice-lsp/chalice-lsp/internal/settings"
	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
)

// BenchmarkLenses10Constructs: the code lenses of a CDK stack with 10 Chalice
// constructs (10 projects of 10 handlers each) after an edit of the stack: the
// edit enters a new snapshot, the file is analysed and every construct's IDs are
// predicted (the work behind one textDocument/codeLens after a keystroke).
func BenchmarkLenses10Constructs(b *testing.B) {
	files := map[string]string{}
	var stack strings.Builder
	stack.WriteString("import aws_cdk as cdk\nfrom chalice.cdk import Chalice\napp = cdk.App()\nstack = cdk.Stack(app, 'dev')\n")
	for i := 0; i < 10; i++ {
		name := fmt.Sprintf("svc%d", i)
		files[name+"/.chalice/config.json"] = `{"version": "2.0", "app_name": "` + name + `", "stages": {"dev": {"lambda_memory_size": 256}}}`
		var app strings.Builder
		app.WriteString("from chalice import Chalice\napp = Chalice(app_name='" + name + "')\n\n")
		for j := 0; j < 5; j++ {
			fmt.Fprintf(&app, "@app.route('/r%d')\ndef route_%d():\n    return {}\n\n@app.lambda_function()\ndef worker_%d(event, context):\n    return {}\n\n", j, j, j)
		}
		files[name+"/app.py"] = app.String()
		fmt.Fprintf(&stack, "c%d = Chalice(stack, 'C%d', source_dir='../%s', stage_config={'lambda_timeout': %d})\n", i, i, name, 10+i)
	}
	files["infra/cdk.json"] = `{"app": "python3 app.py"}`
	files["infra/app.py"] = stack.String()
	root := testenv.WriteTree(b, b.TempDir(), files)
	path := filepath.Join(root, "infra/app.py")
	snap := analysis.FromDisk(os.ReadFile, settings.Defaults(), root)
	src := stack.String()
	now := time.Now()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		snap, _ = snap.Modify(analysis.Changes{Open: []*analysis.Document{{Path: path, Version: int32(i + 1), Content: []byte(src + fmt.Sprintf("# %d\n", i))}}})
		f := analysis.Analyze(snap, path).CDKFile
		if ls := Lenses(snap, f, now); len(ls) != 10 || !strings.Contains(ls[9].Title, "11 resources") && !strings.Contains(ls[9].Title, "resources · predicted") {
			b.Fatalf("lenses: %+v", ls)
		}
	}
}
