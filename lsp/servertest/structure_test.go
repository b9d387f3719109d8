package servertest_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/lsp/servertest"
	"github.com/chalice-lsp/chalice-lsp/schema/text"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// structureConfig has CRLF line breaks, tab indentation, a blank line and astral
// characters (two UTF-16 units, one UTF-32 unit, four bytes) before the spans the
// tests look at, so a wrong position encoding shows.
const structureConfig = "{\r\n" +
	"\t\"version\": \"2.0\",\r\n" +
	"\t\"app_name\": \"\U0001F600shop\",\r\n" +
	"\t\"stages\": {\r\n" +
	"\t\t\"dev\": {\"environment_variables\": {\"\U0001D49C\": \"\u00e9⟨inString⟩\U0001F600\"},\r\n" +
	"\t\t\t\"autogen_policy\": false, \"iam_policy_file\": \"policy-\U0001F600.json\"}⟨devEnd⟩,\r\n" +
	"\r\n" +
	"\t\t\"prod\": {\r\n" +
	"\t\t\t\"api_gateway_policy_file\": \"missing.json\"\r\n" +
	"\t\t}\r\n" +
	"\t}\r\n" +
	"}\r\n"

// structureFormatted is VS Code's Format Document of structureConfig with
// json.format.keepLines, tabSize 2 and spaces (checked with
// vscode-json-languageservice 5.7.2 in bench/anchor).
const structureFormatted = "{\r\n" +
	"  \"version\": \"2.0\",\r\n" +
	"  \"app_name\": \"\U0001F600shop\",\r\n" +
	"  \"stages\": {\r\n" +
	"    \"dev\": { \"environment_variables\": { \"\U0001D49C\": \"\u00e9\U0001F600\" },\r\n" +
	"      \"autogen_policy\": false, \"iam_policy_file\": \"policy-\U0001F600.json\" },\r\n" +
	"\r\n" +
	"    \"prod\": {\r\n" +
	"      \"api_gateway_policy_file\": \"missing.json\"\r\n" +
	"    }\r\n" +
	"  }\r\n" +
	"}\r\n"

const structurePath = "shop/.chalice/config.json"

var encodings = []protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF8, protocol.PositionEncodingKindUTF16, protocol.PositionEncodingKindUTF32}

func startStructure(t *testing.T, enc protocol.PositionEncodingKind, caps func(*protocol.ClientCapabilities)) (*servertest.Session, *servertest.Doc) {
	t.Helper()
	cfg := servertest.Config{Capabilities: caps}
	if enc != "" {
		cfg.PositionEncodings = []protocol.PositionEncodingKind{enc}
	}
	s := servertest.Start(t, "-- "+structurePath+" --\n"+structureConfig+
		"-- shop/.chalice/policy-\U0001F600.json --\n{\"Version\": \"2012-10-17\", \"Statement\": []}\n"+
		"-- shop/app.py --\nfrom chalice import Chalice\napp = Chalice(app_name='shop')\n", cfg)
	return s, s.Open(structurePath)
}

func hierarchical(on bool) func(*protocol.ClientCapabilities) {
	return func(c *protocol.ClientCapabilities) {
		c.TextDocument.DocumentSymbol = &protocol.DocumentSymbolClientCapabilities{HierarchicalDocumentSymbolSupport: &on}
		c.TextDocument.FoldingRange = &protocol.FoldingRangeClientCapabilities{LineFoldingOnly: &on}
	}
}

func docID(d *servertest.Doc) protocol.TextDocumentIdentifier {
	return protocol.TextDocumentIdentifier{URI: d.URI}
}

func findSymbol(syms []protocol.DocumentSymbol, path ...string) *protocol.DocumentSymbol {
	for i := range syms {
		if syms[i].Name == path[0] {
			if len(path) == 1 {
				return &syms[i]
			}
			return findSymbol(syms[i].Children, path[1:]...)
		}
	}
	return nil
}

