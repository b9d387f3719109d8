package servertest_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/lsp/servertest"
	"go.lsp.dev/protocol"
)

// shop's app.py has CRLF line breaks, a tab-indented body and astral characters
// (four bytes, two UTF-16 units, one UTF-32 unit) before and on the decorator
// lines, so a position in the wrong encoding moves the hints.
const shopApp = "# \U0001F600 shop\r\n" +
	"from chalice import Chalice, Rate\r\n" +
	"app = Chalice(app_name='shop')\r\n" +
	"\r\n" +
	"@app.route('/\U0001D49C')\r\n" +
	"def index():\r\n" +
	"\treturn {'\U0001F600': 1}\r\n" +
	"\r\n" +
	"⟨schedule⟩@app.schedule(Rate(1, unit=Rate.HOURS), description='\U0001F600')\r\n" +
	"def every_hour(event):\r\n" +
	"\treturn {}\r\n" +
	"\r\n" +
	"@app.lambda_function(name='my_lambda_function')\r\n" +
	"def ⟨worker⟩worker(event, context):\r\n" +
	"\treturn {}\r\n"

const shop = "-- shop/.chalice/config.json --\n" +
	"{\"version\": \"2.0\", \"app_name\": \"shop\",\r\n \"stages\": {\"dev\": {\"environment_variables\": {\"\U0001D49C\": \"x\"},\r\n" +
	"  \"lambda_functions\": {\"my_lambda_function\": {\"lambda_timeout\": 42}}}}}\r\n" +
	"-- shop/app.py --\n" + shopApp +
	"-- infra/cdk.json --\n" +
	`{"app": "python3 app.py"}` + "\n" +
	"-- infra/app.py --\n" +
	"import aws_cdk as cdk\nfrom chalice.cdk import Chalice\n# \U0001F600\napp = cdk.App()\nstack = cdk.Stack(app, 'dev')\n" +
	"c = Chalice(stack, 'C', source_dir='../shop')\nfn = c.get_function('⟨ref⟩MyLambdaFunction')\nc.add_environment_variable('K', 'V', 'MyLambdaFunction')\n"

func withInlayHints(c *protocol.ClientCapabilities) {
	c.TextDocument.InlayHint = &protocol.InlayHintClientCapabilities{}
}

// TestAppIDs: app.py shows each handler's logical IDs as inlay hints at its
// decorator, hover on a handler gives its IDs and effective settings, and
// references and workspace symbols find the IDs, in every position encoding.
func TestAppIDs(t *testing.T) {
	t.Parallel()
	for _, enc := range []protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF8, protocol.PositionEncodingKindUTF16, protocol.PositionEncodingKindUTF32} {
		t.Run(string(enc), func(t *testing.T) {
			s := servertest.Start(t, shop, servertest.Config{PositionEncodings: []protocol.PositionEncodingKind{enc}, Capabilities: withInlayHints})
			if got := s.Init.Capabilities.PositionEncoding; got != enc {
				t.Fatalf("negotiated %s, want %s", got, enc)
			}
			caps := s.Init.Capabilities
			if caps.InlayHintProvider == nil || caps.ReferencesProvider == nil || caps.WorkspaceSymbolProvider == nil {
				t.Fatalf("logical-ID providers not advertised: %+v", caps)
			}
			app := s.Open("shop/app.py")
			want := []string{
				"APIHandler · AWS::Serverless::Function, APIHandlerInvokePermission @ @app.route('/\U0001D49C')",
				"EveryHour · AWS::Serverless::Function @ @app.schedule(Rate(1, unit=Rate.HOURS), description='\U0001F600')",
				"MyLambdaFunction · AWS::Serverless::Function @ @app.lambda_function(name='my_lambda_function')",
			}
			if got := app.InlayHints(); strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("inlay hints:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			app.WantHover("worker", "`MyLambdaFunction`",
				"Timeout: `42` s — from stages.dev.lambda_functions.my_lambda_function",
				"`\U0001D49C` = `x` — from stages.dev")

			stack := s.Open("infra/app.py")
			locs, err := s.Server.References(context.Background(), &protocol.ReferenceParams{
				TextDocumentPositionParams: protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: stack.URI}, Position: stack.Pos("ref")},
				Context:                    protocol.ReferenceContext{IncludeDeclaration: true}})
			if err != nil {
				t.Fatal(err)
			}
			var refs []string
			for _, l := range locs {
				refs = append(refs, s.Rel(l.URI)+":"+s.TextAt(s.Rel(l.URI), l.Range))
			}
			if got, want := strings.Join(refs, " "), `infra/app.py:MyLambdaFunction infra/app.py:MyLambdaFunction shop/app.py:worker shop/.chalice/config.json:"my_lambda_function"`; got != want {
				t.Errorf("references of MyLambdaFunction:\n got %s\nwant %s", got, want)
			}

			res, err := s.Server.Symbols(context.Background(), &protocol.WorkspaceSymbolParams{Query: "hour"})
			if err != nil {
				t.Fatal(err)
			}
			syms, _ := res.(protocol.SymbolInformationSlice)
			if len(syms) != 1 || syms[0].Name != "EveryHour" || s.TextAt("shop/app.py", syms[0].Location.Range) != "every_hour" {
				t.Errorf("workspace symbols for 'hour': %+v", syms)
			}
		})
	}
}

// A client without textDocument.inlayHint gets no provider and the IDs as code
// lenses; hover still answers. A half-typed decorator keeps the others' hints.
func TestAppIDsWithoutInlayHintsAndHalfTyped(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, shop, servertest.Config{Capabilities: func(c *protocol.ClientCapabilities) {
		c.TextDocument.CodeLens = &protocol.CodeLensClientCapabilities{}
	}})
	if p := s.Init.Capabilities.InlayHintProvider; p != nil {
		t.Fatalf("inlay hints advertised to a client that did not declare them: %+v", p)
	}
	app := s.Open("shop/app.py")
	app.WantHover("schedule", "`EveryHour`")
	lenses, err := s.Server.CodeLens(context.Background(), &protocol.CodeLensParams{TextDocument: protocol.TextDocumentIdentifier{URI: app.URI}})
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, l := range lenses {
		titles = append(titles, l.Command.Title)
	}
	if !strings.Contains(strings.Join(titles, "\n"), "EveryHour") {
		t.Errorf("app.py code lenses for a client without inlay hints: %q", titles)
	}

	s2 := servertest.Start(t, shop, servertest.Config{Capabilities: withInlayHints})
	app = s2.Open("shop/app.py")
	app.Edit(shopApp + "\r\n@app.on_sqs_message(queue='jobs', batch_size=\r\n")
	if hs := app.InlayHints(); len(hs) != 3 {
		t.Fatalf("hints of the half-typed app.py: %q", hs)
	}
	app.Edit(shopApp + "\r\n@app.on_sqs_message(queue='jobs')\r\ndef category_event_handler(event):\r\n\treturn {}\r\n")
	if hs := app.InlayHints(); len(hs) != 4 || hs[3] != "CategoryEventHandler · AWS::Serverless::Function @ @app.on_sqs_message(queue='jobs')" {
		t.Fatalf("hints after finishing the handler: %q", hs)
	}
}
