package schema_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/schema"
	"github.com/chalice-lsp/chalice-lsp/schema/diag"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
	"github.com/chalice-lsp/chalice-lsp/schema/text"
)

// want is one expected diagnostic: its code, the exact source text its span covers,
// a fragment of its message and (when set) its suggestions.
type want struct {
	code string
	span string // exact text at [Start, End)
	nth  int    // which occurrence of span in the source (0-based; -1: the last)
	in   string // when set, span is searched inside the first occurrence of this text
	msg  string // substring of the message
	sugg []string
	sev  diag.Severity // 0: Error
}

func spanOf(t *testing.T, src, s string, nth int, in string) (int, int) {
	t.Helper()
	if in != "" {
		base := strings.Index(src, in)
		if base < 0 {
			t.Fatalf("test bug: %q not in source", in)
		}
		a, b := spanOf(t, in, s, nth, "")
		return base + a, base + b
	}
	if nth < 0 {
		i := strings.LastIndex(src, s)
		if i < 0 {
			t.Fatalf("test bug: %q not in source", s)
		}
		return i, i + len(s)
	}
	off := 0
	for i := 0; ; i++ {
		j := strings.Index(src[off:], s)
		if j < 0 {
			t.Fatalf("test bug: %q (occurrence %d) not in source", s, nth)
		}
		if i == nth {
			return off + j, off + j + len(s)
		}
		off += j + len(s)
	}
}

func checkDiags(t *testing.T, src string, got []diag.Diagnostic, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Errorf("got %d diagnostics, want %d:\n%s", len(got), len(wants), dump(src, got))
		return
	}
	for i, w := range wants {
		d := got[i]
		start, end := spanOf(t, src, w.span, w.nth, w.in)
		sev := w.sev
		if sev == 0 {
			sev = diag.Error
		}
		if d.Code != w.code || d.Start != start || d.End != end || d.Severity != sev {
			t.Errorf("diagnostic %d: got %s %s [%d,%d) %q, want %s %s [%d,%d) %q", i, d.Severity, d.Code, d.Start, d.End,
				src[d.Start:d.End], sev, w.code, start, end, w.span)
		}
		if !strings.Contains(d.Message, w.msg) {
			t.Errorf("diagnostic %d: message %q does not contain %q", i, d.Message, w.msg)
		}
		if w.sugg != nil && !slices.Equal(d.Suggestions, w.sugg) {
			t.Errorf("diagnostic %d (%s): suggestions %q, want %q", i, d.Message, d.Suggestions, w.sugg)
		}
	}
}

func dump(src string, ds []diag.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "  %s %s [%d,%d) %q: %s %q\n", d.Severity, d.Code, d.Start, d.End, src[d.Start:d.End], d.Message, d.Suggestions)
	}
	return b.String()
}

