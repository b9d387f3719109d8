package lsptest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/lsp/lsptest"
	"github.com/chalice-lsp/chalice-lsp/lsp/overlay"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// appIDsApp has CRLF line breaks, a tab-indented body and astral characters
// (four bytes, two UTF-16 units, one UTF-32 unit) before and on the decorator
// lines, so a wrong position encoding moves the hints.
const appIDsApp = "# \U0001F600 shop\r\n" +
	"from chalice import Chalice, Rate\r\n" +
	"app = Chalice(app_name='shop')\r\n" +
	"\r\n" +
	"@app.route('/\U0001D49C')\r\n" +
	"def index():\r\n" +
	"\treturn {'\U0001F600': 1}\r\n" +
	"\r\n" +
	"@app.schedule(Rate(1, unit=Rate.HOURS), description='\U0001F600')\r\n" +
	"def every_hour(event):\r\n" +
	"\treturn {}\r\n" +
	"\r\n" +
	"@app.lambda_function(name='my_lambda_function')\r\n" +
	"def worker(event, context):\r\n" +
	"\treturn {}\r\n"

const appIDsStack = "import aws_cdk as cdk\nfrom chalice.cdk import Chalice\n# \U0001F600\napp = cdk.App()\nstack = cdk.Stack(app, 'dev')\n" +
	"c = Chalice(stack, 'C', source_dir='../shop')\nfn = c.get_function('MyLambdaFunction')\nc.add_environment_variable('K', 'V', 'MyLambdaFunction')\n"

func startAppIDs(t *testing.T, enc protocol.PositionEncodingKind, inlay bool) (*lsptest.Session, string, string, string) {
	root := t.TempDir()
	files := map[string]string{
		"shop/.chalice/config.json": "{\"version\": \"2.0\", \"app_name\": \"shop\",\r\n \"stages\": {\"dev\": {\"environment_variables\": {\"\U0001D49C\": \"x\"},\r\n  \"lambda_functions\": {\"my_lambda_function\": {\"lambda_timeout\": 42}}}}}\r\n",
		"shop/app.py":               appIDsApp,
		"infra/cdk.json":            `{"app": "python3 app.py"}`,
		"infra/app.py":              appIDsStack,
	}
	for p, c := range files {
		full := filepath.Join(root, p)
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := lsptest.Config{Folders: []string{root}, PositionEncodings: []protocol.PositionEncodingKind{enc}, Capabilities: func(c *protocol.ClientCapabilities) {
		if inlay {
			c.TextDocument.InlayHint = &protocol.InlayHintClientCapabilities{}
		}
	}}
	s := lsptest.Start(t, cfg)
	s.Initialize()
	app := filepath.Join(root, "shop", "app.py")
	stack := filepath.Join(root, "infra", "app.py")
	s.Open(app)
	s.Open(stack)
	return s, app, stack, filepath.Join(root, "shop", ".chalice", "config.json")
}

func inlayHints(t *testing.T, s *lsptest.Session, path string) []protocol.InlayHint {
	t.Helper()
	end := strings.Count(s.Content(path), "\n") + 1
	hs, err := s.Server.InlayHint(ctxOf(t), &protocol.InlayHintParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(path)},
		Range: protocol.Range{End: protocol.Position{Line: uint32(end)}}})
	if err != nil {
		t.Fatal(err)
	}
	return hs
}

