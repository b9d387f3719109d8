package schema

import (
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"strings"

	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// node is one schema (sub)object with every $ref resolved. It is read from the embedded
// schema files themselves, so messages, completion and hover can never disagree with
// what the validator enforces.
type node struct {
	def string // name under $defs this node came from ("stage", "top_function", ...); "" for the root

	types []string // JSON Schema type names, without "null"
	// nullable: the schema allows null, which for Chalice means "not set"
	// (_chain_lookup skips None; _chain_merge skips non-dicts). Kept apart
	// from types so messages and completion never offer null as a value.
	nullable      bool
	props         map[string]*node
	propOrder     []string // property names in file order
	additional    *node    // schema of free-form members (maps); nil when closed or absent
	closed        bool     // additionalProperties: false
	propertyNames *node
	items         *node
	required      []string
	enum          []any    // string, json.Number, bool
	enumIdx       []int    // index in the schema's enum array of each enum entry (null skipped)
	enumDescs     []string // markdownEnumDescriptions (VS Code's keyword), aligned with the schema's enum array
	def0          any      // "default"
	hasDefault    bool
	examples      []any
	minimum       *big.Rat
	maximum       *big.Rat
	minF, maxF    float64 // the bounds as floats, for quick comparisons
	minLength     int
	maxLength     int // -1: none
	pattern       *regexp.Regexp
	prefix        string // pattern is exactly "^" + this literal: a plain prefix test suffices
	isPrefix      bool
	patternHint   string
	format        string
	unit          string
	mustBe        string
	title         string
	description   string
	markdown      string
}

// loadModel builds the resolved model of the schema documents. docs maps a document's
// file name ("config.schema.json") to its content; entry names the document to start at.
func loadModel(docs map[string][]byte, entry string) (*node, error) {
	l := &loader{docs: map[string]*jsonpos.Node{}, memo: map[string]*node{}}
	for name, src := range docs {
		root, errs := jsonpos.Parse(src)
		if len(errs) > 0 || root == nil {
			return nil, fmt.Errorf("%s: invalid JSON: %v", name, errs)
		}
		l.docs[name] = root
	}
	return l.resolve(entry, "")
}

type loader struct {
	docs map[string]*jsonpos.Node
	memo map[string]*node
}

// resolve returns the node at JSON pointer ptr of document doc.
func (l *loader) resolve(doc, ptr string) (*node, error) {
	key := doc + "#" + ptr
	if n, ok := l.memo[key]; ok {
		return n, nil
	}
	root, ok := l.docs[doc]
	if !ok {
		return nil, fmt.Errorf("unknown schema document %q", doc)
	}
	raw := root.Lookup(ptr)
	if raw == nil || raw.Kind != jsonpos.Object {
		return nil, fmt.Errorf("%s#%s: not a schema object", doc, ptr)
	}
	n := &node{maxLength: -1}
	if name, ok := strings.CutPrefix(ptr, "/$defs/"); ok && !strings.Contains(name, "/") {
		n.def = name
	}
	l.memo[key] = n // before filling: tolerates recursive references
	if err := l.fill(n, doc, ptr, raw); err != nil {
		return nil, err
	}
	return n, nil
}

func (l *loader) fill(n *node, doc, ptr string, raw *jsonpos.Node) error {
	// A $ref is applied first; the keywords next to it (annotations such as a
	// level-specific description) then override what the target says.
	if ref := raw.Get("$ref"); ref != nil {
		tdoc, tptr, _ := strings.Cut(ref.Text, "#")
		if tdoc == "" {
			tdoc = doc
		}
		target, err := l.resolve(tdoc, tptr)
		if err != nil {
			return fmt.Errorf("%s#%s: $ref %q: %w", doc, ptr, ref.Text, err)
		}
		def := n.def
		*n = *target
		if def != "" {
			n.def = def
		}
	}
	for _, m := range raw.Members {
		v := m.Value
		sub := ptr + jsonpos.Pointer(m.Key)
		var err error
		switch m.Key {
		case "type":
			n.types, n.nullable = nil, false
			var ts []string
			if v.Kind == jsonpos.String {
				ts = []string{v.Text}
			} else {
				for _, e := range v.Elems {
					ts = append(ts, e.Text)
				}
			}
			for _, t := range ts {
				if t == "null" {
					n.nullable = true
				} else {
					n.types = append(n.types, t)
				}
			}
		case "properties":
			n.props = map[string]*node{}
			n.propOrder = nil
			for _, pm := range v.Members {
				p, err := l.resolve(doc, sub+jsonpos.Pointer(pm.Key))
				if err != nil {
					return err
				}
				n.props[pm.Key] = p
				n.propOrder = append(n.propOrder, pm.Key)
			}
		case "additionalProperties":
			if v.Kind == jsonpos.Bool {
				n.closed = v.Text == "false"
				n.additional = nil
			} else {
				n.additional, err = l.resolve(doc, sub)
			}
		case "propertyNames":
			n.propertyNames, err = l.resolve(doc, sub)
		case "items":
			n.items, err = l.resolve(doc, sub)
		case "required":
			n.required = nil
			for _, e := range v.Elems {
				n.required = append(n.required, e.Text)
			}
		case "enum":
			n.enum, n.enumIdx = nil, nil
			for i, e := range v.Elems {
				if e.Kind != jsonpos.Null { // null is n.nullable
					n.enum = append(n.enum, e.Value())
					n.enumIdx = append(n.enumIdx, i)
				}
			}
		case "markdownEnumDescriptions":
			n.enumDescs = nil
			for _, e := range v.Elems {
				n.enumDescs = append(n.enumDescs, e.Text)
			}
		case "default":
			n.def0, n.hasDefault = v.Value(), true
		case "examples":
			n.examples = nil
			for _, e := range v.Elems {
				n.examples = append(n.examples, e.Value())
			}
		case "minimum":
			n.minimum, err = rat(v)
			if err == nil {
				n.minF, _ = n.minimum.Float64()
			}
		case "maximum":
			n.maximum, err = rat(v)
			if err == nil {
				n.maxF, _ = n.maximum.Float64()
			}
		case "minLength":
			fmt.Sscan(v.Text, &n.minLength)
		case "maxLength":
			fmt.Sscan(v.Text, &n.maxLength)
		case "pattern":
			n.pattern, err = regexp.Compile(v.Text)
			lit := strings.TrimPrefix(v.Text, "^")
			n.prefix, n.isPrefix = lit, lit != v.Text && regexp.QuoteMeta(lit) == lit
		case "x-patternHint":
			n.patternHint = v.Text
		case "format":
			n.format = v.Text
		case "x-unit":
			n.unit = v.Text
		case "x-mustBe":
			n.mustBe = v.Text
		case "title":
			n.title = v.Text
		case "description":
			n.description = v.Text
		case "markdownDescription":
			n.markdown = v.Text
		case "$ref", "$schema", "$id", "$defs":
		default:
			// Validate implements exactly the keywords above; a schema using any
			// other keyword would be enforced by other tools but not by chalice-lsp.
			if !strings.HasPrefix(m.Key, "x-") {
				err = fmt.Errorf("unsupported schema keyword %q", m.Key)
			}
		}
		if err != nil {
			return fmt.Errorf("%s#%s: %w", doc, sub, err)
		}
	}
	return nil
}

func rat(v *jsonpos.Node) (*big.Rat, error) {
	r, ok := new(big.Rat).SetString(v.Text)
	if !ok {
		return nil, fmt.Errorf("not a number: %s", v.Text)
	}
	return r, nil
}

// child returns the schema of the member or element named seg, or nil.
func (n *node) child(seg string) *node {
	if n == nil {
		return nil
	}
	if p, ok := n.props[seg]; ok {
		return p
	}
	if n.additional != nil {
		return n.additional
	}
	if n.items != nil && n.allows("array") {
		return n.items
	}
	return nil
}

// allows reports whether the JSON type t is one of n's types (no types: anything).
func (n *node) allows(t string) bool {
	if t == "null" && n.nullable {
		return true
	}
	if len(n.types) == 0 {
		return true
	}
	for _, x := range n.types {
		if x == t || (t == "integer" && x == "number") {
			return true
		}
	}
	return false
}

// isMap reports whether n is an object with free-form keys (stages, tags, ...).
func (n *node) isMap() bool { return n.additional != nil }

// plainValues returns schema values with numbers as int64 or float64, for API users.
func plainValues(vs []any) []any {
	if vs == nil {
		return nil
	}
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = plainValue(v)
	}
	return out
}

