package lsptest_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/lsp/lsptest"
)

const hoverStack = `import aws_cdk as cdk
from chalice.cdk import Chalice


class HoverStack(cdk.Stack):

    def __init__(self, scope, id, **kwargs):
        super().__init__(scope, id, **kwargs)
        app = Chalice(self, 'WebApp', source_dir='../runtime',
                      stage_config={'lambda_memory_size': 384})
        app.get_function('EveryFive')
        app.get_function('APIHandler')
`

// TestHoverAfterPackaging: once the construct is packaged, hover on a logical ID
// shows the function's memory, timeout and events as the packaged template has
// them (memory from the stage_config, timeout from config.json, the schedule
// event of an @app.schedule handler).
func TestHoverAfterPackaging(t *testing.T) {
	venv := lsptest.Venv(t)
	s, dir := startFixture(t, "testdata/lsp/cdkapp", lsptest.Config{InitOptions: map[string]any{"workspaceTrusted": true, "settings": map[string]any{"python": venv}}})
	py := filepath.Join(dir, "infra-py", "hover_stack.py")
	s.Open(py, hoverStack)
	s.Await("packaging on open", func(st *lsptest.State) bool { return st.Ended("chalice package") >= 1 })
	s.With(func(st *lsptest.State) {
		if !strings.Contains(st.Progress[0].EndMessage, "packaged") {
			t.Fatalf("packaging on open failed: %+v", st.Progress)
		}
	})
	// The preview of the same construct is a cache hit of that run; its file is
	// the packaged template the hover must agree with.
	path, _ := constructCommand(t, s, "chalice-lsp.packagePreview", py, strings.Index(hoverStack, "Chalice(self"))
	var tmpl struct {
		Resources map[string]struct {
			Type       string `json:"Type"`
			Properties struct {
				MemorySize any `json:"MemorySize"`
				Timeout    any `json:"Timeout"`
				Events     map[string]struct {
					Type string `json:"Type"`
				} `json:"Events"`
			} `json:"Properties"`
		} `json:"Resources"`
	}
	readJSON(t, path, &tmpl)
	for _, id := range []string{"EveryFive", "APIHandler"} {
		res, ok := tmpl.Resources[id]
		if !ok {
			t.Fatalf("the packaged template %s has no %s", path, id)
		}
		p := res.Properties
		h := s.Hover(py, s.Pos(py, "'"+id+"'", 2))
		want := []string{
			fmt.Sprintf("Memory: %v MB", p.MemorySize),
			fmt.Sprintf("Timeout: %v s", p.Timeout),
		}
		for key, ev := range p.Events {
			want = append(want, fmt.Sprintf("Event: `%s` (%s)", key, ev.Type))
		}
		for _, w := range want {
			if !strings.Contains(h, w) {
				t.Errorf("hover on %s lacks %q (from the template):\n%s", id, w, h)
			}
		}
		if strings.Contains(h, "Predicted") || strings.Contains(h, "stale") {
			t.Errorf("hover on %s should come from the fresh template:\n%s", id, h)
		}
	}
	// Pin the values themselves, so a template without them cannot pass.
	ev := tmpl.Resources["EveryFive"].Properties
	if fmt.Sprint(ev.MemorySize) != "384" || fmt.Sprint(ev.Timeout) != "20" || len(ev.Events) != 1 {
		t.Fatalf("EveryFive in the template: memory %v, timeout %v, events %v; want 384, 20 and one schedule", ev.MemorySize, ev.Timeout, ev.Events)
	}
	for _, e := range ev.Events {
		if e.Type != "Schedule" {
			t.Fatalf("EveryFive's event type is %s, want Schedule", e.Type)
		}
	}
	if code := s.Shutdown(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
}
