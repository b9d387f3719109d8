package rules

import (
	"testing"

	"github.com/chalice-lsp/chalice-lsp/schema/appmodel"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// richConfig sets every key the rules read, at every level.
const richConfig = `{
  "version": "2.0",
  "app_name": "demo",
  "manage_iam_role": false,
  "iam_role_arn": "arn:aws:iam::123456789012:role/x",
  "autogen_policy": false,
  "iam_policy_file": "p.json",
  "subnet_ids": ["subnet-1"],
  "security_group_ids": ["sg-1"],
  "api_gateway_endpoint_type": "PRIVATE",
  "api_gateway_endpoint_vpce": ["vpce-1"],
  "api_gateway_policy_file": "api.json",
  "log_retention_in_days": 7,
  "environment_variables": {"A": "1", "B": 2},
  "tags": {"t": "v"},
  "api_gateway_custom_domain": {"domain_name": "x", "certificate_arn": "y", "url_prefixes": ["a"], "security_policy": "TLS_1_2"},
  "lambda_functions": {
    "worker": {"environment_variables": {"A": "x"}, "tags": {"k": "v"}, "manage_iam_role": true, "subnet_ids": []},
    "index": {"lambda_timeout": 5}
  },
  "stages": {
    "dev": {
      "autogen_policy": true,
      "api_gateway_endpoint_type": "EDGE",
      "lambda_functions": {"api_handler": {"log_retention_in_days": 0, "iam_policy_file": "q.json"}, "wrker": {}}
    },
    "prod": {"manage_iam_role": true, "security_group_ids": null, "environment_variables": {"C": null}}
  }
}`

// slots returns every place a node hangs in the tree (member values and array
// elements), so tests can swap nodes for wrong types or holes.
func slots(n *jsonpos.Node) []**jsonpos.Node {
	if n == nil {
		return nil
	}
	var out []**jsonpos.Node
	for i := range n.Members {
		out = append(out, &n.Members[i].Value)
		out = append(out, slots(n.Members[i].Value)...)
	}
	for i := range n.Elems {
		out = append(out, &n.Elems[i])
		out = append(out, slots(n.Elems[i])...)
	}
	return out
}

var replacements = []*jsonpos.Node{
	nil,
	{Kind: jsonpos.Null, Text: "null"},
	{Kind: jsonpos.Bool, Text: "false"},
	{Kind: jsonpos.Bool, Text: "true"},
	{Kind: jsonpos.Number, Text: "0"},
	{Kind: jsonpos.Number, Text: "1e999"},
	{Kind: jsonpos.String, Text: ""},
	{Kind: jsonpos.String, Text: "PRIVATE"},
	{Kind: jsonpos.Array},
	{Kind: jsonpos.Array, Elems: []*jsonpos.Node{nil, {Kind: jsonpos.Null}}},
	{Kind: jsonpos.Object},
	{Kind: jsonpos.Object, Members: []jsonpos.Member{{Key: "x"}, {Key: "lambda_functions", Value: &jsonpos.Node{Kind: jsonpos.Array}}}},
	{Kind: jsonpos.Opaque, Text: "table.table_name"},
}

// TestWrongTypesEverywhere swaps every node of a rich config (and of the overlay)
// for every kind of value, and for a hole, and runs all rules: nothing may panic.
func TestWrongTypesEverywhere(t *testing.T) {
	p := newProject(t, routeApp+"\n@app.on_s3_event(bucket='b')\ndef up(event):\n    pass\n", richConfig,
		map[string]string{".chalice/p.json": "{}", ".chalice/api.json": "[", ".chalice/q.json": "{}"})
	overlay, _ := jsonpos.Parse([]byte(`{"subnet_ids": ["s"], "manage_iam_role": false, "environment_variables": {"E": 1}}`))
	opts := []Options{{ProjectDir: p.dir}, {ProjectDir: p.dir, User: overlay, IncludeSchemaChecks: true, Stages: []string{"prod", "nope"}}}
	runs := 0
	for _, doc := range []*jsonpos.Node{p.root, overlay} {
		for _, slot := range slots(doc) {
			orig := *slot
			for _, r := range replacements {
				*slot = r
				for _, o := range opts {
					Check(p.root, p.app, o)
					Check(p.root, nil, o)
					runs++
				}
			}
			*slot = orig
		}
	}
	for _, r := range replacements {
		for _, o := range opts {
			Check(r, p.app, o)
			o.User = r
			Check(p.root, p.app, o)
		}
	}
	Check(nil, &appmodel.App{}, Options{})
	Check(nil, nil, Options{Stages: []string{}})
	if runs < 500 {
		t.Fatalf("only %d mutated runs", runs)
	}
}

// TestTruncatedConfigs checks every prefix of a config, as an editor sees it while
// the user types.
func TestTruncatedConfigs(t *testing.T) {
	p := newProject(t, routeApp, richConfig, nil)
	for i := 0; i <= len(richConfig); i++ {
		root, _ := jsonpos.Parse([]byte(richConfig[:i]))
		r := Check(root, p.app, Options{ProjectDir: p.dir, IncludeSchemaChecks: true})
		for _, d := range r.Config {
			if d.Start < 0 || d.End > i || d.Start > d.End {
				t.Fatalf("prefix %d: diagnostic %s at %d-%d outside the document", i, d.Code, d.Start, d.End)
			}
		}
	}
}

// FuzzCheck runs the rules on arbitrary bytes parsed as config.json; the seeds run
// in every `go test`.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{richConfig, `{}`, `[]`, `{"stages": {"dev": null}}`, `{"lambda_functions": {"a": {"tags": 1}}}`, "{\"version\": \"\u00e9\"}"} {
		f.Add([]byte(s))
	}
	app := appmodel.Parse(f.TempDir(), []byte(routeApp), nil)
	f.Fuzz(func(t *testing.T, src []byte) {
		root, _ := jsonpos.Parse(src)
		r := Check(root, app, Options{IncludeSchemaChecks: true, User: root})
		for _, d := range append(r.Config, r.Overlay...) {
			if d.Start < 0 || d.End > len(src) || d.Start > d.End {
				t.Fatalf("diagnostic %s at %d-%d outside the %d-byte document", d.Code, d.Start, d.End, len(src))
			}
		}
	})
}