func plainValue(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case []any:
		return plainValues(x)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = plainValue(e)
		}
		return out
	}
	return v
}

// typeLabel is the short human type shown in completion and hover, e.g.
// "integer (128-10240)", "string (EDGE, REGIONAL, PRIVATE)", "list of strings".
func (n *node) typeLabel() string {
	var parts []string
	for _, t := range n.types {
		parts = append(parts, n.typeWord(t))
	}
	s := strings.Join(parts, " or ")
	if s == "" {
		s = "any"
	}
	switch {
	case len(n.enum) > 0:
		s += " (" + enumList(n.enum, 8) + ")"
	case n.minimum != nil && n.maximum != nil:
		s += fmt.Sprintf(" (%s-%s)", ratString(n.minimum), ratString(n.maximum))
	case n.minimum != nil:
		s += " (>= " + ratString(n.minimum) + ")"
	case n.maximum != nil:
		s += " (<= " + ratString(n.maximum) + ")"
	}
	if n.unit != "" {
		s += ", " + n.unit
	}
	return s
}

func (n *node) typeWord(t string) string {
	switch t {
	case "array":
		if n.items != nil && len(n.items.types) == 1 {
			return "list of " + n.items.types[0] + "s"
		}
		return "list"
	case "object":
		if n.additional != nil {
			if n.additional.title != "" {
				return "map of " + n.additional.title + " objects"
			}
			if len(n.additional.types) == 1 {
				return "map of " + n.additional.types[0] + "s"
			}
			return "map"
		}
		if n.title != "" {
			return "object (" + n.title + ")"
		}
	}
	return t
}

