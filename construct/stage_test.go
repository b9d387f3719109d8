package construct

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestStageNameFromPath(t *testing.T) {
	long := strings.Repeat("VeryLongStageName", 6)
	cases := map[string]string{
		"chalice-example":       "chalice-example",
		"Prod/ApiStack":         "Prod-ApiStack",
		"Prod/Nested/Api":       "Prod-Nested-Api",
		"my stack.v2":           "my-stack-v2",
		"/Leading//Double/":     "Leading-Double",
		"snake_case/Stack":      "snake_case-Stack",
		"":                      "dev",
		"///":                   "dev",
		"Ünïcode/Stäck":         "n-code-St-ck",
		long + "/" + long:       "", // checked below
		long + "/" + long + "x": "",
	}
	for in, want := range cases {
		got := StageNameFromPath(in)
		if checkStageName(got) != nil {
			t.Errorf("StageNameFromPath(%q) = %q, which is not a valid stage name: %v", in, got, checkStageName(got))
		}
		if want != "" && got != want {
			t.Errorf("StageNameFromPath(%q) = %q, want %q", in, got, want)
		}
	}
	a, b := StageNameFromPath(long+"/"+long), StageNameFromPath(long+"/"+long+"x")
	if a == b || len(a) > maxStageNameLen || len(b) > maxStageNameLen {
		t.Errorf("long paths: %q and %q, want distinct names of at most %d characters", a, b, maxStageNameLen)
	}
}

func TestCheckStageName(t *testing.T) {
	for _, ok := range []string{"dev", "prod-eu_1", "A"} {
		if err := checkStageName(ok); err != nil {
			t.Errorf("checkStageName(%q) = %v", ok, err)
		}
	}
	for in, want := range map[string]string{
		"":                      "StageName is empty",
		"prod/v2":               `"prod-v2"`,
		"prod.v2":               "only letters, digits, '-' and '_'",
		strings.Repeat("s", 65): "at most 64",
	} {
		err := checkStageName(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("checkStageName(%q) = %v, want an error containing %q", in, err, want)
		}
	}
}

func TestNormalizeStageConfig(t *testing.T) {
	s := func(v string) *string { return &v }
	f := func(v float64) *float64 { return &v }
	b := func(v bool) *bool { return &v }
	var nilStr *string
	in := map[string]any{
		"environment_variables": &map[string]*string{"TABLE": s("${Token[TOKEN.12]}"), "GONE": nil},
		"lambda_timeout":        f(30),
		"lambda_memory_size":    512,
		"xray":                  b(true),
		"ratio":                 0.5,
		"unset":                 nilStr,
		"layers":                &[]*string{s("arn:1"), nil},
		"subnet_ids":            []string{"a", "b"},
		"lambda_functions": map[string]any{
			"api_handler": map[string]any{"reserved_concurrency": uint8(3), "tags": map[string]string{"k": "v"}},
		},
		"nil_slice": []string(nil),
	}
	got, err := normalizeStageConfig(in, func(float64) bool { return false })
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"environment_variables": map[string]any{"TABLE": "${Token[TOKEN.12]}"},
		"lambda_timeout":        int64(30),
		"lambda_memory_size":    int64(512),
		"xray":                  true,
		"ratio":                 0.5,
		"layers":                []any{"arn:1", nil},
		"subnet_ids":            []any{"a", "b"},
		"lambda_functions": map[string]any{
			"api_handler": map[string]any{"reserved_concurrency": int64(3), "tags": map[string]any{"k": "v"}},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("normalizeStageConfig:\n got  %#v\n want %#v", got, want)
	}
	// The caller's map is not changed (chalice.cdk.Chalice adds chalice_app to it).
	if _, ok := in["unset"]; !ok || len(in) != 10 {
		t.Errorf("input was modified: %v", in)
	}

	tokenNumber := -1.8881545897087626e+289
	for name, tc := range map[string]struct {
		in   map[string]any
		want string
	}{
		"number token": {map[string]any{"lambda_functions": map[string]any{"w": map[string]any{"lambda_timeout": tokenNumber}}}, "StageConfig lambda_functions.w.lambda_timeout is an unresolved CDK number token"},
		"int keys":     {map[string]any{"tags": map[int]string{1: "x"}}, "StageConfig tags is a map with int keys"},
		"func":         {map[string]any{"f": func() {}}, "StageConfig f has Go type func()"},
		"NaN":          {map[string]any{"lambda_timeout": math.NaN()}, "JSON cannot represent"},
		"list element": {map[string]any{"layers": []any{"a", make(chan int)}}, "StageConfig layers[1] has Go type chan int"},
	} {
		_, err := normalizeStageConfig(tc.in, func(f float64) bool { return f == tokenNumber })
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", name, err, tc.want)
		}
	}
}