func TestDocumentSymbolsEncodings(t *testing.T) {
	t.Parallel()
	for _, enc := range encodings {
		t.Run(string(enc), func(t *testing.T) {
			s, cfg := startStructure(t, enc, hierarchical(true))
			if c := s.Init.Capabilities; c.DocumentSymbolProvider == nil || c.FoldingRangeProvider == nil || c.SelectionRangeProvider == nil || c.DocumentLinkProvider == nil {
				t.Fatalf("structural capabilities not advertised: %+v", c)
			}
			res, err := s.Server.DocumentSymbol(context.Background(), &protocol.DocumentSymbolParams{TextDocument: docID(cfg)})
			if err != nil {
				t.Fatal(err)
			}
			syms, ok := res.(protocol.DocumentSymbolSlice)
			if !ok {
				t.Fatalf("want hierarchical symbols, got %T", res)
			}
			var names []string
			for _, sy := range syms {
				names = append(names, sy.Name)
			}
			if !slices.Equal(names, []string{"version", "app_name", "stages"}) {
				t.Fatalf("top-level symbols %v", names)
			}
			dev := findSymbol(syms, "stages", "dev")
			if dev == nil || dev.Kind != protocol.SymbolKindObject || dev.Detail == nil || *dev.Detail != "stage" {
				t.Fatalf("stages.dev symbol: %+v", dev)
			}
			astral := findSymbol(syms, "stages", "dev", "environment_variables", "\U0001D49C")
			if astral == nil || astral.Kind != protocol.SymbolKindString {
				t.Fatalf("astral key symbol: %+v", astral)
			}
			if got := cfg.TextAt(astral.SelectionRange); got != "\"\U0001D49C\"" {
				t.Errorf("selection range of the astral key is %q", got)
			}
			if got := cfg.TextAt(astral.Range); got != "\"\U0001D49C\": \"\u00e9\U0001F600\"" {
				t.Errorf("range of the astral member is %q", got)
			}
			if got := cfg.TextAt(findSymbol(syms, "stages", "dev", "iam_policy_file").Range); got != "\"iam_policy_file\": \"policy-\U0001F600.json\"" {
				t.Errorf("range of iam_policy_file is %q", got)
			}
			if got := cfg.TextAt(findSymbol(syms, "stages").Range); !strings.HasPrefix(got, "\"stages\": {\r\n") || !strings.HasSuffix(got, "\t\t}\r\n\t}") {
				t.Errorf("stages range %q", got)
			}
		})
	}
}

func TestDocumentSymbolsFlat(t *testing.T) {
	t.Parallel()
	s, cfg := startStructure(t, "", hierarchical(false))
	res, err := s.Server.DocumentSymbol(context.Background(), &protocol.DocumentSymbolParams{TextDocument: docID(cfg)})
	if err != nil {
		t.Fatal(err)
	}
	flat, ok := res.(protocol.SymbolInformationSlice)
	if !ok {
		t.Fatalf("a client without hierarchicalDocumentSymbolSupport gets SymbolInformation[], got %T", res)
	}
	found := false
	for _, si := range flat {
		if si.Name == "\U0001D49C" {
			found = true
			if si.ContainerName == nil || *si.ContainerName != "stages.dev.environment_variables" || si.Location.URI != cfg.URI {
				t.Fatalf("flat symbol %+v", si)
			}
			if got := cfg.TextAt(si.Location.Range); got != "\"\U0001D49C\": \"\u00e9\U0001F600\"" {
				t.Fatalf("flat symbol range %q", got)
			}
		}
	}
	if !found || len(flat) != 10 {
		t.Fatalf("%d flat symbols, astral key found: %v", len(flat), found)
	}
	// Not a config.json: no symbols (Python has its own providers).
	app := s.Open("shop/app.py")
	if res, err := s.Server.DocumentSymbol(context.Background(), &protocol.DocumentSymbolParams{TextDocument: docID(app)}); err != nil || res != nil {
		t.Fatalf("app.py symbols: %v %v", res, err)
	}
}

func foldLines(frs []protocol.FoldingRange) []string {
	var out []string
	for _, f := range frs {
		out = append(out, strconv.Itoa(int(f.StartLine))+"-"+strconv.Itoa(int(f.EndLine)))
	}
	return out
}

func TestFoldingRanges(t *testing.T) {
	t.Parallel()
	for _, enc := range encodings {
		t.Run(string(enc), func(t *testing.T) {
			// Line folding (VS Code, Neovim): the closing bracket stays visible.
			s, cfg := startStructure(t, enc, hierarchical(true))
			frs, err := s.Server.FoldingRanges(context.Background(), &protocol.FoldingRangeParams{TextDocument: docID(cfg)})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range frs {
				if f.StartCharacter != nil || f.EndCharacter != nil {
					t.Fatalf("lineFoldingOnly client got characters: %+v", f)
				}
			}
			// dev (lines 4-5) closes on the next line: nothing to fold with lines only.
			if got := foldLines(frs); !slices.Equal(got, []string{"7-8", "3-9", "0-10"}) {
				t.Fatalf("line folds %v", got)
			}
			// A client that folds characters: the fold hides [after '{', before '}').
			s2, cfg2 := startStructure(t, enc, hierarchical(false))
			frs, err = s2.Server.FoldingRanges(context.Background(), &protocol.FoldingRangeParams{TextDocument: docID(cfg2)})
			if err != nil {
				t.Fatal(err)
			}
			if got := foldLines(frs); !slices.Equal(got, []string{"4-5", "7-9", "3-10", "0-11"}) {
				t.Fatalf("character folds %v", got)
			}
			// dev's fold ends just before its '}' (⟨devEnd⟩ is after it).
			wantEnd := cfg2.Pos("devEnd").Character - 1
			if dev := frs[0]; dev.StartCharacter == nil || *dev.StartCharacter != 10 || dev.EndCharacter == nil || *dev.EndCharacter != wantEnd {
				t.Fatalf("dev fold characters %v-%v, want 10-%d", dev.StartCharacter, dev.EndCharacter, wantEnd)
			}
		})
	}
}

