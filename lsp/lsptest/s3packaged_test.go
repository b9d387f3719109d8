package lsptest_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/lsp/lsptest"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// TestS3EventSeverityFollowsConstructs: an S3 event handler is information
// while nothing packages the project (`chalice deploy` handles it), and an
// error once a CDK construct in the workspace points at the project.
func TestS3EventSeverityFollowsConstructs(t *testing.T) {
	s, dir := startFixture(t, "testdata/lsp/webapp", lsptest.Config{})
	appPy := filepath.Join(dir, "app.py")
	orig, _ := os.ReadFile(appPy)
	src := string(orig) + "\n\n@app.on_s3_event(bucket='uploads')\ndef on_upload(event):\n    return None\n"
	u := s.Open(appPy, src)
	severity := func(st *lsptest.State) protocol.DiagnosticSeverity {
		if d := hasCode(st.Diagnostics[u], "s3-event-unsupported"); d != nil {
			return d.Severity
		}
		return 0
	}
	s.Await("s3 event as information", func(st *lsptest.State) bool {
		return severity(st) == protocol.DiagnosticSeverityInformation
	})
	d := hasCode(s.Diagnostics(appPy), "s3-event-unsupported")
	if got := src[s.Offset(appPy, d.Range.Start):s.Offset(appPy, d.Range.End)]; got != "@app.on_s3_event(bucket='uploads')" {
		t.Fatalf("diagnostic on %q", got)
	}

	// A CDK app appears next to the project and packages it.
	infra := filepath.Join(dir, "infra")
	os.MkdirAll(infra, 0o755)
	os.WriteFile(filepath.Join(infra, "cdk.json"), []byte(`{"app": "python3 app.py"}`), 0o644)
	stack := filepath.Join(infra, "app.py")
	os.WriteFile(stack, []byte("import aws_cdk as cdk\nfrom chalice.cdk import Chalice\n\napp = cdk.App()\nstack = cdk.Stack(app, 'web')\nChalice(stack, 'Web', source_dir='..')\napp.synth()\n"), 0o644)
	var evs []protocol.FileEvent
	for _, p := range []string{filepath.Join(infra, "cdk.json"), stack} {
		evs = append(evs, protocol.FileEvent{URI: uri.File(p), Type: protocol.FileChangeTypeCreated})
	}
	if err := s.Server.DidChangeWatchedFiles(s.T.Context(), &protocol.DidChangeWatchedFilesParams{Changes: evs}); err != nil {
		t.Fatal(err)
	}
	s.Await("s3 event as an error", func(st *lsptest.State) bool {
		return severity(st) == protocol.DiagnosticSeverityError
	})
	if code := s.Shutdown(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
}