func TestUnknownLogicalIDErrorMessage(t *testing.T) {
	existing := map[string]string{"APIHandler": typeFunction, "DefaultRole": typeRole, "RestAPI": "AWS::Serverless::Api", "Worker": typeFunction}
	cases := []struct {
		err  *UnknownLogicalIDError
		want []string
	}{
		{&UnknownLogicalIDError{Path: "S/C", LogicalID: "apihandler", Existing: existing},
			[]string{`Chalice construct S/C: the Chalice template has no resource "apihandler"`, "its resources are: APIHandler, DefaultRole, RestAPI, Worker", `did you mean "APIHandler"?`, "LogicalIDFor"}},
		{&UnknownLogicalIDError{Path: "S/C", LogicalID: "Wroker", Want: typeFunction, Existing: existing},
			[]string{"its AWS::Serverless::Function resources are: APIHandler, Worker", `did you mean "Worker"?`}},
		{&UnknownLogicalIDError{Path: "S/C", LogicalID: "Zzzzzzzz", Want: typeFunction, Existing: existing},
			[]string{"APIHandler, Worker."}},
		{&UnknownLogicalIDError{Path: "S/C", LogicalID: "RestAPI", Want: typeRole, Got: "AWS::Serverless::Api", Existing: existing},
			[]string{`resource "RestAPI" is AWS::Serverless::Api, not AWS::IAM::Role; its AWS::IAM::Role resources are: DefaultRole`}},
		{&UnknownLogicalIDError{Path: "S/C", LogicalID: "X", Want: typeLayer, Existing: existing},
			[]string{"it has no AWS::Serverless::LayerVersion at all"}},
		{&UnknownLogicalIDError{Path: "S/C", LogicalID: "X", NotPackaged: errors.New("boom")},
			[]string{`cannot look up "X" because the app was not packaged: boom`}},
	}
	for _, tc := range cases {
		msg := tc.err.Error()
		for _, w := range tc.want {
			if !strings.Contains(msg, w) {
				t.Errorf("message %q lacks %q", msg, w)
			}
		}
	}
	if strings.Contains(cases[2].err.Error(), "did you mean") {
		t.Errorf("suggested something for an unrelated ID: %s", cases[2].err.Error())
	}
}

func TestLogicalIDFor(t *testing.T) {
	c := &Chalice{}
	s := func(v string) *string { return &v }
	for in, want := range map[string]string{
		"api_handler":       "APIHandler",
		"websocket_connect": "WebsocketConnect",
		"my_function":       "MyFunction",
		"CustomName-v2":     "CustomNameV2",
		"every_hour":        "EveryHour",
		"bp_handle_sqs":     "BpHandleSqs",
	} {
		if got := c.LogicalIDFor(s(in)); got == nil || *got != want {
			t.Errorf("LogicalIDFor(%q) = %v, want %q", in, got, want)
		}
	}
	for _, in := range []*string{nil, s(""), s("___")} {
		if got := c.LogicalIDFor(in); got != nil {
			t.Errorf("LogicalIDFor(%v) = %q, want nil", in, *got)
		}
	}
}
