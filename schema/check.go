package schema

import (
	"github.com/chalice-lsp/chalice-lsp/schema/diag"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// CheckConfig parses the content of a .chalice/config.json and checks it: JSON syntax
// as Chalice reads it (Python's json.loads: no comments, no trailing commas, valid
// UTF-8, bounded nesting), then the schema. It returns the (possibly partial) tree for
// further checks, or nil when the content holds no JSON value, and the diagnostics in
// source order. It never panics on any input.
func CheckConfig(src []byte) (*jsonpos.Node, []diag.Diagnostic) {
	if isBlank(src) {
		return nil, []diag.Diagnostic{{
			Start: 0, End: len(src), Severity: diag.Error, Code: CodeEmptyFile,
			Message: `config.json is empty; Chalice cannot load it ("Unable to load the project config file"). Write a JSON object such as {"version": "2.0", "app_name": "myapp", "stages": {"dev": {}}}`,
		}}
	}
	root, errs := jsonpos.Parse(src)
	ds := make([]diag.Diagnostic, 0, len(errs))
	for _, e := range errs {
		code := CodeJSONSyntax
		if e.InvalidUTF8 {
			code = CodeInvalidEncoding
		}
		ds = append(ds, diag.Diagnostic{Start: e.Start, End: e.End, Severity: diag.Error, Code: code, Message: e.Msg})
	}
	ds = append(ds, Validate(root, ConfigFile)...)
	diag.Sort(ds)
	return root, ds
}

func isBlank(src []byte) bool {
	for _, c := range src {
		switch c {
		case ' ', '\t', '\n', '\r':
		default:
			return false
		}
	}
	return true
}
