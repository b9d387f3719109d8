package lsptest_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/lsp/lsptest"
)

// The fixture testdata/lsp/flavours packages one Chalice app (runtime/, config:
// lambda_timeout 20 at the top, stages.web.lambda_memory_size 256) with each
// construct flavour, every construct in a stack whose id is "web", and every
// stage_config setting lambda_functions.worker.lambda_timeout = 120. The three
// flavours treat that differently (chalice.md 3.3): chalice.cdk.Chalice ignores it
// (aws/chalice#1998), cdk_chalice.Chalice writes the stage_config as stages.web
// (so the file's memory 256 is gone), and the Go construct deep-merges it into
// stages.web.

// TestStageConfigFlavours checks hover, diagnostics and the effective-config
// preview per flavour, and that the stage is the stack id from the CDK app entry.
func TestStageConfigFlavours(t *testing.T) {
	s, dir := startFixture(t, "testdata/lsp/flavours", lsptest.Config{Settings: map[string]any{"python": lsptest.Venv(t)}, MessageAnswer: confirmPackaging})

	for _, tc := range []struct {
		file, flavour, timeout, memory string
		// What real `chalice package` puts into the Worker function.
		pkgTimeout, pkgMemory float64
	}{
		{"infra-py/builtin_stack.py", "chalice.cdk", "Timeout: 20 s (from top level)", "Memory: 256 MB (from stages.web)", 20, 256},
		{"infra-py/cdkchalice_stack.py", "cdk_chalice", "Timeout: 120 s (from stage_config lambda_functions.worker (written as stages.web.lambda_functions.worker))", "Memory: 128 MB (from build-time default)", 120, 128},
		{"infra-go/main.go", "Go", "Timeout: 120 s (from stage_config lambda_functions.worker (merged into stages.web.lambda_functions.worker))", "Memory: 256 MB (from stages.web)", 120, 256},
	} {
		path := filepath.Join(dir, tc.file)
		s.Open(path)
		h := s.Hover(path, s.Pos(path, `Worker`, 1))
		if !strings.Contains(h, tc.timeout) || !strings.Contains(h, tc.memory) {
			t.Errorf("%s: hover on Worker should show %q and %q:\n%s", tc.flavour, tc.timeout, tc.memory, h)
		}
		if !strings.Contains(h, "Chalice stage: `web` (from the stack id") {
			t.Errorf("%s: hover should name the stage taken from the stack id:\n%s", tc.flavour, h)
		}
		// Hover on lambda_timeout inside the stage_config literal.
		kh := s.Hover(path, s.Pos(path, `lambda_timeout`, 2))
		ignored := strings.Contains(kh, "**Ignored:**")
		if ignored != (tc.flavour == "chalice.cdk") {
			t.Errorf("%s: hover on stage_config lambda_functions.worker.lambda_timeout, ignored note = %v:\n%s", tc.flavour, ignored, kh)
		}
		if want := "`worker`: `120`"; (tc.flavour != "chalice.cdk") != strings.Contains(kh, want) {
			t.Errorf("%s: effective value in the key hover (want %q only when honoured):\n%s", tc.flavour, want, kh)
		}
		if !strings.Contains(kh, "(stage `web`, from the stack id") {
			t.Errorf("%s: key hover should say which stage it assumes:\n%s", tc.flavour, kh)
		}

		// Preview effective config on the construct call.
		off := strings.Index(s.Content(path), "Chalice(")
		stage, fns := effectiveConfig(t, firstOf(constructCommand(t, s, "chalice-lsp.previewEffectiveConfig", path, off)))
		wantTimeout := 120.0
		if tc.flavour == "chalice.cdk" {
			wantTimeout = 20
		}
		if stage != "web" || fns["worker"]["lambda_timeout"] != wantTimeout {
			t.Errorf("%s: effective config preview: stage %q, worker lambda_timeout %v, want web and %v", tc.flavour, stage, fns["worker"]["lambda_timeout"], wantTimeout)
		}

		// Package & preview: the template agrees with what hover predicted.
		tmplPath, _ := constructCommand(t, s, "chalice-lsp.packagePreview", path, off)
		var tmpl struct {
			Resources map[string]struct {
				Properties struct {
					Timeout    float64 `json:"Timeout"`
					MemorySize float64 `json:"MemorySize"`
				} `json:"Properties"`
			} `json:"Resources"`
		}
		readJSON(t, tmplPath, &tmpl)
		if p := tmpl.Resources["Worker"].Properties; p.Timeout != tc.pkgTimeout || p.MemorySize != tc.pkgMemory {
			t.Errorf("%s: packaged Worker has Timeout %v, MemorySize %v; want %v, %v", tc.flavour, p.Timeout, p.MemorySize, tc.pkgTimeout, tc.pkgMemory)
		}
	}
	py := filepath.Join(dir, "infra-py/builtin_stack.py")
	u := s.Open(py)
	s.Await("#1998 warning for chalice.cdk", func(st *lsptest.State) bool {
		return hasCode(st.Diagnostics[u], "stage-config-lambda-functions-ignored") != nil
	})
	for _, f := range []string{"infra-py/cdkchalice_stack.py", "infra-go/main.go"} {
		if hasCode(s.Diagnostics(filepath.Join(dir, f)), "stage-config-lambda-functions-ignored") != nil {
			t.Errorf("%s honours lambda_functions; no #1998 warning", f)
		}
	}
	if code := s.Shutdown(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
}