func TestCheckConfigDiagnostics(t *testing.T) {
	cases := []struct {
		name  string
		src   string
		wants []want
	}{
		{"typo with did-you-mean", `{"version": "2.0", "lamda_timeout": 30}`, []want{
			{code: "unknown-key", span: `"lamda_timeout"`, msg: `did you mean "lambda_timeout"?`, sugg: []string{`"lambda_timeout"`}},
		}},
		{"transposition", `{"stages": {"dev": {"lambda_tiemout": 30}}}`, []want{
			{code: "unknown-key", span: `"lambda_tiemout"`, sugg: []string{`"lambda_timeout"`}},
		}},
		{"fragment of a key", `{"memory_size": 512}`, []want{
			{code: "unknown-key", span: `"memory_size"`, sugg: []string{`"lambda_memory_size"`}},
		}},
		{"unknown key without candidates", `{"frobnicate": 1}`, []want{
			{code: "unknown-key", span: `"frobnicate"`, sev: diag.Warning, msg: `unknown key "frobnicate"; Chalice ignores it`, sugg: []string{}},
		}},
		{"wrong type", `{"lambda_memory_size": "big"}`, []want{
			{code: "wrong-type", span: `"big"`, msg: `lambda_memory_size must be an integer from 128 to 10240 (MB); got "big"`},
		}},
		{"numeric string gets a fix", `{"lambda_memory_size": "512"}`, []want{
			{code: "wrong-type", span: `"512"`, sugg: []string{"512"}},
		}},
		{"fractional number", `{"lambda_timeout": 1.5}`, []want{
			{code: "wrong-type", span: `1.5`, msg: "must be an integer from 1 to 900 (seconds); got 1.5"},
		}},
		{"integral float is an integer", `{"lambda_timeout": 60.0, "lambda_memory_size": 1e3}`, nil},
		{"out of range high", `{"lambda_timeout": 901}`, []want{
			{code: "out-of-range", span: `901`, msg: "lambda_timeout must be an integer from 1 to 900 (seconds); got 901", sugg: []string{"900"}},
		}},
		{"out of range low", `{"lambda_memory_size": 64}`, []want{
			{code: "out-of-range", span: `64`, sugg: []string{"128"}},
		}},
		{"compression range", `{"minimum_compression_size": -1, "stages": {"s": {"minimum_compression_size": 10485761}}}`, []want{
			{code: "out-of-range", span: `-1`, msg: "from 0 to 10485760 (bytes)", sugg: []string{"0"}},
			{code: "out-of-range", span: `10485761`, sugg: []string{"10485760"}},
		}},
		{"reserved concurrency", `{"reserved_concurrency": -5}`, []want{
			{code: "out-of-range", span: `-5`, msg: "reserved_concurrency must be a non-negative integer; got -5", sugg: []string{"0"}},
		}},
		{"enum in the wrong case", `{"api_gateway_endpoint_type": "regional"}`, []want{
			{code: "not-in-enum", span: `"regional"`, msg: "must be one of EDGE, REGIONAL, PRIVATE", sugg: []string{`"REGIONAL"`}},
		}},
		{"tls version", `{"api_gateway_custom_domain": {"domain_name": "a.example.com", "certificate_arn": "arn:aws:acm:x", "tls_version": "TLS_1_3"}}`, []want{
			{code: "not-in-enum", span: `"TLS_1_3"`, msg: "tls_version must be one of TLS_1_0, TLS_1_1, TLS_1_2", sugg: []string{`"TLS_1_0"`, `"TLS_1_1"`, `"TLS_1_2"`}},
		}},
		{"retention value", `{"log_retention_in_days": 10}`, []want{
			{code: "not-in-enum", span: `10`, msg: "log_retention_in_days must be one of 1, 3, 5, 7, 14,", sugg: []string{"7", "14"}},
		}},
		{"boolean as string", `{"xray": "true", "automatic_layer": 1}`, []want{
			{code: "wrong-type", span: `"true"`, msg: "xray must be true or false", sugg: []string{"true"}},
			{code: "wrong-type", span: `1`, msg: "automatic_layer must be true or false; got 1"},
		}},
		{"env var values must be strings", `{"environment_variables": {"DEBUG": true, "RETRIES": 3, "OK": "x"}}`, []want{
			{code: "wrong-type", span: `true`, msg: `"DEBUG" in environment_variables must be a string; got true`, sugg: []string{`"true"`}},
			{code: "wrong-type", span: `3`, sugg: []string{`"3"`}},
		}},
		{"env var names", `{"stages": {"dev": {"environment_variables": {"1X": "a", "A": "b", "MY-VAR": "c"}}}}`, []want{
			{code: "invalid-key", span: `"1X"`, msg: "is not a Lambda environment variable name"},
			{code: "invalid-key", span: `"A"`},
			{code: "invalid-key", span: `"MY-VAR"`},
		}},
		{"tag values must be strings", `{"tags": {"team": 7}}`, []want{
			{code: "wrong-type", span: `7`, msg: `"team" in tags must be a string; got 7`},
		}},
		{"list wanted", `{"layers": "arn:aws:lambda:us-west-2:1:layer:x:1"}`, []want{
			{code: "wrong-type", span: `"arn:aws:lambda:us-west-2:1:layer:x:1"`, msg: "layers must be a list of strings", sugg: []string{`["arn:aws:lambda:us-west-2:1:layer:x:1"]`}},
		}},
		{"list items", `{"subnet_ids": ["subnet-1", 2, "sg-1"]}`, []want{
			{code: "wrong-type", span: `2`, msg: "item 2 of subnet_ids must be a string; got 2"},
			{code: "invalid-value", span: `"sg-1"`, msg: `item 3 of subnet_ids must be a subnet ID (subnet-...); got "sg-1"`},
		}},
		{"vpce string or list", `{"api_gateway_endpoint_vpce": "vpce-1", "stages": {"a": {"api_gateway_endpoint_vpce": ["vpce-1", "x"]}, "b": {"api_gateway_endpoint_vpce": 5}}}`, []want{
			{code: "invalid-value", span: `"x"`, msg: "item 2 of api_gateway_endpoint_vpce must be a VPC endpoint ID"},
			{code: "wrong-type", span: `5`, msg: "api_gateway_endpoint_vpce must be a string or a list of strings; got 5"},
		}},
		{"role arn", `{"iam_role_arn": "my-role"}`, []want{
			{code: "invalid-value", span: `"my-role"`, msg: `iam_role_arn must be an IAM role ARN`},
		}},
		{"empty string", `{"app_name": ""}`, []want{
			{code: "invalid-value", span: `""`, msg: "app_name must not be empty"},
		}},
		{"version above 2.0", `{"version": "3.0"}`, []want{
			{code: "out-of-range", span: `"3.0"`, msg: `Chalice stops with "Unknown version '3.0' in config.json"`, sugg: []string{`"2.0"`}},
		}},
		{"version number above 2.0", `{"version": 2.5}`, []want{
			{code: "out-of-range", span: `2.5`, sugg: []string{`"2.0"`}},
		}},
		{"version not a number", `{"version": "two"}`, []want{
			{code: "invalid-value", span: `"two"`, msg: "version must be a number no greater than 2.0"},
		}},
		{"version forms Chalice accepts", `{"version": 1}`, nil},
		{"version string forms", `{"version": " 1.5 "}`, nil},
		{"version wrong type", `{"version": true}`, []want{
			{code: "wrong-type", span: `true`},
		}},
		{"custom domain required keys on the holding key", `{"stages": {"dev": {"api_gateway_custom_domain": {}}}}`, []want{
			{code: "missing-key", span: `"api_gateway_custom_domain"`, msg: `api_gateway_custom_domain is missing the required key "domain_name"`},
			{code: "missing-key", span: `"api_gateway_custom_domain"`, msg: `"certificate_arn"`},
		}},
		{"docs-only custom domain keys", `{"websocket_api_custom_domain": {"domain_name": "d", "certificate_arn": "arn:x", "url_prefixes": ["a"], "security_policy": "TLS_1_2"}}`, []want{
			{code: "unknown-key", span: `"url_prefixes"`, msg: "url_prefixes is never read by Chalice", sugg: []string{`"url_prefix"`}},
			{code: "unknown-key", span: `"security_policy"`, msg: "use tls_version", sugg: []string{`"tls_version"`}},
		}},
		{"custom domain tags", `{"api_gateway_custom_domain": {"domain_name": "d", "certificate_arn": "arn:x", "tags": {"a": 1}}}`, []want{
			{code: "wrong-type", span: `1`, nth: 0, msg: `"a" in tags must be a string`},
		}},
		{"domain field outside a domain", `{"domain_name": "api.example.com"}`, []want{
			{code: "misplaced-key", span: `"domain_name"`, msg: "belongs inside api_gateway_custom_domain or websocket_api_custom_domain"},
		}},
		{"not config keys", `{"profile": "dev", "websocket_api": true}`, []want{
			{code: "unknown-key", span: `"profile"`, sev: diag.Warning, msg: "pass --profile"},
			{code: "unknown-key", span: `"websocket_api"`, sev: diag.Warning, msg: "@app.on_ws_*"},
		}},
		{"Chalice 0.x keys", `{"stage": "dev", "lambda_arn": "arn:aws:lambda:us-east-1:1:function:f", "app_name": "x"}`, []want{
			{code: "unknown-key", span: `"stage"`, sev: diag.Warning, msg: "stage is a Chalice 0.x key that Chalice 1.x ignores"},
			{code: "unknown-key", span: `"lambda_arn"`, sev: diag.Warning, msg: "lambda_arn is a Chalice 0.x key that Chalice 1.x ignores"},
		}},
		{"typo with a suggestion stays an error", `{"lamda_timeout": 3}`, []want{
			{code: "unknown-key", span: `"lamda_timeout"`, sev: diag.Error, msg: `did you mean "lambda_timeout"`},
		}},
		{"$schema is accepted", `{"$schema": "https://example.com/chalice.json", "app_name": "x"}`, nil},
		{"top-level keys inside stages", `{"stages": {"version": "2.0", "dev": {"api_gateway_stage": "api"}}}`, []want{
			{code: "misplaced-key", span: `"version"`, sev: diag.Error, msg: `Chalice reads "version" as the settings of a stage named "version"` +
				`, not as the key version; it is a top-level key: move it out of "stages" to the top level`},
		}},
		{"stage keys inside lambda_functions", `{"lambda_functions": {"automatic_layer": true, "lambda_timeout": 30, "api_handler": {}}}`, []want{
			{code: "misplaced-key", span: `"automatic_layer"`, sev: diag.Error, msg: `Chalice reads "automatic_layer" as the settings of a Lambda function named "automatic_layer"` +
				`, not as the key automatic_layer; it is a stage-level key: move it out of "lambda_functions" to the stage or the top level`},
			{code: "misplaced-key", span: `"lambda_timeout"`, sev: diag.Error, msg: `it goes inside a function's entry (lambda_functions.<function>.lambda_timeout)`},
		}},
		{"a setting's name inside stages with an object of non-stage keys", `{"stages": {"environment_variables": {"TABLE": "t"}}}`, []want{
			{code: "misplaced-key", span: `"environment_variables"`, msg: `a stage named "environment_variables"`},
		}},
		{"stage must be an object", `{"stages": {"dev": 5, "prod": []}}`, []want{
			{code: "wrong-type", span: `5`, msg: `"dev" in stages must be an object; got 5`},
			{code: "wrong-type", span: `[]`, msg: `"prod" in stages must be an object; got a list`},
		}},
		{"root must be an object", `["version"]`, []want{
			{code: "wrong-type", span: `["version"]`, msg: "config.json must be an object; got a list"},
		}},
		// Chalice's _chain_lookup and _chain_merge skip None: a null setting is
		// "not set" at that level, wherever a setting is read.
		{"null setting is not set", `{"lambda_timeout": null, "iam_role_arn": null, "api_gateway_endpoint_type": null, ` +
			`"environment_variables": null, "tags": null, "api_gateway_custom_domain": null, "stages": {"dev": {"log_retention_in_days": null, ` +
			`"lambda_functions": {"api_handler": {"layers": null, "xray": null}}}}}`, nil},
		// Structures Chalice reads with .get() crash on None, and null is no
		// environment variable value.
		{"null structure is an error", `{"version": null, "stages": {"dev": null}, "lambda_functions": null, "environment_variables": {"AB": null}}`, []want{
			{code: "wrong-type", span: `null`, nth: 0, msg: "got null"},
			{code: "wrong-type", span: `null`, nth: 1, msg: "got null"},
			{code: "wrong-type", span: `null`, nth: 2, msg: "got null"},
			{code: "wrong-type", span: `null`, nth: 3, msg: "got null"},
		}},
		{"duplicate keys", `{"lambda_timeout": 30, "lambda_timeout": 40}`, []want{
			{code: "duplicate-key", span: `"lambda_timeout"`, sev: diag.Warning, msg: "keeps only the last one"},
		}},
		{"duplicate key wins last", `{"lambda_timeout": "x", "lambda_timeout": 40}`, []want{
			{code: "duplicate-key", span: `"lambda_timeout"`, sev: diag.Warning},
		}},
		// A duplicate key is a JSON matter: json.loads drops the earlier value in any
		// object, including one the schema does not describe (fuzz: {"0":{"n":0 "n":0 ).
		{"duplicate key inside an unknown key", `{"lamda": {"n": 0, "n": 1}}`, []want{
			{code: "unknown-key", span: `"lamda"`, sev: diag.Warning},
			{code: "duplicate-key", span: `"n"`, sev: diag.Warning},
		}},
		{"duplicate key inside a value of the wrong type", `{"layers": {"a": [{"b": 1, "b": 2}], "a": 3}}`, []want{
			{code: "wrong-type", span: `{"a": [{"b": 1, "b": 2}], "a": 3}`},
			{code: "duplicate-key", span: `"a"`, sev: diag.Warning},
		}},
		{"escaped and non-ASCII keys", `{"stages": {"d/é~v": {"lamda_timeout": 1, "lambda_timeout": "é"}}}`, []want{
			{code: "unknown-key", span: `"lamda_timeout"`},
			{code: "wrong-type", span: `"é"`},
		}},
		{"trailing comma", "{\"app_name\": \"x\",\n}", []want{
			{code: "json-syntax", span: `,`, msg: "trailing comma"},
		}},
		{"comment", "{\"app_name\": \"x\" // hi\n}", []want{
			{code: "json-syntax", span: `// hi`, msg: "comments are not allowed"},
		}},
		{"syntax errors and schema errors together", "{\"lamda_timeout\": 1,\n \"x\": True}", []want{
			{code: "unknown-key", span: `"lamda_timeout"`},
			// "x" has no value json.loads could read: only the syntax error.
			{code: "json-syntax", span: `True`, msg: "use true"},
		}},
		{"incomplete member does not count as missing", "{\"api_gateway_custom_domain\": {\"domain_name\": \"a\", \"certificate_arn\": }}", []want{
			{code: "json-syntax", span: `}`},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root, got := schema.CheckConfig([]byte(c.src))
			if root == nil {
				t.Fatal("nil tree")
			}
			sameAsLibrary(t, root, schema.ConfigFile)
			checkDiags(t, c.src, got, c.wants)
		})
	}
}