// mustBePhrase completes "<key> must be ...", e.g. "an integer from 128 to 10240 (MB)".
func (n *node) mustBePhrase() string {
	if n.mustBe != "" {
		return n.mustBe
	}
	if len(n.enum) > 0 {
		s := "one of " + enumList(n.enum, 0)
		if n.unit != "" {
			s += " (" + n.unit + ")"
		}
		return s
	}
	var parts []string
	for _, t := range n.types {
		parts = append(parts, n.typePhrase(t))
	}
	if len(parts) == 0 {
		return "a valid value"
	}
	return strings.Join(parts, " or ")
}

func (n *node) typePhrase(t string) string {
	switch t {
	case "integer", "number":
		word := "an integer"
		if t == "number" {
			word = "a number"
		}
		var s string
		switch {
		case n.minimum != nil && n.maximum != nil:
			s = fmt.Sprintf("%s from %s to %s", word, ratString(n.minimum), ratString(n.maximum))
		case n.minimum != nil && n.minimum.Sign() == 0:
			s = "a non-negative " + strings.TrimPrefix(strings.TrimPrefix(word, "an "), "a ")
		case n.minimum != nil:
			s = fmt.Sprintf("%s of at least %s", word, ratString(n.minimum))
		case n.maximum != nil:
			s = fmt.Sprintf("%s no greater than %s", word, ratString(n.maximum))
		default:
			s = word
		}
		if n.unit != "" {
			s += " (" + n.unit + ")"
		}
		return s
	case "string":
		return "a string"
	case "boolean":
		return "true or false"
	case "array":
		if n.items != nil && len(n.items.types) == 1 {
			return "a list of " + n.items.types[0] + "s"
		}
		return "a list"
	case "object":
		if n.additional != nil && len(n.additional.types) == 1 && n.additional.types[0] == "string" {
			return "an object whose values are strings"
		}
		if len(n.required) > 0 {
			return "an object with " + strings.Join(n.required, " and ")
		}
		return "an object"
	case "null":
		return "null"
	}
	return t
}

func ratString(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	f, _ := r.Float64()
	return fmt.Sprint(f)
}

// enumList renders enum values for people: EDGE, REGIONAL, PRIVATE. limit > 0 shortens
// long lists with an ellipsis.
func enumList(vs []any, limit int) string {
	var b strings.Builder
	for i, v := range vs {
		if limit > 0 && i == limit {
			b.WriteString(", …")
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprint(&b, v)
	}
	return b.String()
}

// matches reports whether text matches n's pattern.
func (n *node) matches(text string) bool {
	if n.isPrefix {
		return strings.HasPrefix(text, n.prefix)
	}
	return n.pattern.MatchString(text)
}