func TestSelectionRanges(t *testing.T) {
	t.Parallel()
	for _, enc := range encodings {
		t.Run(string(enc), func(t *testing.T) {
			s, cfg := startStructure(t, enc, nil)
			res, err := s.Server.SelectionRange(context.Background(), &protocol.SelectionRangeParams{TextDocument: docID(cfg), Positions: []protocol.Position{cfg.Pos("inString")}})
			if err != nil || len(res) != 1 {
				t.Fatalf("selection ranges: %v %v", res, err)
			}
			var chain []string
			for r := &res[0]; r != nil; r = r.Parent {
				chain = append(chain, cfg.TextAt(r.Range))
			}
			want := []string{"\u00e9\U0001F600", "\"\u00e9\U0001F600\"", "\"\U0001D49C\": \"\u00e9\U0001F600\"", "{\"\U0001D49C\": \"\u00e9\U0001F600\"}"}
			if len(chain) < 8 || !slices.Equal(chain[:4], want) || chain[len(chain)-1] != cfg.Text {
				t.Fatalf("selection chain: %q", chain)
			}
		})
	}
}

func format(t *testing.T, s *servertest.Session, d *servertest.Doc, r *protocol.Range) []protocol.TextEdit {
	t.Helper()
	opts := protocol.FormattingOptions{TabSize: 2, InsertSpaces: true}
	var edits []protocol.TextEdit
	var err error
	if r == nil {
		edits, err = s.Server.Formatting(context.Background(), &protocol.DocumentFormattingParams{TextDocument: docID(d), Options: opts})
	} else {
		edits, err = s.Server.RangeFormatting(context.Background(), &protocol.DocumentRangeFormattingParams{TextDocument: docID(d), Range: *r, Options: opts})
	}
	if err != nil {
		t.Fatalf("formatting: %v", err)
	}
	return edits
}

// applyEdits applies LSP edits (positions in the session's encoding) to the document's text.
func applyEdits(s *servertest.Session, d *servertest.Doc, edits []protocol.TextEdit) string {
	m := text.NewMapper([]byte(d.Text))
	off := func(p protocol.Position) int {
		return m.Offset(text.Position{Line: int(p.Line), Character: int(p.Character)}, s.Encoding())
	}
	type e struct {
		start, end int
		text       string
	}
	var es []e
	for _, ed := range edits {
		es = append(es, e{off(ed.Range.Start), off(ed.Range.End), ed.NewText})
	}
	slices.SortStableFunc(es, func(a, b e) int { return a.start - b.start })
	var b strings.Builder
	last := 0
	for _, x := range es {
		b.WriteString(d.Text[last:x.start])
		b.WriteString(x.text)
		last = x.end
	}
	b.WriteString(d.Text[last:])
	return b.String()
}

func TestFormatting(t *testing.T) {
	t.Parallel()
	for _, enc := range encodings {
		t.Run(string(enc), func(t *testing.T) {
			s, cfg := startStructure(t, enc, nil)
			if s.Init.Capabilities.DocumentFormattingProvider == nil || s.Init.Capabilities.DocumentRangeFormattingProvider == nil {
				t.Fatal("a client without dynamic registration gets static formatting capabilities")
			}
			if got := applyEdits(s, cfg, format(t, s, cfg, nil)); got != structureFormatted {
				t.Fatalf("formatted:\n%q\nwant\n%q", got, structureFormatted)
			}
			// Range formatting of lines 4-5 (dev): edits only inside the range.
			r := protocol.Range{Start: protocol.Position{Line: 4}, End: cfg.Pos("devEnd")}
			edits := format(t, s, cfg, &r)
			if len(edits) == 0 {
				t.Fatal("no range formatting edits")
			}
			before := func(a, b protocol.Position) bool {
				return a.Line < b.Line || a.Line == b.Line && a.Character < b.Character
			}
			for _, e := range edits {
				if before(e.Range.Start, r.Start) || before(r.End, e.Range.End) {
					t.Fatalf("edit %+v outside the range %+v", e, r)
				}
			}
			gotLines := strings.Split(applyEdits(s, cfg, edits), "\r\n")
			wantLines := strings.Split(structureFormatted, "\r\n")
			if gotLines[4] != wantLines[4] || !strings.HasPrefix(wantLines[5], strings.TrimRight(gotLines[5], " ")) || gotLines[7] != "\t\t\"prod\": {" {
				t.Fatalf("range formatted:\n%s", strings.Join(gotLines, "\n"))
			}
		})
	}
}

