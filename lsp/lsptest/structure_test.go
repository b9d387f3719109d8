package lsptest_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/lsp/lsptest"
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
	"\t\t\"dev\": {\"environment_variables\": {\"\U0001D49C\": \"\u00e9\U0001F600\"},\r\n" +
	"\t\t\t\"autogen_policy\": false, \"iam_policy_file\": \"policy-\U0001F600.json\"},\r\n" +
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

func startStructure(t *testing.T, enc protocol.PositionEncodingKind, caps func(*protocol.ClientCapabilities)) (*lsptest.Session, string) {
	dir := lsptest.CopyTree(t, "testdata/lsp/webapp")
	cfgPath := filepath.Join(dir, ".chalice", "config.json")
	if err := os.WriteFile(cfgPath, []byte(structureConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".chalice", "policy-\U0001F600.json"), []byte(`{"Version": "2012-10-17", "Statement": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := lsptest.Config{Folders: []string{dir}, Capabilities: caps}
	if enc != "" {
		cfg.PositionEncodings = []protocol.PositionEncodingKind{enc}
	}
	s := lsptest.Start(t, cfg)
	s.Initialize()
	s.Open(cfgPath)
	return s, cfgPath
}

func hierarchical(on bool) func(*protocol.ClientCapabilities) {
	return func(c *protocol.ClientCapabilities) {
		c.TextDocument.DocumentSymbol = &protocol.DocumentSymbolClientCapabilities{HierarchicalDocumentSymbolSupport: &on}
		c.TextDocument.FoldingRange = &protocol.FoldingRangeClientCapabilities{LineFoldingOnly: &on}
	}
}

var encodings = []protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF8, protocol.PositionEncodingKindUTF16, protocol.PositionEncodingKindUTF32}

// textOf returns the text of a range of the open document.
func textOf(s *lsptest.Session, path string, r protocol.Range) string {
	c := s.Content(path)
	return c[s.Offset(path, r.Start):s.Offset(path, r.End)]
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
	for _, enc := range encodings {
		t.Run(string(enc), func(t *testing.T) {
			s, cfgPath := startStructure(t, enc, hierarchical(true))
			if s.Init.Capabilities.DocumentSymbolProvider == nil || s.Init.Capabilities.FoldingRangeProvider == nil ||
				s.Init.Capabilities.SelectionRangeProvider == nil || s.Init.Capabilities.DocumentLinkProvider == nil {
				t.Fatalf("structural capabilities not advertised: %+v", s.Init.Capabilities)
			}
			res, err := s.Server.DocumentSymbol(ctxOf(t), &protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(cfgPath)}})
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
			if got := textOf(s, cfgPath, astral.SelectionRange); got != "\"\U0001D49C\"" {
				t.Fatalf("selection range of the astral key is %q", got)
			}
			if got := textOf(s, cfgPath, astral.Range); got != "\"\U0001D49C\": \"\u00e9\U0001F600\"" {
				t.Fatalf("range of the astral member is %q", got)
			}
			if got := textOf(s, cfgPath, findSymbol(syms, "stages", "dev", "iam_policy_file").Range); got != "\"iam_policy_file\": \"policy-\U0001F600.json\"" {
				t.Fatalf("range of iam_policy_file is %q", got)
			}
			stages := findSymbol(syms, "stages")
			if got := textOf(s, cfgPath, stages.Range); !strings.HasPrefix(got, "\"stages\": {\r\n") || !strings.HasSuffix(got, "\t\t}\r\n\t}") {
				t.Fatalf("stages range %q", got)
			}
		})
	}
}

func TestDocumentSymbolsFlat(t *testing.T) {
	s, cfgPath := startStructure(t, "", hierarchical(false))
	res, err := s.Server.DocumentSymbol(ctxOf(t), &protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(cfgPath)}})
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
			if si.ContainerName == nil || *si.ContainerName != "stages.dev.environment_variables" || si.Location.URI != uri.File(cfgPath) {
				t.Fatalf("flat symbol %+v", si)
			}
			if got := textOf(s, cfgPath, si.Location.Range); got != "\"\U0001D49C\": \"\u00e9\U0001F600\"" {
				t.Fatalf("flat symbol range %q", got)
			}
		}
	}
	if !found || len(flat) != 10 {
		t.Fatalf("%d flat symbols, astral key found: %v", len(flat), found)
	}
	// Not a config.json: no symbols (Python has its own providers).
	app := filepath.Join(filepath.Dir(filepath.Dir(cfgPath)), "app.py")
	s.Open(app)
	if res, err := s.Server.DocumentSymbol(ctxOf(t), &protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(app)}}); err != nil || res != nil {
		t.Fatalf("app.py symbols: %v %v", res, err)
	}
}

func TestFoldingRanges(t *testing.T) {
	for _, enc := range encodings {
		t.Run(string(enc), func(t *testing.T) {
			// Line folding (VS Code, Neovim): the closing bracket stays visible.
			s, cfgPath := startStructure(t, enc, hierarchical(true))
			frs, err := s.Server.FoldingRanges(ctxOf(t), &protocol.FoldingRangeParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(cfgPath)}})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range frs {
				got = append(got, rangeLines(f))
				if f.StartCharacter != nil || f.EndCharacter != nil {
					t.Fatalf("lineFoldingOnly client got characters: %+v", f)
				}
			}
			// dev (lines 4-5) closes on the next line: nothing to fold with lines only.
			if !slices.Equal(got, []string{"7-8", "3-9", "0-10"}) {
				t.Fatalf("line folds %v", got)
			}
			// A client that folds characters: the fold hides [after '{', before '}').
			s2, cfgPath2 := startStructure(t, enc, hierarchical(false))
			frs, err = s2.Server.FoldingRanges(ctxOf(t), &protocol.FoldingRangeParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(cfgPath2)}})
			if err != nil {
				t.Fatal(err)
			}
			got = nil
			for _, f := range frs {
				got = append(got, rangeLines(f))
			}
			if !slices.Equal(got, []string{"4-5", "7-9", "3-10", "0-11"}) {
				t.Fatalf("character folds %v", got)
			}
			dev := frs[0]
			// Line 5 is "\t\t\t\"autogen_policy\": false, \"iam_policy_file\": \"policy-😀.json\"}".
			line5 := "\t\t\t\"autogen_policy\": false, \"iam_policy_file\": \"policy-\U0001F600.json\""
			wantEnd := text.NewMapper([]byte(line5)).Position(len(line5), s2.Enc).Character
			if dev.StartCharacter == nil || *dev.StartCharacter != 10 || dev.EndCharacter == nil || int(*dev.EndCharacter) != wantEnd {
				t.Fatalf("dev fold characters %v-%v, want 10-%d", dev.StartCharacter, dev.EndCharacter, wantEnd)
			}
		})
	}
}

func rangeLines(f protocol.FoldingRange) string {
	return strconv.Itoa(int(f.StartLine)) + "-" + strconv.Itoa(int(f.EndLine))
}

func ctxOf(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), lsptest.Timeout)
	t.Cleanup(cancel)
	return ctx
}

func TestSelectionRanges(t *testing.T) {
	for _, enc := range encodings {
		t.Run(string(enc), func(t *testing.T) {
			s, cfgPath := startStructure(t, enc, nil)
			pos := s.Pos(cfgPath, "\U0001F600\"}", 0) // inside "é😀", before the emoji
			res, err := s.Server.SelectionRange(ctxOf(t), &protocol.SelectionRangeParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(cfgPath)}, Positions: []protocol.Position{pos}})
			if err != nil || len(res) != 1 {
				t.Fatalf("selection ranges: %v %v", res, err)
			}
			var chain []string
			for r := &res[0]; r != nil; r = r.Parent {
				chain = append(chain, textOf(s, cfgPath, r.Range))
			}
			want := []string{"\u00e9\U0001F600", "\"\u00e9\U0001F600\"", "\"\U0001D49C\": \"\u00e9\U0001F600\"", "{\"\U0001D49C\": \"\u00e9\U0001F600\"}"}
			if len(chain) < 8 || !slices.Equal(chain[:4], want) || chain[len(chain)-1] != structureConfig {
				t.Fatalf("selection chain: %q", chain)
			}
		})
	}
}

func format(t *testing.T, s *lsptest.Session, path string, r *protocol.Range) []protocol.TextEdit {
	t.Helper()
	opts := protocol.FormattingOptions{TabSize: 2, InsertSpaces: true}
	var edits []protocol.TextEdit
	var err error
	if r == nil {
		edits, err = s.Server.Formatting(ctxOf(t), &protocol.DocumentFormattingParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(path)}, Options: opts})
	} else {
		edits, err = s.Server.RangeFormatting(ctxOf(t), &protocol.DocumentRangeFormattingParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(path)}, Range: *r, Options: opts})
	}
	if err != nil {
		t.Fatalf("formatting: %v", err)
	}
	return edits
}

// applyEdits applies LSP edits (positions in the session's encoding) to the open document.
func applyEdits(s *lsptest.Session, path string, edits []protocol.TextEdit) string {
	c := s.Content(path)
	type e struct {
		start, end int
		text       string
	}
	var es []e
	for _, ed := range edits {
		es = append(es, e{s.Offset(path, ed.Range.Start), s.Offset(path, ed.Range.End), ed.NewText})
	}
	slices.SortStableFunc(es, func(a, b e) int { return a.start - b.start })
	var b strings.Builder
	last := 0
	for _, x := range es {
		b.WriteString(c[last:x.start])
		b.WriteString(x.text)
		last = x.end
	}
	b.WriteString(c[last:])
	return b.String()
}

func TestFormatting(t *testing.T) {
	for _, enc := range encodings {
		t.Run(string(enc), func(t *testing.T) {
			s, cfgPath := startStructure(t, enc, nil)
			if s.Init.Capabilities.DocumentFormattingProvider == nil || s.Init.Capabilities.DocumentRangeFormattingProvider == nil {
				t.Fatal("a client without dynamic registration gets static formatting capabilities")
			}
			if got := applyEdits(s, cfgPath, format(t, s, cfgPath, nil)); got != structureFormatted {
				t.Fatalf("formatted:\n%q\nwant\n%q", got, structureFormatted)
			}
			// Range formatting of lines 4-5 (dev): edits only inside the range.
			r := protocol.Range{Start: protocol.Position{Line: 4}, End: s.Pos(cfgPath, "\U0001F600.json\"}", len("\U0001F600.json\"}"))}
			edits := format(t, s, cfgPath, &r)
			if len(edits) == 0 {
				t.Fatal("no range formatting edits")
			}
			for _, e := range edits {
				if s.Offset(cfgPath, e.Range.Start) < s.Offset(cfgPath, r.Start) || s.Offset(cfgPath, e.Range.End) > s.Offset(cfgPath, r.End) {
					t.Fatalf("edit %+v outside the range %+v", e, r)
				}
			}
			got := applyEdits(s, cfgPath, edits)
			wantLines := strings.Split(structureFormatted, "\r\n")
			gotLines := strings.Split(got, "\r\n")
			if gotLines[4] != wantLines[4] || !strings.HasPrefix(wantLines[5], strings.TrimRight(gotLines[5], " ")) || gotLines[7] != "\t\t\"prod\": {" {
				t.Fatalf("range formatted:\n%s", got)
			}
		})
	}
}

func TestFormattingRefusesSyntaxErrors(t *testing.T) {
	s, cfgPath := startStructure(t, "", nil)
	half := strings.Replace(structureConfig, "\"2.0\",", "\"2.0\",,", 1)
	s.Edit(cfgPath, half)
	if edits := format(t, s, cfgPath, nil); len(edits) != 0 {
		t.Fatalf("a document with a syntax error was formatted: %+v", edits)
	}
	s.Await("a message saying why nothing was formatted", func(st *lsptest.State) bool {
		return slices.ContainsFunc(st.Messages, func(m string) bool {
			return strings.Contains(m, "not formatted") && strings.Contains(m, "line 2, column 19")
		})
	})
	// The structure of the half-typed document is still there.
	res, err := s.Server.DocumentSymbol(ctxOf(t), &protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(cfgPath)}})
	if err != nil {
		t.Fatal(err)
	}
	if flat, _ := res.(protocol.SymbolInformationSlice); len(flat) != 10 {
		t.Fatalf("symbols of the broken document: %+v", res)
	}
	s.Edit(cfgPath, "{\r\n\t\"stages\": {\r\n\t\t\"dev\": {\r\n\t\t\t\"lambda_")
	frs, err := s.Server.FoldingRanges(ctxOf(t), &protocol.FoldingRangeParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(cfgPath)}})
	if err != nil || len(frs) != 3 {
		t.Fatalf("folds of a half-typed document: %+v %v", frs, err)
	}
	// Selection ranges on the half-typed key: the key, its member, and up to the document.
	res2, err := s.Server.SelectionRange(ctxOf(t), &protocol.SelectionRangeParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(cfgPath)},
		Positions: []protocol.Position{s.Pos(cfgPath, "lambda_", 3)}})
	if err != nil || len(res2) != 1 {
		t.Fatalf("selection ranges of a half-typed document: %v %v", res2, err)
	}
	var chain []string
	for r := &res2[0]; r != nil; r = r.Parent {
		chain = append(chain, textOf(s, cfgPath, r.Range))
	}
	if chain[0] != "\"lambda_" || chain[len(chain)-1] != s.Content(cfgPath) || len(chain) < 4 {
		t.Fatalf("half-typed selection chain: %q", chain)
	}
}

func TestFormattingDynamicRegistration(t *testing.T) {
	yes := true
	s, _ := startStructure(t, "", func(c *protocol.ClientCapabilities) {
		c.TextDocument.Formatting = &protocol.DocumentFormattingClientCapabilities{DynamicRegistration: &yes}
		c.TextDocument.RangeFormatting = &protocol.DocumentRangeFormattingClientCapabilities{DynamicRegistration: &yes}
	})
	if s.Init.Capabilities.DocumentFormattingProvider != nil {
		t.Fatal("formatting advertised statically to a client that registers it dynamically (it would cover Python too)")
	}
	s.Await("formatting registered for config.json", func(st *lsptest.State) bool {
		return slices.Contains(st.Registrations, "textDocument/formatting") && slices.Contains(st.Registrations, "textDocument/rangeFormatting")
	})
}

func TestDocumentLinks(t *testing.T) {
	for _, enc := range encodings {
		t.Run(string(enc), func(t *testing.T) {
			s, cfgPath := startStructure(t, enc, nil)
			links, err := s.Server.DocumentLink(ctxOf(t), &protocol.DocumentLinkParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(cfgPath)}})
			if err != nil {
				t.Fatal(err)
			}
			// missing.json does not exist: no link (it has a diagnostic instead).
			if len(links) != 1 {
				t.Fatalf("links: %+v", links)
			}
			if got := textOf(s, cfgPath, links[0].Range); got != "policy-\U0001F600.json" {
				t.Fatalf("link range covers %q", got)
			}
			if want := uri.File(filepath.Join(filepath.Dir(cfgPath), "policy-\U0001F600.json")); links[0].Target == nil || *links[0].Target != want {
				t.Fatalf("link target %v, want %v", links[0].Target, want)
			}
		})
	}
}
