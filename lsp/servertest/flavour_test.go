package servertest_test

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/chalice-lsp/chalice-lsp/lsp/servertest"
	"go.lsp.dev/protocol"
)

// TestIDCallReceivers: a file holding two constructs over two different apps
// (testdata/lsp/flavours: runtime has Worker, mailer has Mailer); each logical-ID
// call is checked against the construct its receiver was assigned from, not the
// closest construct call before it.
func TestIDCallReceivers(t *testing.T) {
	t.Parallel()
	archive := strings.NewReplacer(
		"self.web.get_function('Worker')", "self.web.get_function('⟨web⟩Worker')",
		"mail.get_function('Mailer')", "mail.get_function('⟨mail⟩Mailer')",
		`web.GetFunction(jsii.String("Worker"))`, `web.GetFunction(jsii.String("⟨web⟩Worker"))`,
		`mail.GetFunction(jsii.String("Mailer"))`, `mail.GetFunction(jsii.String("⟨mail⟩Mailer"))`,
	).Replace(servertest.ArchiveDir(t, "testdata/lsp/flavours"))
	s := servertest.Start(t, archive, servertest.Config{})
	for file, mailStage := range map[string]string{"infra-py/two_stack.py": "two", "infra-go/main.go": "mail-prod"} {
		d := s.Open(file)
		for _, g := range d.Diagnostics() {
			if c := servertest.Code(g); c == "unknown-logical-id" || c == "wrong-resource-kind" {
				t.Errorf("%s: %s", file, servertest.Message(g))
			}
		}
		d.WantCompletion("web", []string{"Worker"}, []string{"Mailer"})
		if got := d.Completion("mail").Labels(); !slices.Equal(got, []string{"Mailer"}) {
			t.Errorf("%s: completion on the mail construct: %q, want only Mailer", file, got)
		}
		d.WantHover("mail", "Chalice stage: `"+mailStage+"`")
	}
}

// TestStageFollowsEntry: the stage of a construct comes from the stack id in the
// CDK app's entry file; editing that file (unsaved) moves the construct's stage.
func TestStageFollowsEntry(t *testing.T) {
	t.Parallel()
	archive := strings.Replace(servertest.ArchiveDir(t, "testdata/lsp/flavours"),
		"self.chalice.get_function('Worker')", "self.chalice.get_function('⟨worker⟩Worker')", 1)
	s := servertest.Start(t, archive, servertest.Config{})
	py := s.Open("infra-py/builtin_stack.py")
	py.WantHover("worker", "Chalice stage: `web`")
	entry := s.Open("infra-py/app.py")
	entry.Edit(strings.Replace(entry.Text, "BuiltinStack(app, 'web')", "BuiltinStack(app, 'staging')", 1))
	// Notifications are handled in order before later requests: no waiting needed.
	py.WantHover("worker", "Chalice stage: `staging` (from the stack id \"staging\" in app.py)")
}

