package schema_test

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/schema"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// docGen builds random configs shaped by the schema itself: allowed keys at every
// level mixed with misplaced and misspelled ones, boundary and wrong-typed values.
type docGen struct {
	r    *rand.Rand
	kind schema.Kind
}

var (
	strPool = []string{"", "x", "arn:aws:iam::1:role/r", "arn:aws:lambda:us-west-2:1:layer:l:1", "subnet-0a", "sg-0a", "vpce-0a",
		"EDGE", "regional", "PRIVATE", "TLS_1_2", "TLS_1_3", "2.0", "3.0", "abc", " 1.5 ", "1e1", "é😀", "512", "true", "no",
		strings.Repeat("t", 129)}
	numPool   = []string{"0", "-1", "1", "1.5", "1e3", "128", "127", "10240", "10241", "900", "901", "14", "10", "3653", "2", "2.5", "1200e-2", "60.0", "10485760", "10485761", "-0"}
	namePool  = []string{"A", "AB", "1X", "TABLE_NAME", "dev", "api_handler", "my-var", "aws:x", "team", "é", "websocket_message"}
	extraKeys = []string{"lamda_timeout", "profile", "websocket_api", "url_prefixes", "security_policy", "domain_name", "app_name",
		"automatic_layer", "stages", "version", "lambda_functions", "minimum_compression_size", "Lambda_Timeout", "tags"}
)

func (g *docGen) pick(xs []string) string { return xs[g.r.Intn(len(xs))] }

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func (g *docGen) object(path []string, depth int) string {
	keys := schema.KeysAt(g.kind, path)
	var members []string
	n := g.r.Intn(6)
	for i := 0; i < n; i++ {
		var k string
		switch {
		case len(keys) > 0 && g.r.Intn(5) > 0:
			k = keys[g.r.Intn(len(keys))].Name
		case len(keys) == 0 && g.r.Intn(4) > 0:
			k = g.pick(namePool) // a free-form map
		default:
			k = g.pick(extraKeys)
		}
		members = append(members, quote(k)+": "+g.value(append(slices.Clone(path), k), depth+1))
	}
	return "{" + strings.Join(members, ", ") + "}"
}

func (g *docGen) value(path []string, depth int) string {
	v, ok := schema.ValueSchemaAt(g.kind, path)
	if !ok || depth > 6 || g.r.Intn(6) == 0 {
		return g.anyValue(depth)
	}
	t := v.Types[g.r.Intn(len(v.Types))]
	switch t {
	case "integer", "number":
		if len(v.Enum) > 0 && g.r.Intn(2) == 0 {
			return fmt.Sprint(v.Enum[g.r.Intn(len(v.Enum))])
		}
		if v.Minimum != nil && g.r.Intn(3) == 0 {
			return fmt.Sprint(*v.Minimum - float64(g.r.Intn(2)))
		}
		if v.Maximum != nil && g.r.Intn(3) == 0 {
			return fmt.Sprint(*v.Maximum + float64(g.r.Intn(2)))
		}
		return g.pick(numPool)
	case "string":
		if len(v.Enum) > 0 && g.r.Intn(2) == 0 {
			return quote(fmt.Sprint(v.Enum[g.r.Intn(len(v.Enum))]))
		}
		return quote(g.pick(strPool))
	case "boolean":
		return g.pick([]string{"true", "false", `"true"`, "0"})
	case "array":
		var items []string
		for i := g.r.Intn(4); i > 0; i-- {
			items = append(items, g.value(append(slices.Clone(path), "0"), depth+1))
		}
		return "[" + strings.Join(items, ", ") + "]"
	case "object":
		return g.object(path, depth)
	}
	return g.anyValue(depth)
}

func (g *docGen) anyValue(depth int) string {
	switch g.r.Intn(7) {
	case 0:
		return "null"
	case 1:
		return g.pick(numPool)
	case 2:
		return quote(g.pick(strPool))
	case 3:
		return g.pick([]string{"true", "false"})
	case 4:
		if depth < 8 {
			return "[" + g.anyValue(depth+1) + "]"
		}
	case 5:
		if depth < 8 {
			return "{" + quote(g.pick(namePool)) + ": " + g.anyValue(depth+1) + "}"
		}
	}
	return "{}"
}

// TestDifferentialAgainstLibrary validates thousands of schema-shaped random documents
// with Validate and with the jsonschema library; the diagnostics must be identical.
func TestDifferentialAgainstLibrary(t *testing.T) {
	r := rand.New(rand.NewSource(20261123))
	problems, clean := 0, 0
	for i := 0; i < 3000; i++ {
		kind := schema.ConfigFile
		if i%4 == 3 {
			kind = schema.StageConfig
		}
		g := &docGen{r: r, kind: kind}
		src := g.object(nil, 0)
		root, errs := jsonpos.Parse([]byte(src))
		if len(errs) > 0 {
			t.Fatalf("generator made invalid JSON %s: %v", src, errs)
		}
		sameAsLibrary(t, root, kind)
		if t.Failed() {
			t.Fatalf("document: %s", src)
		}
		if len(schema.Validate(root, kind)) > 0 {
			problems++
		} else {
			clean++
		}
	}
	// The generator must exercise both outcomes, or the comparison proves little.
	t.Logf("%d with problems, %d clean", problems, clean)
	if problems < 500 || clean < 300 {
		t.Errorf("unbalanced sample: %d with problems, %d clean", problems, clean)
	}
}