func TestAppIDsEncodings(t *testing.T) {
	for _, enc := range encodings {
		t.Run(string(enc), func(t *testing.T) {
			s, app, stack, cfg := startAppIDs(t, enc, true)
			if s.Init.Capabilities.InlayHintProvider == nil || s.Init.Capabilities.ReferencesProvider == nil || s.Init.Capabilities.WorkspaceSymbolProvider == nil {
				t.Fatalf("logical-ID providers not advertised: %+v", s.Init.Capabilities)
			}
			hs := inlayHints(t, s, app)
			var got []string
			src := s.Content(app)
			for _, h := range hs {
				off := s.Offset(app, h.Position)
				line := src[strings.LastIndex(src[:off], "\n")+1 : off]
				got = append(got, string(h.Label.(protocol.String))+" @ "+line)
			}
			want := []string{
				"APIHandler · AWS::Serverless::Function, APIHandlerInvokePermission @ @app.route('/\U0001D49C')",
				"EveryHour · AWS::Serverless::Function @ @app.schedule(Rate(1, unit=Rate.HOURS), description='\U0001F600')",
				"MyLambdaFunction · AWS::Serverless::Function @ @app.lambda_function(name='my_lambda_function')",
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("inlay hints:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}

			h := s.Hover(app, s.Pos(app, "def worker", 5))
			for _, w := range []string{"`MyLambdaFunction`", "Timeout: `42` s — from stages.dev.lambda_functions.my_lambda_function", "`\U0001D49C` = `x` — from stages.dev"} {
				if !strings.Contains(h, w) {
					t.Errorf("hover on worker lacks %q:\n%s", w, h)
				}
			}

			locs, err := s.Server.References(ctxOf(t), &protocol.ReferenceParams{
				TextDocumentPositionParams: protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(stack)}, Position: s.Pos(stack, "MyLambdaFunction", 3)},
				Context:                    protocol.ReferenceContext{IncludeDeclaration: true}})
			if err != nil {
				t.Fatal(err)
			}
			var refs []string
			for _, l := range locs {
				p := overlay.PathOf(l.URI)
				if p != app && p != stack {
					s.Open(p) // config.json, for its content in the session's encoding
				}
				refs = append(refs, filepath.Base(p)+":"+textOf(s, p, l.Range))
			}
			if strings.Join(refs, " ") != `app.py:MyLambdaFunction app.py:MyLambdaFunction app.py:worker config.json:"my_lambda_function"` {
				t.Errorf("references of MyLambdaFunction: %v", refs)
			}
			_ = cfg

			res, err := s.Server.Symbols(ctxOf(t), &protocol.WorkspaceSymbolParams{Query: "hour"})
			if err != nil {
				t.Fatal(err)
			}
			syms, _ := res.(protocol.SymbolInformationSlice)
			if len(syms) != 1 || syms[0].Name != "EveryHour" || textOf(s, app, syms[0].Location.Range) != "every_hour" {
				t.Errorf("workspace symbols for 'hour': %+v", syms)
			}
		})
	}
}

// A client without textDocument.inlayHint gets no provider; hover and
// references still answer. A half-typed decorator keeps the others' hints.
func TestAppIDsWithoutInlayHintsAndHalfTyped(t *testing.T) {
	s, app, _, _ := startAppIDs(t, protocol.PositionEncodingKindUTF16, false)
	if s.Init.Capabilities.InlayHintProvider != nil {
		t.Fatalf("inlay hints advertised to a client that did not declare them: %+v", s.Init.Capabilities.InlayHintProvider)
	}
	if h := s.Hover(app, s.Pos(app, "@app.schedule", 2)); !strings.Contains(h, "`EveryHour`") {
		t.Errorf("hover on the schedule decorator: %s", h)
	}
	// Without inlay hints the IDs come as code lenses (chalice.codeLens.appIds: auto).
	var titles []string
	for _, l := range s.CodeLenses(app) {
		titles = append(titles, l.Command.Title)
	}
	if !strings.Contains(strings.Join(titles, "\n"), "EveryHour") {
		t.Errorf("app.py code lenses for a client without inlay hints: %q", titles)
	}
	s.Edit(app, appIDsApp+"\r\n@app.on_sqs_message(queue='jobs', batch_size=\r\n")
	hs := inlayHints(t, s, app)
	if len(hs) != 3 {
		t.Fatalf("hints of the half-typed app.py: %+v", hs)
	}
	s.Edit(app, appIDsApp+"\r\n@app.on_sqs_message(queue='jobs')\r\ndef category_event_handler(event):\r\n\treturn {}\r\n")
	hs = inlayHints(t, s, app)
	if len(hs) != 4 || string(hs[3].Label.(protocol.String)) != "CategoryEventHandler · AWS::Serverless::Function" {
		t.Fatalf("hints after finishing the handler: %+v", hs)
	}
}
