package effective

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
)

// This file generates random config.json documents (deterministically, from a seed)
// for the differential test against chalice.config.Config.

// gMember is one member of a generated object; objects may repeat keys on purpose
// (json.loads keeps the last one).
type gMember struct {
	key string
	val any // nil, bool, json.Number, string, []any, gObj
}

type gObj []gMember

type generator struct {
	r   *rand.Rand
	seq int
	// malformed is set when the document has a container of the wrong type (a stage
	// that is not an object, ...), where Chalice itself may crash.
	malformed bool
}

var (
	genStages    = []string{"dev", "prod", "beta", "pr~od/x"}
	genFunctions = []string{"api_handler", "worker", "foo_bar"}
	genEnvNames  = []string{"A", "B", "C", "aws-chalice"}
)

func (g *generator) chance(p float64) bool { return g.r.Float64() < p }

// unique returns a string value no other generated value equals, so Python's identity
// check can tell levels apart.
func (g *generator) unique(prefix string) string {
	g.seq++
	return fmt.Sprintf("%s-%d", prefix, g.seq)
}

// scalarOrAny returns a value of any JSON type, biased toward the tricky ones (null,
// false, 0, "", empty containers).
func (g *generator) anyValue(depth int) any {
	switch x := g.r.IntN(100); {
	case x < 12:
		return nil
	case x < 20:
		return false
	case x < 28:
		return true
	case x < 34:
		return json.Number("0")
	case x < 46:
		g.seq++
		return json.Number(fmt.Sprint(300 + g.seq))
	case x < 50:
		return json.Number([]string{"1.5", "0.0", "2e3", "-0", "1E-2", "12345678901234567890"}[g.r.IntN(6)])
	case x < 56:
		return ""
	case x < 74:
		return g.unique("s")
	case x < 78:
		return []any{}
	case x < 86:
		return []any{g.unique("l"), g.unique("l")}
	case x < 90 || depth > 1:
		return gObj{}
	default:
		return gObj{{"domain_name", g.unique("d")}, {"url_prefix", g.anyValue(depth + 1)}}
	}
}

func (g *generator) envMap() any {
	switch x := g.r.IntN(100); {
	case x < 6:
		return nil
	case x < 10:
		return []any{g.unique("e")}
	case x < 13:
		return g.unique("e")
	}
	var o gObj
	for i, n := 0, g.r.IntN(4); i < n; i++ {
		var v any
		switch y := g.r.IntN(100); {
		case y < 70:
			v = g.unique("v")
		case y < 80:
			v = nil
		case y < 90:
			g.seq++
			v = json.Number(fmt.Sprint(1000 + g.seq))
		case y < 95:
			v = false
		default:
			v = ""
		}
		o = append(o, gMember{genEnvNames[g.r.IntN(len(genEnvNames))], v})
	}
	return o
}

// settings adds random keys; perFunction limits them to what makes sense inside
// lambda_functions (the chain lookup reads any key at any level, so some stage-only
// keys are still thrown in).
func (g *generator) settings(o gObj, p float64) gObj {
	for _, k := range keys {
		if !g.chance(p) {
			continue
		}
		var v any
		if k.Scope == Merged {
			v = g.envMap()
		} else {
			v = g.anyValue(0)
		}
		o = append(o, gMember{k.Name, v})
		if g.chance(0.05) { // a duplicate key: the last one wins
			o = append(o, gMember{k.Name, g.anyValue(0)})
		}
	}
	if g.chance(0.1) {
		o = append(o, gMember{"lamda_timeout", g.anyValue(0)}) // unknown keys are ignored
	}
	g.r.Shuffle(len(o), func(i, j int) { o[i], o[j] = o[j], o[i] })
	return o
}

func (g *generator) malformedValue() any {
	g.malformed = true
	return []any{nil, "x", []any{}, json.Number("1")}[g.r.IntN(4)]
}

func (g *generator) functions(p float64) any {
	if g.chance(0.03) {
		return g.malformedValue()
	}
	var o gObj
	for _, fn := range genFunctions {
		if !g.chance(p) {
			continue
		}
		if g.chance(0.04) {
			o = append(o, gMember{fn, g.malformedValue()})
			continue
		}
		o = append(o, gMember{fn, g.settings(nil, 0.3)})
	}
	return o
}

// config returns a config.json text and a user overlay text (or "" for none).
func (g *generator) config() (cfg, user string) {
	g.malformed = false
	root := g.settings(nil, 0.25)
	if g.chance(0.7) {
		if g.chance(0.8) {
			root = append(root, gMember{"app_name", g.unique("app")})
		} else {
			root = append(root, gMember{"app_name", g.anyValue(0)})
		}
	}
	if g.chance(0.5) {
		root = append(root, gMember{"lambda_functions", g.functions(0.5)})
	}
	if g.chance(0.9) {
		if g.chance(0.03) {
			root = append(root, gMember{"stages", g.malformedValue()})
		} else {
			var stages gObj
			for _, s := range genStages {
				if !g.chance(0.55) {
					continue
				}
				if g.chance(0.04) {
					stages = append(stages, gMember{s, g.malformedValue()})
					continue
				}
				st := g.settings(nil, 0.3)
				if g.chance(0.6) {
					st = append(st, gMember{"lambda_functions", g.functions(0.5)})
				}
				stages = append(stages, gMember{s, st})
			}
			root = append(root, gMember{"stages", stages})
		}
	}
	cfg = encode(root, 0)
	if g.chance(0.5) {
		u := g.settings(nil, 0.2)
		if g.chance(0.4) {
			// Ignored as user params; merged or written as the stage by other constructs.
			u = append(u, gMember{"lambda_functions", g.functions(0.5)})
		}
		if g.chance(0.3) {
			u = append(u, gMember{"app_name", g.unique("userapp")})
		}
		user = encode(u, 0)
	}
	return cfg, user
}

// encode writes v as JSON, keeping duplicate keys and source order.
func encode(v any, indent int) string {
	var b strings.Builder
	encodeTo(&b, v, indent)
	return b.String()
}

func encodeTo(b *strings.Builder, v any, indent int) {
	pad := strings.Repeat("  ", indent+1)
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		fmt.Fprint(b, x)
	case json.Number:
		b.WriteString(string(x))
	case string:
		q, _ := json.Marshal(x)
		b.Write(q)
	case []any:
		b.WriteString("[")
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			encodeTo(b, e, indent+1)
		}
		b.WriteString("]")
	case gObj:
		if len(x) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{\n")
		for i, m := range x {
			if i > 0 {
				b.WriteString(",\n")
			}
			q, _ := json.Marshal(m.key)
			b.WriteString(pad)
			b.Write(q)
			b.WriteString(": ")
			encodeTo(b, m.val, indent+1)
		}
		b.WriteString("\n" + strings.Repeat("  ", indent) + "}")
	}
}