// TestLevels checks the level rules of chalice.md 1.2/1.3: keys Chalice reads only at
// the stage or top level are misplaced inside lambda_functions, top-only keys are
// misplaced in a stage, and per-function keys work everywhere.
func TestLevels(t *testing.T) {
	stageOnly := []string{"automatic_layer", "api_gateway_stage", "api_gateway_endpoint_type", "api_gateway_endpoint_vpce",
		"api_gateway_policy_file", "minimum_compression_size", "api_gateway_custom_domain", "websocket_api_custom_domain", "lambda_functions"}
	topOnly := []string{"version", "app_name", "stages"}
	perFunction := []string{"autogen_policy", "iam_policy_file", "manage_iam_role", "iam_role_arn", "environment_variables", "tags",
		"lambda_memory_size", "lambda_timeout", "layers", "subnet_ids", "security_group_ids", "reserved_concurrency", "xray", "log_retention_in_days"}
	wrap := map[string]func(string) string{
		"top-level function": func(m string) string { return `{"lambda_functions": {"f": {` + m + `}}}` },
		"stage function": func(m string) string {
			return `{"stages": {"dev": {"lambda_functions": {"api_handler": {` + m + `}}}}}`
		},
	}
	for where, w := range wrap {
		for _, k := range stageOnly {
			src := w(`"` + k + `": 1`)
			root, ds := schema.CheckConfig([]byte(src))
			sameAsLibrary(t, root, schema.ConfigFile)
			checkDiags(t, src, ds, []want{{code: "misplaced-key", span: `"` + k + `"`, nth: -1, msg: k + " is a stage-level key; it has no effect per function"}})
		}
		for _, k := range topOnly {
			src := w(`"` + k + `": 1`)
			_, ds := schema.CheckConfig([]byte(src))
			checkDiags(t, src, ds, []want{{code: "misplaced-key", span: `"` + k + `"`, nth: -1, msg: k + " is a top-level key; it has no effect per function"}})
		}
		for _, k := range perFunction {
			if ks := schema.KeysAt(schema.ConfigFile, []string{"stages", "s", "lambda_functions", "f"}); !hasKey(ks, k) {
				t.Errorf("%s: %s not allowed per function", where, k)
			}
		}
	}
	for _, k := range topOnly {
		src := `{"stages": {"dev": {"` + k + `": 1}}}`
		_, ds := schema.CheckConfig([]byte(src))
		checkDiags(t, src, ds, []want{{code: "misplaced-key", span: `"` + k + `"`, nth: -1, msg: k + " is a top-level key of config.json; it has no effect in a stage"}})
		// The same in a CDK stage_config.
		stageSrc := `{"` + k + `": 1}`
		root, _ := jsonpos.Parse([]byte(stageSrc))
		checkDiags(t, stageSrc, schema.Validate(root, schema.StageConfig), []want{{code: "misplaced-key", span: `"` + k + `"`, msg: "no effect in a stage config"}})
	}
	for _, k := range append(stageOnly, perFunction...) {
		if !hasKey(schema.KeysAt(schema.ConfigFile, []string{"stages", "any"}), k) || !hasKey(schema.KeysAt(schema.ConfigFile, nil), k) ||
			!hasKey(schema.KeysAt(schema.StageConfig, nil), k) {
			t.Errorf("%s must be allowed at the top level, in stages and in a stage config", k)
		}
	}
}

