package lsptest_test

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/lsp/lsptest"
	"go.lsp.dev/protocol"
)

// TestExampleSession plays a user's session on testdata/example, the project's
// showcase: the Go CDK app (infrastructure/, stack built by stacks.NewChaliceApp and
// instantiated in main.go as "chalice-example"), the same stack in Python
// (python-infrastructure/) and the Chalice app (runtime/).
func TestExampleSession(t *testing.T) {
	s, dir := startFixture(t, "testdata/example", lsptest.Config{Settings: map[string]any{"python": lsptest.Venv(t)}, MessageAnswer: confirmPackaging})
	gof := filepath.Join(dir, "infrastructure", "stacks", "chaliceapp.go")
	pyf := filepath.Join(dir, "python-infrastructure", "stacks", "chaliceapp.py")
	cfg := filepath.Join(dir, "runtime", ".chalice", "config.json")
	gu, pu := s.Open(gof), s.Open(pyf)

	// Completion of roles in both languages, with the stage taken from the stack id
	// that main.go / app.py give the stack.
	for _, c := range []struct{ file, call string }{{gof, `GetRole(jsii.String("`}, {pyf, `get_role('`}} {
		call := c.call
		items := s.Completion(c.file, s.Pos(c.file, call, len(call)))
		if got := labels(items); !slices.Equal(got, []string{"DefaultRole"}) {
			t.Errorf("%s: role completion %v, want [DefaultRole]", filepath.Base(filepath.Dir(filepath.Dir(c.file))), got)
		}
		h := s.Hover(c.file, s.Pos(c.file, `DefaultRole`, 2))
		if !strings.Contains(h, "AWS::IAM::Role") || !strings.Contains(h, "Chalice stage: `chalice-example` (from the stack id \"chalice-example\"") {
			t.Errorf("%s: hover on DefaultRole:\n%s", c.file, h)
		}
	}

	// An unknown ID gets a did-you-mean quick fix.
	s.Edit(gof, strings.Replace(s.Content(gof), `"DefaultRole"`, `"DefaultRol"`, 1))
	s.Await("unknown ID in the Go stack", func(st *lsptest.State) bool {
		return hasCode(st.Diagnostics[gu], "unknown-logical-id") != nil
	})
	unk := hasCode(s.Diagnostics(gof), "unknown-logical-id")
	acts := s.CodeActions(gof, unk.Range, []protocol.Diagnostic{*unk})
	if len(acts) == 0 || acts[0].Title != "Change to DefaultRole" {
		t.Errorf("quick fix for DefaultRol: %+v", acts)
	}
	s.Edit(gof, strings.Replace(s.Content(gof), `"DefaultRol"`, `"DefaultRole"`, 1))

	// config.json: a misspelt key gets a quick fix.
	cu := s.Open(cfg)
	s.Edit(cfg, strings.Replace(s.Content(cfg), `"api_gateway_stage"`, `"api_gateway_stge"`, 1))
	s.Await("config.json typo", func(st *lsptest.State) bool {
		for _, d := range st.Diagnostics[cu] {
			if strings.Contains(msgOf(d), "api_gateway_stge") {
				return true
			}
		}
		return false
	})
	var typo *protocol.Diagnostic
	for _, d := range s.Diagnostics(cfg) {
		if strings.Contains(msgOf(d), "api_gateway_stge") {
			typo = &d
		}
	}
	acts = s.CodeActions(cfg, typo.Range, []protocol.Diagnostic{*typo})
	if len(acts) == 0 || !strings.Contains(acts[0].Title, "api_gateway_stage") || acts[0].Edit == nil {
		t.Errorf("config.json quick fix: %+v", acts)
	}
	s.Edit(cfg, strings.Replace(s.Content(cfg), `"api_gateway_stge"`, `"api_gateway_stage"`, 1))

	// Both previews on the Go construct call, for its stage.
	off := strings.Index(s.Content(gof), "construct.NewChalice(")
	effPath, shown := constructCommand(t, s, "chalice-lsp.previewEffectiveConfig", gof, off)
	stage, fns := effectiveConfig(t, effPath)
	env := fmtJSON(fns["api_handler"]["environment_variables"])
	if stage != "chalice-example" || !shown || !strings.Contains(env, "table.TableName()") {
		t.Errorf("effective config preview: stage %q, shown %v, api_handler env %s", stage, shown, env)
	}
	tmplPath, _ := constructCommand(t, s, "chalice-lsp.packagePreview", gof, off)
	var tmpl struct {
		Resources map[string]struct {
			Type       string `json:"Type"`
			Properties struct {
				Environment struct {
					Variables map[string]string `json:"Variables"`
				} `json:"Environment"`
			} `json:"Properties"`
		} `json:"Resources"`
	}
	readJSON(t, tmplPath, &tmpl)
	if tmpl.Resources["DefaultRole"].Type != "AWS::IAM::Role" || !strings.Contains(tmpl.Resources["APIHandler"].Properties.Environment.Variables["APP_TABLE_NAME"], "Token[") {
		t.Errorf("packaged preview %s: DefaultRole %+v, APIHandler env %+v", tmplPath, tmpl.Resources["DefaultRole"], tmpl.Resources["APIHandler"].Properties.Environment)
	}

	// Definition after packaging: the role in the packaged template; for APIHandler
	// also the handlers in app.py.
	s.Await("fresh template in use", func(st *lsptest.State) bool { return st.Ended("chalice package") > 0 })
	locs := s.Definition(gof, s.Pos(gof, `DefaultRole`, 2))
	if len(locs) != 1 || locs[0].URI.FsPath() != tmplPath {
		t.Errorf("definition of DefaultRole: %+v, want the template %s", locs, tmplPath)
	}
	s.Edit(pyf, strings.Replace(s.Content(pyf), "self.chalice.get_role('DefaultRole')", "self.chalice.get_function('APIHandler')", 1))
	s.Await("python file re-analysed", func(st *lsptest.State) bool { return st.Diagnostics[pu] != nil })
	locs = s.Definition(pyf, s.Pos(pyf, `APIHandler'`, 2))
	var files []string
	for _, l := range locs {
		files = append(files, filepath.Base(l.URI.FsPath()))
	}
	if !slices.Contains(files, "app.py") {
		t.Errorf("definition of APIHandler from the Python stack: %v", files)
	}
	if code := s.Shutdown(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
}

func fmtJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
