package jsonpos

import (
	"reflect"
	"testing"
)

// TestTokenSpelling: a synth-time value has one JSON spelling, which the
// predicates recognise as a CDK token like the real ones cdk-chalice writes.
func TestTokenSpelling(t *testing.T) {
	if got := (OpaqueValue{Source: "table.table_name"}).Token(); got != "${Token[table.table_name]}" {
		t.Fatalf("Token = %q", got)
	}
	for s, want := range map[string]bool{
		"${Token[TOKEN.12]}": true, "arn:aws:iam::${Token[AWS.AccountId.2]}:role/x": true,
		"${Token[": false, "Token[x]": false, "plain": false, "]} ${Token[": false,
	} {
		if ContainsToken(s) != want {
			t.Errorf("ContainsToken(%q) = %v, want %v", s, !want, want)
		}
	}
	root, _ := Parse([]byte(`{"a": "${Token[TOKEN.1]}", "b": "x", "c": 1}`))
	if !root.Get("a").SynthTime() || root.Get("b").SynthTime() || root.Get("c").SynthTime() || root.Get("missing").SynthTime() {
		t.Error("SynthTime misjudges a token string, a plain string, a number or a missing value")
	}
	if !(&Node{Kind: Opaque, Text: "x.y"}).SynthTime() {
		t.Error("an expression is a synth-time value")
	}
	in := map[string]any{"e": map[string]any{"T": OpaqueValue{Source: "t.n"}}, "l": []any{&OpaqueValue{Source: "q"}, "s"}}
	want := map[string]any{"e": map[string]any{"T": "${Token[t.n]}"}, "l": []any{"${Token[q]}", "s"}}
	if got := Plain(in); !reflect.DeepEqual(got, want) {
		t.Errorf("Plain = %#v", got)
	}
	if _, still := in["e"].(map[string]any)["T"].(OpaqueValue); !still {
		t.Error("Plain modified its input")
	}
}