func hasKey(ks []schema.KeyInfo, name string) bool {
	for _, k := range ks {
		if k.Name == name {
			return true
		}
	}
	return false
}

// TestEveryKeyAtEveryLevelWithItsOwnExample validates the JSON example in every key's
// documentation at every level the key is allowed, so the examples shown in hover are
// correct and every key is accepted where it belongs.
func TestEveryKeyAtEveryLevelWithItsOwnExample(t *testing.T) {
	levels := []struct {
		kind   schema.Kind
		path   []string
		prefix string
		suffix string
	}{
		{schema.ConfigFile, nil, `{`, `}`},
		{schema.ConfigFile, []string{"stages", "dev"}, `{"stages": {"dev": {`, `}}}`},
		{schema.ConfigFile, []string{"lambda_functions", "f"}, `{"lambda_functions": {"f": {`, `}}}`},
		{schema.ConfigFile, []string{"stages", "dev", "lambda_functions", "api_handler"}, `{"stages": {"dev": {"lambda_functions": {"api_handler": {`, `}}}}}`},
		{schema.ConfigFile, []string{"api_gateway_custom_domain"}, `{"api_gateway_custom_domain": {"domain_name": "a.b", "certificate_arn": "arn:x", `, `}}`},
		{schema.StageConfig, nil, `{`, `}`},
		{schema.StageConfig, []string{"lambda_functions", "f"}, `{"lambda_functions": {"f": {`, `}}}`},
	}
	example := regexp.MustCompile("(?s)```json\n(.*?)\n```")
	total := 0
	for _, l := range levels {
		keys := schema.KeysAt(l.kind, l.path)
		if len(keys) == 0 {
			t.Fatalf("no keys at %v", l.path)
		}
		for _, k := range keys {
			if k.Markdown == "" || k.Description == "" || k.Type == "" {
				t.Errorf("%v %s: missing documentation or type", l.path, k.Name)
			}
			m := example.FindStringSubmatch(k.Markdown)
			if m == nil {
				t.Errorf("%v %s: markdownDescription has no JSON example", l.path, k.Name)
				continue
			}
			ex := m[1]
			if !strings.HasPrefix(strings.TrimSpace(ex), `"`+k.Name+`"`) {
				continue // an example of a larger context (shown for ignored keys)
			}
			if (k.Name == "domain_name" || k.Name == "certificate_arn") && strings.Contains(l.prefix, k.Name) {
				continue
			}
			src := l.prefix + ex + l.suffix
			var anyJSON any
			if err := json.Unmarshal([]byte(src), &anyJSON); err != nil {
				t.Errorf("%v %s: example is not valid JSON in context: %v\n%s", l.path, k.Name, err, src)
				continue
			}
			root, errs := jsonpos.Parse([]byte(src))
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			sameAsLibrary(t, root, l.kind)
			if ds := schema.Validate(root, l.kind); len(ds) > 0 {
				t.Errorf("%v %s: example rejected:\n%s%s", l.path, k.Name, src, dump(src, ds))
			}
			total++
		}
	}
	if total < 70 {
		t.Errorf("only %d examples checked", total)
	}
}

