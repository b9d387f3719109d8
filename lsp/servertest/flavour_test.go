package servertest_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/lsp/servertest"
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
