package jsonfeatures

import (
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// PolicyFileKeys are the config keys whose string value names a file in .chalice/.
var PolicyFileKeys = []string{"iam_policy_file", "api_gateway_policy_file"}

// Link is a policy file named by the config: the value's text (without quotes) at
// [Start, End) names File, relative to .chalice/.
type Link struct {
	Start, End int
	Key, File  string
}

// Links returns the policy file names of a config.json, at the levels Chalice reads
// them: the top level, each stages.<stage>, and each lambda_functions.<name> of
// either (iam_policy_file only there). Empty names and strings still being typed
// (no closing quote) are skipped; whether the file
// exists is for the caller to check (the missing-file diagnostic comes from
// schema/rules).
func Links(src []byte, root *jsonpos.Node) []Link {
	if root == nil || root.Kind != jsonpos.Object {
		return nil
	}
	var out []Link
	level := func(obj *jsonpos.Node, functions bool) {
		if obj == nil || obj.Kind != jsonpos.Object {
			return
		}
		for _, m := range obj.Members {
			v := m.Value
			if v == nil || v.Kind != jsonpos.String || v.Text == "" || !closedAt(src, v) {
				continue
			}
			if m.Key == "iam_policy_file" || (m.Key == "api_gateway_policy_file" && !functions) {
				out = append(out, Link{Start: v.Start + 1, End: v.End - 1, Key: m.Key, File: v.Text})
			}
		}
	}
	functionsOf := func(obj *jsonpos.Node) {
		if fns := obj.Get("lambda_functions"); fns != nil && fns.Kind == jsonpos.Object {
			for _, f := range fns.Members {
				level(f.Value, true)
			}
		}
	}
	level(root, false)
	functionsOf(root)
	if stages := root.Get("stages"); stages != nil && stages.Kind == jsonpos.Object {
		for _, st := range stages.Members {
			if st.Value == nil || st.Value.Kind != jsonpos.Object {
				continue
			}
			level(st.Value, false)
			functionsOf(st.Value)
		}
	}
	return out
}