func readFixture(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestKitchenSinkIsValid(t *testing.T) {
	src := readFixture(t, "configs/kitchen-sink.json")
	root, ds := schema.CheckConfig(src)
	sameAsLibrary(t, root, schema.ConfigFile)
	if len(ds) > 0 {
		t.Fatalf("kitchen sink should be clean:\n%s", dump(string(src), ds))
	}
	// It really holds every key of every level.
	var seen []string
	var walk func(n *jsonpos.Node, path []string)
	walk = func(n *jsonpos.Node, path []string) {
		if n == nil || n.Kind != jsonpos.Object {
			return
		}
		if ks := schema.KeysAt(schema.ConfigFile, path); ks != nil {
			for _, k := range ks {
				if n.Get(k.Name) == nil {
					seen = append(seen, fmt.Sprintf("%v misses %s", path, k.Name))
				}
			}
		}
		for _, m := range n.Members {
			walk(m.Value, append(slices.Clone(path), m.Key))
		}
	}
	walk(root, nil)
	wantMissing := map[string]bool{ // objects that deliberately stay small
		"[api_gateway_custom_domain tags] misses": true,
	}
	for _, s := range seen {
		if strings.Contains(s, "[lambda_functions nightly_job]") || strings.Contains(s, "[stages dev]") ||
			strings.Contains(s, "[stages prod-eu lambda_functions websocket_message]") ||
			strings.Contains(s, "[websocket_api_custom_domain]") || strings.Contains(s, "[stages prod-eu api_gateway_custom_domain]") || wantMissing[s] {
			continue
		}
		t.Errorf("kitchen sink: %s", s)
	}
}

func TestMistakesFixture(t *testing.T) {
	src := string(readFixture(t, "configs/mistakes.json"))
	root, ds := schema.CheckConfig([]byte(src))
	sameAsLibrary(t, root, schema.ConfigFile)
	checkDiags(t, src, ds, []want{
		{code: "unknown-key", span: `"lamda_timeout"`, sugg: []string{`"lambda_timeout"`}},
		{code: "wrong-type", span: `"big"`, msg: `lambda_memory_size must be an integer from 128 to 10240 (MB); got "big"`},
		{code: "not-in-enum", span: `"edge"`, sugg: []string{`"EDGE"`}},
		{code: "wrong-type", span: `true`, msg: `"DEBUG" in environment_variables must be a string`},
		{code: "wrong-type", span: `3`, in: `"RETRIES": 3`, msg: `"RETRIES" in environment_variables must be a string`},
		{code: "missing-key", span: `"api_gateway_custom_domain"`, msg: `"certificate_arn"`},
		{code: "unknown-key", span: `"security_policy"`},
		{code: "unknown-key", span: `"url_prefixes"`},
		{code: "misplaced-key", span: `"app_name"`, nth: 1},
		{code: "out-of-range", span: `-1`},
		{code: "not-in-enum", span: `10`, nth: 0},
		{code: "misplaced-key", span: `"automatic_layer"`},
		{code: "out-of-range", span: `1000`},
		{code: "wrong-type", span: `"yes"`, sugg: []string{"true"}},
	})
}

func TestSyntaxFixtures(t *testing.T) {
	for _, f := range []string{"configs/trailing-comma.json", "configs/comments.json"} {
		src := readFixture(t, f)
		_, ds := schema.CheckConfig(src)
		n := 0
		for _, d := range ds {
			if d.Code == "json-syntax" {
				n++
			}
		}
		if n == 0 {
			t.Errorf("%s: no json-syntax diagnostic:\n%s", f, dump(string(src), ds))
		}
		// Python's json.loads rejects the file too: the diagnostics are not invented.
		var v any
		if json.Unmarshal(src, &v) == nil {
			t.Errorf("%s: encoding/json accepts it", f)
		}
	}
	// The docs' custom domain example (chalice.md 1.3): both keys reported.
	src := string(readFixture(t, "configs/docs-custom-domain.json"))
	_, ds := schema.CheckConfig([]byte(src))
	checkDiags(t, src, ds, []want{
		{code: "unknown-key", span: `"security_policy"`, sugg: []string{`"tls_version"`}},
		{code: "unknown-key", span: `"url_prefixes"`, sugg: []string{`"url_prefix"`}},
	})
}

// TestPositionsWithNonASCII pins exact byte offsets and the UTF-16 positions the LSP
// sends after non-ASCII text.
func TestPositionsWithNonASCII(t *testing.T) {
	src := "{\n  \"app_name\": \"héllo 😀\",\n  \"lamda_timeout\": \"x\"\n}"
	_, ds := schema.CheckConfig([]byte(src))
	if len(ds) != 1 {
		t.Fatalf("got %s", dump(src, ds))
	}
	d := ds[0]
	// "{\n" (2) + `  "app_name": "héllo 😀",` (2+10+2+14=28 bytes) + "\n" (1) + "  " (2) = 33.
	if d.Start != 33 || d.End != 48 {
		t.Fatalf("span [%d,%d) %q, want [33,48)", d.Start, d.End, src[d.Start:d.End])
	}
	r := text.NewMapper([]byte(src)).Range(d.Start, d.End, text.UTF16)
	if r.Start != (text.Position{Line: 2, Character: 2}) || r.End != (text.Position{Line: 2, Character: 17}) {
		t.Errorf("range %+v", r)
	}
	// A value on the same line as non-ASCII text: UTF-16 counts the emoji as 2.
	src = `{"app_name": "😀é", "lambda_timeout": "x"}`
	_, ds = schema.CheckConfig([]byte(src))
	if len(ds) != 1 || src[ds[0].Start:ds[0].End] != `"x"` {
		t.Fatalf("got %s", dump(src, ds))
	}
	if ds[0].Start != 41 {
		t.Errorf("start %d, want 41", ds[0].Start)
	}
	if p := text.NewMapper([]byte(src)).Position(ds[0].Start, text.UTF16); p.Character != 38 {
		t.Errorf("UTF-16 character %d, want 38", p.Character)
	}
}

// opaqueTree builds what internal/cdkcode makes of a CDK stage_config literal such as
// {"lambda_memory_size": props.memory, "environment_variables": {"TABLE": table.table_name}, ...}.
func opaqueTree() (*jsonpos.Node, string) {
	src := `{"environment_variables": {"TABLE": table.table_name}, "lambda_memory_size": props.memory, ` +
		`"iam_role_arn": role.role_arn, "api_gateway_endpoint_type": endpoint, "tags": tags_dict, "layers": [layer.arn]}`
	root, _ := jsonpos.Parse([]byte(`{}`))
	root.Start, root.End = 0, len(src)
	add := func(key string, val *jsonpos.Node) {
		ks := strings.Index(src, `"`+key+`"`)
		root.Members = append(root.Members, jsonpos.Member{Key: key, KeyStart: ks, KeyEnd: ks + len(key) + 2, Value: val})
	}
	opaque := func(expr string) *jsonpos.Node {
		s := strings.Index(src, expr)
		return &jsonpos.Node{Kind: jsonpos.Opaque, Start: s, End: s + len(expr), Text: expr}
	}
	envStart := strings.Index(src, `{"TABLE"`)
	env := &jsonpos.Node{Kind: jsonpos.Object, Start: envStart, End: strings.Index(src, "},") + 1}
	ts := strings.Index(src, `"TABLE"`)
	env.Members = []jsonpos.Member{{Key: "TABLE", KeyStart: ts, KeyEnd: ts + 7, Value: opaque("table.table_name")}}
	add("environment_variables", env)
	add("lambda_memory_size", opaque("props.memory"))
	add("iam_role_arn", opaque("role.role_arn"))
	add("api_gateway_endpoint_type", opaque("endpoint"))
	add("tags", opaque("tags_dict"))
	ls := strings.Index(src, "[layer.arn]")
	add("layers", &jsonpos.Node{Kind: jsonpos.Array, Start: ls, End: ls + 11, Elems: []*jsonpos.Node{opaque("layer.arn")}})
	return root, src
}

func TestOpaqueValues(t *testing.T) {
	root, src := opaqueTree()
	sameAsLibrary(t, root, schema.StageConfig)
	ds := schema.Validate(root, schema.StageConfig)
	checkDiags(t, src, ds, []want{
		{code: "non-literal", sev: diag.Information, span: `props.memory`, msg: "non-literal value; make sure it evaluates to an integer from 128 to 10240 (MB)"},
		{code: "non-literal", sev: diag.Information, span: `endpoint`, msg: "make sure it evaluates to one of EDGE, REGIONAL, PRIVATE"},
		{code: "non-literal", sev: diag.Information, span: `tags_dict`, msg: "make sure it evaluates to an object whose values are strings"},
	})
}

func TestKeyCatalogue(t *testing.T) {
	k, ok := schema.KeyAt(schema.ConfigFile, []string{"stages", "prod", "lambda_functions", "api_handler"}, "lambda_memory_size")
	if !ok {
		t.Fatal("lambda_memory_size not found per function")
	}
	if k.Type != "integer (128-10240), MB" || k.Default != int64(128) || k.Value.Minimum == nil || *k.Value.Minimum != 128 ||
		*k.Value.Maximum != 10240 || !strings.Contains(k.Markdown, "```json") {
		t.Errorf("lambda_memory_size: %+v", k)
	}
	if _, ok := schema.KeyAt(schema.ConfigFile, []string{"lambda_functions", "f"}, "automatic_layer"); ok {
		t.Error("automatic_layer must not be offered per function")
	}
	k, _ = schema.KeyAt(schema.ConfigFile, nil, "api_gateway_endpoint_type")
	if !slices.Equal(k.Enum, []any{"EDGE", "REGIONAL", "PRIVATE"}) || k.Default != "EDGE" || k.Type != "string (EDGE, REGIONAL, PRIVATE)" {
		t.Errorf("endpoint type: %+v", k)
	}
	k, _ = schema.KeyAt(schema.ConfigFile, nil, "stages")
	if !k.Map || k.Object {
		t.Errorf("stages must be a map: %+v", k)
	}
	k, _ = schema.KeyAt(schema.ConfigFile, []string{"stages", "x"}, "api_gateway_custom_domain")
	if k.Map || !k.Object {
		t.Errorf("custom domain must be an object: %+v", k)
	}
	dom := schema.KeysAt(schema.StageConfig, []string{"api_gateway_custom_domain"})
	var req []string
	for _, d := range dom {
		if d.Required {
			req = append(req, d.Name)
		}
	}
	if !slices.Equal(req, []string{"domain_name", "certificate_arn"}) {
		t.Errorf("required domain keys %v", req)
	}
	if ks := schema.KeysAt(schema.ConfigFile, []string{"environment_variables"}); ks != nil {
		t.Errorf("free-form maps have no fixed keys: %v", ks)
	}
	if ks := schema.KeysAt(schema.ConfigFile, []string{"nope"}); ks != nil {
		t.Error("unknown path must give nil")
	}
	v, ok := schema.ValueSchemaAt(schema.ConfigFile, []string{"stages", "dev", "xray"})
	if !ok || !slices.Equal(v.Types, []string{"boolean"}) || v.Default != false {
		t.Errorf("xray value: %+v", v)
	}
	v, _ = schema.ValueSchemaAt(schema.ConfigFile, []string{"environment_variables", "ANY"})
	if !slices.Equal(v.Types, []string{"string"}) {
		t.Errorf("env var value: %+v", v)
	}
	v, _ = schema.ValueSchemaAt(schema.ConfigFile, []string{"layers"})
	if v.Items == nil || v.Items.Types[0] != "string" || v.Type != "list of strings" {
		t.Errorf("layers: %+v", v)
	}
	v, _ = schema.ValueSchemaAt(schema.StageConfig, []string{"log_retention_in_days"})
	if len(v.Enum) != 22 || v.Enum[0] != int64(1) || v.Unit != "days" {
		t.Errorf("retention: %+v", v)
	}
	if k, ok := schema.KeyAt(schema.ConfigFile, []string{"lambda_functions", "f"}, "environment_variables"); !ok || !strings.Contains(k.Markdown, "Ignored by Chalice at this level") {
		t.Errorf("top-level function env vars must be documented as ignored: %+v", k)
	}
}

func TestSchemaFiles(t *testing.T) {
	for name, b := range map[string][]byte{"config.schema.json": schema.ConfigSchemaJSON(), "stage-config.schema.json": schema.StageConfigSchemaJSON()} {
		onDisk, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if string(onDisk) != string(b) {
			t.Errorf("%s: embedded copy differs from the file", name)
		}
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if doc["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
			t.Errorf("%s: $schema %v", name, doc["$schema"])
		}
	}
	// Every object in the schema is closed (unknown keys are errors) or a map whose
	// values have a schema.
	var doc any
	_ = json.Unmarshal(schema.ConfigSchemaJSON(), &doc)
	var walk func(v any, at string)
	walk = func(v any, at string) {
		m, ok := v.(map[string]any)
		if !ok {
			return
		}
		if _, isObj := m["properties"]; isObj && m["additionalProperties"] != false {
			t.Errorf("%s: object with properties is not closed", at)
		}
		if m["type"] == "object" && m["additionalProperties"] == nil && m["$ref"] == nil {
			t.Errorf("%s: object without additionalProperties", at)
		}
		for k, c := range m {
			if k == "enum" || k == "default" || k == "examples" {
				continue
			}
			if sub, ok := c.(map[string]any); ok {
				walk(sub, at+"/"+k)
			}
		}
	}
	walk(doc, "#")
}

// sameAsLibrary requires Validate and the jsonschema library (reading the same schema
// files) to report exactly the same diagnostics for root.
func sameAsLibrary(t testing.TB, root *jsonpos.Node, kind schema.Kind) {
	t.Helper()
	if hasEmptyKey(root) {
		// The library joins JSON pointers so that the key "" vanishes from its
		// instance locations ("/stages/" becomes "/stages"): it cannot be compared.
		return
	}
	lib, err := schema.LibraryValidate(root, kind)
	if errors.Is(err, schema.ErrLibraryPanic) && schema.HugeNumber(root) {
		return // a library bug; Validate's own handling is tested in TestHugeNumbers
	}
	if err != nil {
		t.Fatalf("library: %v", err)
	}
	own := schema.Validate(root, kind)
	if len(lib) != len(own) {
		t.Fatalf("Validate and the jsonschema library disagree:\n own: %+v\n lib: %+v", own, lib)
	}
	for i := range own {
		a, b := own[i], lib[i]
		if a.Start != b.Start || a.End != b.End || a.Code != b.Code || a.Message != b.Message || a.Severity != b.Severity ||
			!slices.Equal(a.Suggestions, b.Suggestions) {
			t.Fatalf("Validate and the jsonschema library disagree at %d:\n own: %+v\n lib: %+v", i, a, b)
		}
	}
}

func hasEmptyKey(n *jsonpos.Node) bool {
	if n == nil {
		return false
	}
	for _, e := range n.Elems {
		if hasEmptyKey(e) {
			return true
		}
	}
	for _, m := range n.Members {
		if m.Key == "" || hasEmptyKey(m.Value) {
			return true
		}
	}
	return false
}

// TestHugeNumbers: literals whose exact value has millions of digits are handled by
// float comparison, quickly, with the usual messages.
func TestHugeNumbers(t *testing.T) {
	src := `{"lambda_timeout": 1e999999999, "lambda_memory_size": -1e999999999, "reserved_concurrency": 1e-999999999, ` +
		`"log_retention_in_days": 14e999999, "version": 2e-999999999, "minimum_compression_size": 123456789012345678901234567890}`
	root, ds := schema.CheckConfig([]byte(src))
	if root == nil {
		t.Fatal("no tree")
	}
	checkDiags(t, src, ds, []want{
		{code: "out-of-range", span: `1e999999999`, sugg: []string{"900"}},
		{code: "out-of-range", span: `-1e999999999`, sugg: []string{"128"}},
		{code: "wrong-type", span: `1e-999999999`, msg: "must be a non-negative integer"},
		{code: "not-in-enum", span: `14e999999`, sugg: []string{"3653"}},
		{code: "out-of-range", span: `123456789012345678901234567890`, sugg: []string{"10485760"}},
	})
}

func TestValidFixture(t *testing.T) {
	src := readFixture(t, "configs/valid.json")
	root, ds := schema.CheckConfig(src)
	sameAsLibrary(t, root, schema.ConfigFile)
	if len(ds) > 0 {
		t.Fatalf("valid.json:\n%s", dump(string(src), ds))
	}
}

// TestDemoApp pins the schema findings of the project `make demo` checks.
func TestDemoApp(t *testing.T) {
	src := string(readFixture(t, "apps/mistakes/.chalice/config.json"))
	root, ds := schema.CheckConfig([]byte(src))
	sameAsLibrary(t, root, schema.ConfigFile)
	checkDiags(t, src, ds, []want{
		{code: "unknown-key", span: `"lamda_timeout"`, sugg: []string{`"lambda_timeout"`}},
		{code: "not-in-enum", span: `"Regional"`, sugg: []string{`"REGIONAL"`}},
		{code: "wrong-type", span: `true`, in: `"DEBUG": true`, sugg: []string{`"true"`}},
		{code: "wrong-type", span: `"big"`},
		{code: "misplaced-key", span: `"automatic_layer"`},
		{code: "out-of-range", span: `1200`, sugg: []string{"900"}},
		{code: "not-in-enum", span: `10`, in: `"log_retention_in_days": 10`, sugg: []string{"7", "14"}},
		{code: "missing-key", span: `"api_gateway_custom_domain"`, msg: `"certificate_arn"`},
		{code: "unknown-key", span: `"security_policy"`, sugg: []string{`"tls_version"`}},
	})
}

// TestConcurrentUse: the LSP validates several documents at once (run with -race).
func TestConcurrentUse(t *testing.T) {
	src := readFixture(t, "configs/mistakes.json")
	_, want := schema.CheckConfig(src)
	done := make(chan []diag.Diagnostic)
	for i := 0; i < 8; i++ {
		go func() {
			_, ds := schema.CheckConfig(src)
			schema.KeysAt(schema.StageConfig, []string{"lambda_functions", "f"})
			done <- ds
		}()
	}
	for i := 0; i < 8; i++ {
		if got := <-done; len(got) != len(want) {
			t.Errorf("concurrent run gave %d diagnostics, want %d", len(got), len(want))
		}
	}
}

// TestCDKTokenStrings: cdk-chalice writes CDK tokens into config.json; they
// pass wherever a string may stand, and are information where the schema needs
// another type or a closed list of values. (Not compared with the library: for
// it a token is an ordinary string.)
func TestCDKTokenStrings(t *testing.T) {
	src := `{"iam_role_arn": "${Token[TOKEN.35]}", "manage_iam_role": false, "stages": {"prod": {` +
		`"subnet_ids": ["${Token[TOKEN.41]}"], "iam_role_arn": "arn:aws:iam::${Token[AWS.AccountId.2]}:role/x", ` +
		`"lambda_timeout": "${Token[TOKEN.7]}", "api_gateway_endpoint_type": "${Token[TOKEN.8]}", "environment_variables": {"TABLE": "${Token[TOKEN.9]}"}}}}`
	_, ds := schema.CheckConfig([]byte(src))
	checkDiags(t, src, ds, []want{
		{code: "non-literal", span: `"${Token[TOKEN.7]}"`, sev: diag.Information, msg: "CDK token string, resolved only at synth time"},
		{code: "non-literal", span: `"${Token[TOKEN.8]}"`, sev: diag.Information, msg: "one of EDGE, REGIONAL, PRIVATE"},
	})
}
