package packager

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// fixTemplate repairs known defects of chalice's SAM output in place (as byte edits,
// so the rest of the file keeps chalice's formatting) and describes each change.
//
// chalice #2079: with log_retention_in_days, the API handler's log group is named
// with Fn::Sub "/aws/lambda/${ApiHandler}", but the function's logical ID is
// APIHandler, so CloudFormation rejects the dangling reference.
func fixTemplate(src []byte) ([]byte, []string) {
	root, errs := jsonpos.Parse(src)
	if len(errs) > 0 || root == nil {
		return src, nil
	}
	res := root.Get("Resources")
	if res == nil || res.Kind != jsonpos.Object || res.Get("ApiHandler") != nil || res.Get("APIHandler") == nil {
		return src, nil
	}
	type edit struct {
		start, end int
		text       string
	}
	var edits []edit
	var notes []string
	for _, m := range res.Members {
		r := m.Value
		if r == nil || r.Kind != jsonpos.Object {
			continue
		}
		if t := r.Get("Type"); t == nil || t.Text != "AWS::Logs::LogGroup" {
			continue
		}
		sub := r.Lookup("/Properties/LogGroupName/Fn::Sub")
		if sub == nil || sub.Kind != jsonpos.String || !strings.Contains(sub.Text, "${ApiHandler}") {
			continue
		}
		fixed := strings.ReplaceAll(sub.Text, "${ApiHandler}", "${APIHandler}")
		b, _ := json.Marshal(fixed)
		edits = append(edits, edit{sub.Start, sub.End, string(b)})
		notes = append(notes, "Resources."+m.Key+".Properties.LogGroupName: replaced ${ApiHandler} with ${APIHandler}; chalice names the API handler's log group after a logical ID that does not exist (chalice issue #2079)")
	}
	if len(edits) == 0 {
		return src, nil
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].start > edits[j].start })
	out := append([]byte(nil), src...)
	for _, e := range edits {
		out = append(out[:e.start], append([]byte(e.text), out[e.end:]...)...)
	}
	return out, notes
}
