package servertest_test

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/lsp/servertest"
	"go.lsp.dev/protocol"
)

// webapp is a Chalice project with a route, a lambda function named "worker"
// (its Python name is process) and a schedule.
const webapp = `
-- webapp/app.py --
from chalice import Chalice

app = Chalice(app_name='webapp')


@app.route('/')
def ⟦index|index⟧():
    return {'hello': 'world'}


@app.lambda_function(name='worker')
def process(event, context):
    return {}


@app.schedule('rate(5 minutes)')
def every_five(event):
    return None
-- webapp/requirements.txt --
-- webapp/.chalice/config.json --
{
  "version": "2.0",
  "app_name": "webapp",
  "⟨topTimeout⟩lambda_timeout": 20,
  "stages": {
    "dev": {
      "api_gateway_stage": "api"
    },
    "⟦prod|prod⟧": {
      "lambda_memory_size": 512,
      "lambda_functions": {
        "⟨fn⟩api_handler": {"⟨fnTimeout⟩lambda_timeout": 30}
      }
    }
  }
}
`

const configPath = "webapp/.chalice/config.json"

func TestConfigDiagnostics(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, webapp, servertest.Config{})
	cfg := s.Open(configPath)
	cfg.WantDiagnostics() // the valid file: none

	// A wrong type on the value, a misspelt key on the key.
	cfg.Edit(`{
  "version": "2.0",
  "app_name": "webapp",
  "lambda_timeout": 20,
  "lambda_memory_size": ⟦!wrong-type:error|"big"⟧,
  ⟦!unknown-key:error typo|"lamda_timeout"⟧: 3,
  "stages": {"dev": {"api_gateway_stage": "api"}}
}`)
	cfg.WantDiagnostics()
	// The did-you-mean quick fix replaces the key.
	uk := cfg.Diagnostic("unknown-key", "typo")
	var fix *protocol.CodeAction
	for _, a := range cfg.CodeActions("typo", uk) {
		if a.Kind != nil && *a.Kind == protocol.CodeActionKindQuickFix {
			fix = a
		}
	}
	if fix == nil || fix.Edit == nil {
		t.Fatalf("no quick fix for %q", servertest.Message(uk))
	}
	if edits := fix.Edit.Changes[cfg.URI]; len(edits) != 1 || edits[0].Range != cfg.Range("typo") || edits[0].NewText != `"lambda_timeout"` {
		t.Errorf("quick fix edits: %+v", edits)
	}

	// A lambda_functions entry that matches no handler in app.py; worker is suggested.
	cfg.Edit(`{
  "version": "2.0",
  "app_name": "webapp",
  "stages": {"prod": {"lambda_functions": {
    "api_handler": {"lambda_timeout": 30},
    ⟦!unknown-function:warning workr|"workr"⟧: {}
  }}}
}`)
	cfg.WantDiagnostics()
	if d := cfg.Diagnostic("unknown-function", "workr"); !strings.Contains(string(d.Data), "worker") {
		t.Errorf("unknown-function should suggest worker: %s %s", servertest.Message(d), d.Data)
	}

	// Back to a valid file: nothing.
	cfg.Edit(s.Files[configPath].Text)
	cfg.WantDiagnostics()
}

func TestConfigCompletion(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, webapp, servertest.Config{})
	cfg := s.Open(configPath)
	// Keys valid in a stage, minus those present; top-level-only keys are not
	// offered. The key being typed is unterminated, as while typing.
	cfg.Edit(`{
  "version": "2.0",
  "app_name": "webapp",
  "stages": {"prod": {"lambda_memory_size": 512, "lam⟨stageKey⟩
}`)
	cfg.WantCompletion("stageKey", []string{"lambda_timeout", "environment_variables"}, []string{"lambda_memory_size", "app_name", "version"})

	// Function names come from app.py (config names), minus those present.
	cfg.Edit(`{
  "version": "2.0",
  "app_name": "webapp",
  "stages": {"prod": {"lambda_functions": {"api_handler": {}, "⟨fnName⟩"}}}
}`)
	cfg.WantCompletion("fnName", []string{"worker", "every_five"}, []string{"api_handler", "process", "index"})

	// Enum values.
	cfg.Edit(`{
  "version": "2.0",
  "app_name": "webapp",
  "stages": {"dev": {"api_gateway_endpoint_type": "⟨enum⟩"}}
}`)
	cfg.WantCompletion("enum", []string{`"EDGE"`, `"REGIONAL"`, `"PRIVATE"`}, nil)
}

func TestConfigHoverAndDefinition(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, webapp, servertest.Config{})
	cfg := s.Open(configPath)
	// The key's documentation, its effective value for the stage and where it comes from.
	cfg.WantHover("fnTimeout", "lambda_timeout", "`30`", "stages.prod.lambda_functions.api_handler")
	cfg.WantHover("topTimeout", "`20`", "top level")
	// A function name under lambda_functions leads to its handler.
	cfg.WantDefinition("fn", "webapp/app.py#index")
}

func TestConfigPreviewEffectiveConfig(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, webapp, servertest.Config{})
	cfg := s.Open(configPath)
	var preview *protocol.CodeAction
	for _, a := range cfg.CodeActions("prod") {
		if strings.HasPrefix(a.Title, "Preview effective config") && strings.Contains(a.Title, "stage prod") {
			preview = a
		}
	}
	if preview == nil {
		t.Fatal("no Preview effective config action for stage prod in the stage's key")
	}
	var res struct {
		Path  string `json:"path"`
		Shown bool   `json:"shown"`
	}
	s.ExecuteCommand(preview.Command, &res)
	if !res.Shown || !slices.Contains(s.ShownDocuments(), res.Path) {
		t.Errorf("the preview %s should be shown with window/showDocument (shown %v, documents %q)", res.Path, res.Shown, s.ShownDocuments())
	}
	b, err := os.ReadFile(res.Path)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Stage     string `json:"stage"`
		Functions []struct {
			Name   string `json:"name"`
			Values []struct {
				Key   string `json:"key"`
				Value any    `json:"value"`
				Level string `json:"level"`
			} `json:"values"`
		} `json:"functions"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("%s: %v", res.Path, err)
	}
	found := false
	for _, f := range got.Functions {
		for _, v := range f.Values {
			if f.Name == "api_handler" && v.Key == "lambda_timeout" {
				found = v.Level == "stages.prod.lambda_functions.api_handler" && v.Value == float64(30)
			}
		}
	}
	if got.Stage != "prod" || !found {
		t.Errorf("preview of stage prod should give api_handler lambda_timeout 30 from stages.prod.lambda_functions.api_handler:\n%s", b)
	}
}