// TestStageConfigFlavours: testdata/lsp/flavours packages one Chalice app
// (config: lambda_timeout 20 at the top, stages.web.lambda_memory_size 256) with
// each construct flavour, every construct in a stack whose id is "web", and every
// stage_config setting lambda_functions.worker.lambda_timeout = 120. The flavours
// treat that differently: chalice.cdk.Chalice ignores it (aws/chalice#1998),
// cdk_chalice.Chalice writes the stage_config as stages.web (so the file's memory
// 256 is gone), the Go construct deep-merges it into stages.web. Hover,
// diagnostics, the effective-config preview and real packaging must agree.
func TestStageConfigFlavours(t *testing.T) {
	t.Parallel()
	testenv.Chalice(t)
	archive := strings.NewReplacer(
		"get_function('Worker')", "get_function('⟨worker⟩Worker')",
		"get_resource('Worker')", "get_resource('⟨worker⟩Worker')",
		`GetFunction(jsii.String("Worker"))`, `GetFunction(jsii.String("⟨worker⟩Worker"))`,
		"'lambda_timeout'", "'⟨key⟩lambda_timeout'",
		`"lambda_timeout": 120`, `"⟨key⟩lambda_timeout": 120`,
	).Replace(servertest.ArchiveDir(t, "testdata/lsp/flavours"))
	s := servertest.Start(t, archive, servertest.Config{Settings: map[string]any{"python": testenv.Venv(t)}, MessageAnswer: "Package anyway"})
	for _, tc := range []struct {
		file, flavour, timeout, memory string
		// What real `chalice package` puts into the Worker function.
		pkgTimeout, pkgMemory float64
	}{
		{"infra-py/builtin_stack.py", "chalice.cdk", "Timeout: 20 s (from top level)", "Memory: 256 MB (from stages.web)", 20, 256},
		{"infra-py/cdkchalice_stack.py", "cdk_chalice", "Timeout: 120 s (from stage_config lambda_functions.worker (written as stages.web.lambda_functions.worker))", "Memory: 128 MB (from build-time default)", 120, 128},
		{"infra-go/main.go", "Go", "Timeout: 120 s (from stage_config lambda_functions.worker (merged into stages.web.lambda_functions.worker))", "Memory: 256 MB (from stages.web)", 120, 256},
	} {
		d := s.Open(tc.file)
		d.WantHover("worker", tc.timeout, tc.memory, "Chalice stage: `web` (from the stack id")
		// Hover on lambda_timeout inside the stage_config literal.
		kh := d.WantHover("key", "(stage `web`, from the stack id")
		if ignored := strings.Contains(kh, "**Ignored:**"); ignored != (tc.flavour == "chalice.cdk") {
			t.Errorf("%s: hover on stage_config lambda_functions.worker.lambda_timeout, ignored note = %v:\n%s", tc.flavour, ignored, kh)
		}
		if want := "`worker`: `120`"; (tc.flavour != "chalice.cdk") != strings.Contains(kh, want) {
			t.Errorf("%s: effective value in the key hover (want %q only when honoured):\n%s", tc.flavour, want, kh)
		}
		// Only chalice.cdk gets the #1998 warning.
		warned := false
		for _, g := range d.Diagnostics() {
			warned = warned || servertest.Code(g) == "stage-config-lambda-functions-ignored"
		}
		if warned != (tc.flavour == "chalice.cdk") {
			t.Errorf("%s: #1998 warning %v, want it only for chalice.cdk", tc.flavour, warned)
		}

		// Preview effective config on the construct call.
		var preview struct {
			Stage     string `json:"stage"`
			Functions []struct {
				Name   string `json:"name"`
				Values []struct {
					Key   string `json:"key"`
					Value any    `json:"value"`
				} `json:"values"`
			} `json:"functions"`
		}
		readJSONFile(t, constructCommand(s, d, "chalice-lsp.previewEffectiveConfig"), &preview)
		wantTimeout := 120.0
		if tc.flavour == "chalice.cdk" {
			wantTimeout = 20
		}
		var gotTimeout any
		for _, f := range preview.Functions {
			for _, v := range f.Values {
				if f.Name == "worker" && v.Key == "lambda_timeout" {
					gotTimeout = v.Value
				}
			}
		}
		if preview.Stage != "web" || gotTimeout != wantTimeout {
			t.Errorf("%s: effective config preview: stage %q, worker lambda_timeout %v, want web and %v", tc.flavour, preview.Stage, gotTimeout, wantTimeout)
		}

		// Package & preview: the template agrees with what hover predicted.
		var tmpl struct {
			Resources map[string]struct {
				Properties struct {
					Timeout    float64 `json:"Timeout"`
					MemorySize float64 `json:"MemorySize"`
				} `json:"Properties"`
			} `json:"Resources"`
		}
		readJSONFile(t, constructCommand(s, d, "chalice-lsp.packagePreview"), &tmpl)
		if p := tmpl.Resources["Worker"].Properties; p.Timeout != tc.pkgTimeout || p.MemorySize != tc.pkgMemory {
			t.Errorf("%s: packaged Worker has Timeout %v, MemorySize %v; want %v, %v", tc.flavour, p.Timeout, p.MemorySize, tc.pkgTimeout, tc.pkgMemory)
		}
	}
}

// constructCommand runs a command on the document's first construct call and
// returns the path of the file it wrote.
func constructCommand(s *servertest.Session, d *servertest.Doc, command string) string {
	s.T.Helper()
	off := strings.Index(d.Text, "Chalice(")
	arg, _ := json.Marshal(map[string]any{"uri": string(d.URI), "offset": off})
	var res struct {
		Path string `json:"path"`
	}
	s.ExecuteCommand(protocol.Command{Command: command, Arguments: []protocol.LSPAny{arg}}, &res)
	return res.Path
}

func readJSONFile(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v\n%s", path, err, b)
	}
}
