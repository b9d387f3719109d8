package lsptest_test

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/discover"
	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/chalice-lsp/chalice-lsp/lsp/lsptest"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// TestCheckEqualsEditor: for every workspace under testdata/, `chalice-lsp check
// --format json` reports exactly what the server reports to an editor that opened
// the workspace folder and every file in it (each file's pulled diagnostics),
// compared as file, range, code, severity and message.
func TestCheckEqualsEditor(t *testing.T) {
	root := testenv.RepoRoot(t)
	bin := lsptest.Binary(t)
	total := 0 // findings compared over all workspaces (testdata/example is clean)
	defer func() {
		t.Logf("%d findings compared", total)
		if total < 20 {
			t.Errorf("only %d findings compared: the comparison proves little", total)
		}
	}()
	for _, ws := range []string{"apps", "cdk", "lsp", "editors", "example"} {
		t.Run(ws, func(t *testing.T) {
			dir := filepath.Join(root, "testdata", ws)
			tree, err := discover.Walk(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(tree.Files) == 0 {
				t.Fatalf("nothing found in %s", dir)
			}

			// The editor: the workspace folder open, every file opened, diagnostics pulled.
			s := lsptest.Start(t, lsptest.Config{Folders: []string{dir}, PullDiagnostics: true})
			s.Initialize()
			var editor []string
			for _, f := range tree.Files {
				s.Open(f)
			}
			for _, f := range tree.Files {
				rep, err := s.Server.Diagnostic(s.T.Context(), &protocol.DocumentDiagnosticParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(f)}})
				if err != nil {
					t.Fatalf("pull %s: %v", f, err)
				}
				full, ok := rep.(*protocol.RelatedFullDocumentDiagnosticReport)
				if !ok {
					t.Fatalf("pull %s: %#v", f, rep)
				}
				for _, d := range full.Items {
					editor = append(editor, finding(f, int(d.Range.Start.Line), int(d.Range.Start.Character), int(d.Range.End.Line), int(d.Range.End.Character),
						codeOf(d), severityName(d.Severity), msgOf(d)))
				}
			}
			s.Shutdown()
			s.Exit()

			// CI: check on the same folder.
			cmd := exec.Command(bin, "check", "--format", "json", "--fail-on", "never", ".")
			cmd.Dir = dir // paths print relative to it
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("check: %v\n%s", err, out)
			}
			var rep struct {
				Diagnostics []struct {
					File  string
					Range struct {
						Start, End struct{ Line, Character int }
					}
					Severity, Code, Message string
				}
			}
			if err := json.Unmarshal(out, &rep); err != nil {
				t.Fatalf("check output: %v\n%s", err, out)
			}
			var ci []string
			for _, d := range rep.Diagnostics {
				f := d.File
				if !filepath.IsAbs(f) {
					f = filepath.Join(dir, f)
				}
				ci = append(ci, finding(f, d.Range.Start.Line, d.Range.Start.Character, d.Range.End.Line, d.Range.End.Character, d.Code, d.Severity, d.Message))
			}
			slices.Sort(editor)
			slices.Sort(ci)
			total += len(editor)
			if !slices.Equal(editor, ci) {
				t.Errorf("check and the editor differ for testdata/%s\neditor only:\n  %s\ncheck only:\n  %s", ws,
					strings.Join(minus(editor, ci), "\n  "), strings.Join(minus(ci, editor), "\n  "))
			}
		})
	}
}

func finding(file string, sl, sc, el, ec int, code, sev, msg string) string {
	return fmt.Sprintf("%s:%d:%d-%d:%d %s %s: %s", file, sl, sc, el, ec, sev, code, msg)
}

func severityName(s protocol.DiagnosticSeverity) string {
	switch s {
	case protocol.DiagnosticSeverityWarning:
		return "warning"
	case protocol.DiagnosticSeverityInformation:
		return "information"
	case protocol.DiagnosticSeverityHint:
		return "hint"
	}
	return "error"
}

func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}
