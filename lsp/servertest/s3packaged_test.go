package servertest_test

import (
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/lsp/servertest"
)

const s3App = `from chalice import Chalice

app = Chalice(app_name='webapp')


@app.route('/')
def index():
    return {'hello': 'world'}


⟦!s3-event-unsupported:SEVERITY|@app.on_s3_event(bucket='uploads')⟧
def on_upload(event):
    return None
`

// TestS3EventSeverityFollowsConstructs: an S3 event handler is information while
// nothing packages the project (chalice deploy handles it), and an error once a
// CDK construct in the workspace points at the project.
func TestS3EventSeverityFollowsConstructs(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, `
-- webapp/.chalice/config.json --
{"version": "2.0", "app_name": "webapp"}
-- webapp/app.py --
`+strings.Replace(s3App, "SEVERITY", "information", 1), servertest.Config{})
	app := s.Open("webapp/app.py")
	// One publish per analysis: the first list of this version already holds the
	// rule finding (it used to arrive after a CDK-only publish).
	if first := app.FirstDiagnostics(); len(first) != 1 || servertest.Code(first[0]) != "s3-event-unsupported" {
		t.Fatalf("first publish of app.py: %+v, want the s3-event-unsupported finding", first)
	}
	app.WantDiagnostics()

	// A CDK app appears next to the project and packages it.
	s.Create(`
-- webapp/infra/cdk.json --
{"app": "python3 app.py"}
-- webapp/infra/app.py --
import aws_cdk as cdk
from chalice.cdk import Chalice

app = cdk.App()
stack = cdk.Stack(app, 'web')
Chalice(stack, 'Web', source_dir='..')
app.synth()
`)
	app.Expect(strings.Replace(s3App, "SEVERITY", "error", 1))
	app.WantDiagnostics()
}