func TestFormattingRefusesSyntaxErrors(t *testing.T) {
	t.Parallel()
	s, cfg := startStructure(t, "", nil)
	cfg.Edit(strings.Replace(structureConfig, "\"2.0\",", "\"2.0\",,", 1))
	if edits := format(t, s, cfg, nil); len(edits) != 0 {
		t.Fatalf("a document with a syntax error was formatted: %+v", edits)
	}
	s.AwaitMessage("not formatted", "line 2, column 19")
	// The structure of the half-typed document is still there.
	res, err := s.Server.DocumentSymbol(context.Background(), &protocol.DocumentSymbolParams{TextDocument: docID(cfg)})
	if err != nil {
		t.Fatal(err)
	}
	if flat, _ := res.(protocol.SymbolInformationSlice); len(flat) != 10 {
		t.Fatalf("symbols of the broken document: %+v", res)
	}
	cfg.Edit("{\r\n\t\"stages\": {\r\n\t\t\"dev\": {\r\n\t\t\t\"la⟨key⟩mbda_")
	frs, err := s.Server.FoldingRanges(context.Background(), &protocol.FoldingRangeParams{TextDocument: docID(cfg)})
	if err != nil || len(frs) != 3 {
		t.Fatalf("folds of a half-typed document: %+v %v", frs, err)
	}
	// Selection ranges on the half-typed key: the key, its member, and up to the document.
	res2, err := s.Server.SelectionRange(context.Background(), &protocol.SelectionRangeParams{TextDocument: docID(cfg), Positions: []protocol.Position{cfg.Pos("key")}})
	if err != nil || len(res2) != 1 {
		t.Fatalf("selection ranges of a half-typed document: %v %v", res2, err)
	}
	var chain []string
	for r := &res2[0]; r != nil; r = r.Parent {
		chain = append(chain, cfg.TextAt(r.Range))
	}
	if chain[0] != "\"lambda_" || chain[len(chain)-1] != cfg.Text || len(chain) < 4 {
		t.Fatalf("half-typed selection chain: %q", chain)
	}
}

func TestFormattingDynamicRegistration(t *testing.T) {
	t.Parallel()
	yes := true
	s, _ := startStructure(t, "", func(c *protocol.ClientCapabilities) {
		c.TextDocument.Formatting = &protocol.DocumentFormattingClientCapabilities{DynamicRegistration: &yes}
		c.TextDocument.RangeFormatting = &protocol.DocumentRangeFormattingClientCapabilities{DynamicRegistration: &yes}
	})
	if s.Init.Capabilities.DocumentFormattingProvider != nil {
		t.Fatal("formatting advertised statically to a client that registers it dynamically (it would cover Python too)")
	}
	s.AwaitRegistration("textDocument/formatting", "textDocument/rangeFormatting")
}

func TestDocumentLinks(t *testing.T) {
	t.Parallel()
	for _, enc := range encodings {
		t.Run(string(enc), func(t *testing.T) {
			s, cfg := startStructure(t, enc, nil)
			links, err := s.Server.DocumentLink(context.Background(), &protocol.DocumentLinkParams{TextDocument: docID(cfg)})
			if err != nil {
				t.Fatal(err)
			}
			// missing.json does not exist: no link (it has a diagnostic instead).
			if len(links) != 1 {
				t.Fatalf("links: %+v", links)
			}
			if got := cfg.TextAt(links[0].Range); got != "policy-\U0001F600.json" {
				t.Fatalf("link range covers %q", got)
			}
			if want := uri.File(s.Path("shop/.chalice/policy-\U0001F600.json")); links[0].Target == nil || *links[0].Target != want {
				t.Fatalf("link target %v, want %v", links[0].Target, want)
			}
		})
	}
}
