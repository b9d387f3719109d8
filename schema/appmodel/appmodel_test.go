package appmodel

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
)

func testApps(t testing.TB) []string {
	dirs, err := filepath.Glob(filepath.Join(testenv.RepoRoot(t), "testdata", "apps", "*", "app.py"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no test apps under testdata/apps: %v", err)
	}
	for i := range dirs {
		dirs[i] = filepath.Dir(dirs[i])
	}
	return dirs
}

// chaliceScript imports each app with Chalice itself and lists its handlers
// as "<config name> <kind> <python func> <module>".
const chaliceScript = `
import importlib.util, json, sys
from chalice import app as capp
kinds = {
    capp.S3EventConfig: 's3_event', capp.SNSEventConfig: 'sns',
    capp.SQSEventConfig: 'sqs', capp.CloudWatchEventConfig: 'cw_event',
    capp.ScheduledEventConfig: 'schedule', capp.KinesisEventConfig: 'kinesis',
    capp.DynamoDBEventConfig: 'dynamodb',
}
ws = {'$connect': ('websocket_connect', 'ws_connect'),
      '$default': ('websocket_message', 'ws_message'),
      '$disconnect': ('websocket_disconnect', 'ws_disconnect')}
out = {}
for d in json.load(sys.stdin):
    for m in [k for k in sys.modules if k == 'chalicelib' or k.startswith('chalicelib.')]:
        del sys.modules[m]
    sys.path.insert(0, d)
    spec = importlib.util.spec_from_file_location('app', d + '/app.py')
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    sys.path.pop(0)
    a = mod.app
    hs = []
    views = set()
    for path, methods in a.routes.items():
        for entry in methods.values():
            views.add(entry.view_function.__name__)
    for v in views:
        hs.append(['api_handler', 'route', v])
    for auth in a.builtin_auth_handlers:
        hs.append([auth.name, 'authorizer', auth.handler_string.split('.')[-1]])
    for f in a.pure_lambda_functions:
        hs.append([f.name, 'lambda_function', f.handler_string.split('.')[-1]])
    for e in a.event_sources:
        hs.append([e.name, kinds[type(e)], e.handler_string.split('.')[-1]])
    for h in a.websocket_handlers.values():
        name, kind = ws[h.route_key_handled]
        hs.append([name, kind, h.handler_string.split('.')[-1]])
    out[d] = {'app_name': a.app_name, 'handlers': sorted(' '.join(h) for h in hs),
              'flags': sorted(a.experimental_feature_flags)}
json.dump(out, sys.stdout)
`

// TestMatchesChalice compares the handlers found by parsing every test app
// with the handlers Chalice itself registers when it imports the app.
func TestMatchesChalice(t *testing.T) {
	apps := testApps(t)
	in, _ := json.Marshal(apps)
	cmd := exec.Command(testenv.Python(t), "-c", chaliceScript)
	cmd.Stdin = bytes.NewReader(in)
	// No .pyc files in the repository's test apps.
	cmd.Env = append(os.Environ(), "AWS_DEFAULT_REGION=us-east-1", "PYTHONDONTWRITEBYTECODE=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("importing the test apps with chalice: %v\n%s", err, stderr.String())
	}
	var want map[string]struct {
		AppName  string   `json:"app_name"`
		Handlers []string `json:"handlers"`
		Flags    []string `json:"flags"`
	}
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	for _, dir := range apps {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			a, err := Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(a.ParseErrors) > 0 {
				t.Errorf("unexpected parse errors: %+v", a.ParseErrors)
			}
			var got []string
			for _, h := range a.Handlers {
				got = append(got, fmt.Sprintf("%s %s %s", h.Name, h.Kind, h.PyFunc))
			}
			sort.Strings(got)
			w := want[dir]
			if a.HandlersUnknown != "" {
				// The parser says it cannot know every handler: what it does
				// list must still be real.
				if !subset(got, w.Handlers) {
					t.Errorf("handlers (marked unknown: %s):\n got  %q\n not all in %q", a.HandlersUnknown, got, w.Handlers)
				}
				if reflect.DeepEqual(got, w.Handlers) {
					t.Errorf("handlers marked unknown (%s) but the parser found them all", a.HandlersUnknown)
				}
			} else if !reflect.DeepEqual(got, w.Handlers) {
				t.Errorf("handlers:\n got  %q\n want %q", got, w.Handlers)
			}
			if a.AppName != w.AppName {
				t.Errorf("app name %q, want %q", a.AppName, w.AppName)
			}
			flags := append([]string(nil), a.FeatureFlags...)
			sort.Strings(flags)
			if strings.Join(flags, ",") != strings.Join(w.Flags, ",") {
				t.Errorf("feature flags %q, want %q", flags, w.Flags)
			}
		})
	}
}

func subset(a, b []string) bool {
	in := map[string]bool{}
	for _, x := range b {
		in[x] = true
	}
	for _, x := range a {
		if !in[x] {
			return false
		}
	}
	return true
}
