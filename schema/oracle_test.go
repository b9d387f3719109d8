package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"sync"

	"github.com/chalice-lsp/chalice-lsp/schema/diag"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

// The library oracle: github.com/santhosh-tekuri/jsonschema/v5 validates the same
// documents with the same schema files, and its errors are mapped to diagnostics with
// the same wording functions. Tests require both to give identical diagnostics, which
// proves that Validate's own walk enforces exactly what the JSON Schema says.

var (
	oracleOnce sync.Once
	oracle     [2]*jsonschema.Schema
	oracleErr  error
)

func compileOracle() {
	comp := jsonschema.NewCompiler()
	comp.Draft = jsonschema.Draft2020
	comp.AssertFormat = true
	comp.Formats = map[string]func(any) bool{"chalice-version": isChaliceVersion}
	comp.LoadURL = func(s string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("schema %s is not bundled (no network access)", s)
	}
	for name, src := range map[string][]byte{configFileName: configSchema, stageFileName: stageSchema} {
		if err := comp.AddResource(baseURL+name, bytes.NewReader(src)); err != nil {
			oracleErr = err
			return
		}
	}
	for kind, name := range []string{configFileName, stageFileName} {
		s, err := comp.Compile(baseURL + name)
		if err != nil {
			oracleErr = err
			return
		}
		oracle[kind] = s
	}
}

// LibraryValidate is Validate done by the jsonschema library (for tests only).
// The library panics on numbers it cannot expand (1e10000010); that is reported as
// an ErrLibraryPanic error.
func LibraryValidate(root *jsonpos.Node, kind Kind) (ds []diag.Diagnostic, err error) {
	defer func() {
		if r := recover(); r != nil {
			ds, err = nil, fmt.Errorf("%w: %v", ErrLibraryPanic, r)
		}
	}()
	oracleOnce.Do(compileOracle)
	if oracleErr != nil {
		return nil, oracleErr
	}
	if root == nil {
		return nil, nil
	}
	v, errd := newValidator(root, kind)
	if errd != nil {
		return nil, errors.New(errd.Message)
	}
	lv := &libValidator{validator: v, seen: map[string]bool{}}
	// Duplicate keys are not a schema matter; report them the same way.
	lv.dups(root)
	err = oracle[v.kind].Validate(instance(root))
	if err != nil {
		var ve *jsonschema.ValidationError
		if !errors.As(err, &ve) {
			return nil, err
		}
		lv.leaves(ve)
	}
	diag.Sort(v.out)
	return v.out, nil
}

// ErrLibraryPanic marks a panic inside the jsonschema library.
var ErrLibraryPanic = errors.New("the jsonschema library panicked")

// HugeNumber reports whether the tree holds a number literal too large for exact
// arithmetic (where the library panics and Validate compares by float).
func HugeNumber(n *jsonpos.Node) bool {
	if n == nil {
		return false
	}
	if n.Kind == jsonpos.Number {
		x, ok := parseNum(n.Text)
		return ok && x.r == nil && !isPlainInt(n.Text)
	}
	for _, e := range n.Elems {
		if HugeNumber(e) {
			return true
		}
	}
	for _, m := range n.Members {
		if HugeNumber(m.Value) {
			return true
		}
	}
	return false
}

type libValidator struct {
	*validator
	seen map[string]bool
}

func (v *libValidator) dups(n *jsonpos.Node) {
	if n == nil {
		return
	}
	for _, e := range n.Elems {
		v.dups(e)
	}
	d := v.duplicates(n)
	for i, m := range n.Members {
		if !isDup(d, i) {
			v.dups(m.Value)
		}
	}
}

// instance converts the tree to what the library takes; Opaque nodes become their
// source text, as they pass wherever any string may stand.
func instance(n *jsonpos.Node) any {
	switch n.Kind {
	case jsonpos.Bool:
		return n.Text == "true"
	case jsonpos.Number:
		return json.Number(n.Text)
	case jsonpos.String, jsonpos.Opaque:
		return n.Text
	case jsonpos.Array:
		out := make([]any, 0, len(n.Elems))
		for _, e := range n.Elems {
			if e != nil {
				out = append(out, instance(e))
			}
		}
		return out
	case jsonpos.Object:
		out := make(map[string]any, len(n.Members))
		for _, m := range n.Members {
			if m.Value != nil {
				out[m.Key] = instance(m.Value)
			}
		}
		return out
	}
	return nil
}

func (v *libValidator) leaves(e *jsonschema.ValidationError) {
	if len(e.Causes) == 0 {
		v.leaf(e)
		return
	}
	for _, c := range e.Causes {
		v.leaves(c)
	}
}

func (v *libValidator) once(loc, group string) bool {
	k := group + "\x00" + loc
	if v.seen[k] {
		return false
	}
	v.seen[k] = true
	return true
}

func (v *libValidator) leaf(e *jsonschema.ValidationError) {
	toks, ok := splitPointer(e.InstanceLocation)
	if !ok {
		return
	}
	kw := e.KeywordLocation
	if i := strings.LastIndexByte(kw, '/'); i >= 0 {
		kw = kw[i+1:]
	}
	switch {
	case strings.Contains(e.KeywordLocation, "/propertyNames/"):
		// The instance location is the member's; the problem is its key.
		if len(toks) == 0 {
			return
		}
		t, ok := v.locate(toks[:len(toks)-1])
		if !ok || t.s == nil || t.s.propertyNames == nil {
			return
		}
		v.badKey(t, toks[len(toks)-1], t.s.propertyNames)
	case kw == "additionalProperties":
		if v.once(e.InstanceLocation, "unknown") {
			if t, ok := v.locate(toks); ok && t.s != nil {
				v.unknownKeys(t)
			}
		}
	case kw == "required":
		if v.once(e.InstanceLocation, "required") {
			if t, ok := v.locate(toks); ok && t.s != nil {
				v.missingKeys(t)
			}
		}
	default:
		if v.once(e.InstanceLocation, "value") {
			if t, ok := v.locate(toks); ok && t.s != nil {
				v.badValue(t, e.Message)
			}
		}
	}
}

// splitPointer decodes the library's instance locations: RFC 6901 tokens whose
// characters are additionally URL-path-escaped.
func splitPointer(p string) ([]string, bool) {
	if p == "" {
		return nil, true
	}
	if p[0] != '/' {
		return nil, false
	}
	parts := strings.Split(p[1:], "/")
	for i, s := range parts {
		if strings.IndexByte(s, '%') >= 0 {
			u, err := url.PathUnescape(s)
			if err != nil {
				return nil, false
			}
			s = u
		}
		if strings.IndexByte(s, '~') >= 0 {
			s = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
		}
		parts[i] = s
	}
	return parts, true
}
