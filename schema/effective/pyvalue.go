package effective

import (
	"encoding/json"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// Truthy reports the Python truthiness of the value json.loads makes of n: null,
// false, 0, 0.0, "", [] and {} are falsy. Opaque CDK expressions count as truthy
// (their value is only known at synth time; assume the user set something). A nil
// node is falsy.
func Truthy(n *jsonpos.Node) bool {
	if n == nil {
		return false
	}
	switch n.Kind {
	case jsonpos.Null:
		return false
	case jsonpos.Bool:
		return n.Text == "true"
	case jsonpos.Number:
		return numberTruthy(n.Text)
	case jsonpos.String:
		return n.Text != ""
	case jsonpos.Array:
		return len(n.Elems) > 0
	case jsonpos.Object:
		for _, m := range n.Members {
			if m.Value != nil {
				return true
			}
		}
		return false
	}
	return true
}

func truthyValue(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case json.Number:
		return numberTruthy(string(x))
	case string:
		return x != ""
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	}
	return true
}

func isIntLiteral(lit string) bool {
	return !strings.ContainsAny(lit, ".eE")
}

func numberTruthy(lit string) bool {
	if isIntLiteral(lit) {
		return strings.Trim(lit, "-0") != ""
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil && !math.IsInf(f, 0) {
		return true
	}
	return f != 0
}

// PyStr formats a JSON value the way Python's str() formats what json.loads returns
// (None, True, 1, 1.5, 'text' inside containers, ...). Chalice uses it through
// '%s' formatting, for example in the aws-chalice tag.
func PyStr(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return pyRepr(v)
}

func pyRepr(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case bool:
		if x {
			return "True"
		}
		return "False"
	case json.Number:
		return pyNumber(string(x))
	case string:
		return pyStrRepr(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = pyRepr(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		// Python keeps insertion order; jsonpos.Value does not, so sort for stability.
		names := make([]string, 0, len(x))
		for k := range x {
			names = append(names, k)
		}
		sort.Strings(names)
		parts := make([]string, len(names))
		for i, k := range names {
			parts[i] = pyStrRepr(k) + ": " + pyRepr(x[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case jsonpos.OpaqueValue:
		return x.Source
	}
	return "None"
}

// pyNumber formats a JSON number literal as Python prints int or float.
func pyNumber(lit string) string {
	if isIntLiteral(lit) {
		neg := strings.HasPrefix(lit, "-")
		digits := strings.TrimLeft(strings.TrimPrefix(lit, "-"), "0")
		if digits == "" {
			return "0"
		}
		if neg {
			return "-" + digits
		}
		return digits
	}
	f, _ := strconv.ParseFloat(lit, 64)
	return pyFloatRepr(f)
}

// pyFloatRepr is Python's repr(float): the shortest round-tripping digits, in fixed
// notation when the decimal exponent is in [-4, 16), scientific otherwise.
func pyFloatRepr(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	sci := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±XX, Go pads the exponent to 2 digits like Python
	exp, _ := strconv.Atoi(sci[strings.IndexByte(sci, 'e')+1:])
	if exp < -4 || exp >= 16 {
		return sci
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// pyStrRepr is Python's repr(str) for the common cases: single quotes unless the text
// holds a single quote and no double quote, with backslash escapes.
func pyStrRepr(s string) string {
	q := byte('\'')
	if strings.Contains(s, "'") && !strings.Contains(s, "\"") {
		q = '"'
	}
	var b strings.Builder
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == rune(q):
			b.WriteByte('\\')
			b.WriteByte(q)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\x`)
			b.WriteString(strconv.FormatInt(int64(r)|0x100, 16)[1:])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(q)
	return b.String()
}