// BenchmarkCheck3KB measures all rules on a typical 3 KB config.
func BenchmarkCheck3KB(b *testing.B) {
	cfg := benchConfig()
	if len(cfg) < 2800 || len(cfg) > 3600 {
		b.Fatalf("benchmark config is %d bytes, want about 3 KB", len(cfg))
	}
	p := newProject(b, routeApp, cfg, map[string]string{".chalice/policy-prod.json": "{}"})
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Check(p.root, p.app, Options{ProjectDir: p.dir})
	}
}

func benchConfig() string {
	stage := func(name string) string {
		return `    "` + name + `": {
      "api_gateway_stage": "` + name + `",
      "autogen_policy": false,
      "environment_variables": {"STAGE": "` + name + `", "TABLE": "table-` + name + `", "BUCKET": "bucket-` + name + `"},
      "tags": {"env": "` + name + `", "owner": "team-a"},
      "lambda_functions": {
        "api_handler": {"lambda_timeout": 30, "lambda_memory_size": 512, "reserved_concurrency": 10},
        "worker": {"lambda_timeout": 300, "lambda_memory_size": 1024,
                   "subnet_ids": ["subnet-0a1b2c3d", "subnet-4e5f6a7b"], "security_group_ids": ["sg-0123456789abcdef0"],
                   "environment_variables": {"QUEUE": "q-` + name + `"}}
      }
    }`
	}
	return `{
  "version": "2.0",
  "app_name": "benchmark-app",
  "automatic_layer": true,
  "lambda_memory_size": 256,
  "environment_variables": {"LOG_LEVEL": "INFO", "REGION": "us-west-2"},
  "tags": {"project": "benchmark", "cost-center": "1234"},
  "api_gateway_endpoint_type": "REGIONAL",
  "lambda_functions": {
    "worker": {"lambda_timeout": 120, "layers": ["arn:aws:lambda:us-west-2:123456789012:layer:shared:3"]}
  },
  "stages": {
` + stage("dev") + ",\n" + stage("qa") + ",\n" + stage("staging") + ",\n" + stage("prod") + `
  }
}`
}
