package cdkcode

import (
	"github.com/chalice-lsp/chalice-lsp/schema/appmodel/pysyntax"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// CDK stacks often build stage_config in steps: a literal, then
// `stage_config["key"] = ...` (often under an `if`), `.update(...)`,
// `{**base, ...}`, or a helper's return value extended by the caller. This
// file applies those steps to the literal's tree, and says when the final
// value cannot be known (Construct.StageConfigPartial).

// alias is a variable the stage config flows through: name (as written:
// "cfg", "self.stage_config") holds the literal from offset after, in scope
// (a function body; nil for the whole file), until offset before.
type alias struct {
	name          string
	scope         *pysyntax.Node
	after, before int
}

// notMutating are callables that receive the config without changing it.
var notMutating = map[string]bool{"print": true, "len": true, "dict": true, "json.dumps": true, "copy.deepcopy": true, "deepcopy": true, "repr": true, "str": true}

// applyMutations applies, innermost alias first, what the code does to each
// alias between its assignment and its use, to the tree root (which toJSON
// built from the traced literal).
func (p *pyFile) applyMutations(root *jsonpos.Node, aliases []alias) {
	for i := len(aliases) - 1; i >= 0; i-- {
		a := aliases[i]
		body := a.scope
		if body == nil {
			body = p.tree.Root
		}
		pysyntax.Walk(body, func(n *pysyntax.Node) bool {
			if n != body && (n.Kind == "function_definition" || n.Kind == "class_definition") && a.scope != nil {
				return false
			}
			if n.Start < a.after || n.Start >= a.before {
				return n.End > a.after && n.Start < a.before
			}
			p.mutation(root, a.name, n)
			return true
		})
	}
}

// mutation applies one statement or call n to root if it changes alias name.
func (p *pyFile) mutation(root *jsonpos.Node, name string, n *pysyntax.Node) {
	switch n.Kind {
	case "assignment", "augmented_assignment":
		left, right := n.ChildByField("left"), n.ChildByField("right")
		if left == nil || right == nil {
			return
		}
		if n.Kind == "augmented_assignment" {
			if p.text(left) == name {
				// cfg |= {...}
				if op := n.ChildByField("operator"); op != nil && p.text(op) == "|=" {
					p.merge(root, right)
				} else {
					p.partial = true
				}
			}
			return
		}
		if keys, ok := p.subscriptPath(left, name); ok {
			if keys == nil {
				p.partial = true // cfg[some_variable] = ...
				return
			}
			p.set(root, keys, left, right)
		}
	case "delete_statement":
		for _, t := range n.NamedChildren() {
			if keys, ok := p.subscriptPath(t, name); ok {
				if keys == nil {
					p.partial = true
					continue
				}
				remove(root, keys)
			}
		}
	case "call":
		fn := n.ChildByField("function")
		if fn == nil {
			return
		}
		args := p.tree.CallArgs(n.ChildByField("arguments"))
		if fn.Kind == "attribute" && p.text(fn.ChildByField("object")) == name {
			switch p.text(fn.ChildByField("attribute")) {
			case "update":
				for _, a := range args.Positional {
					p.merge(root, a)
				}
				for k, v := range args.Keyword {
					p.setMember(root, k, v.Start, v.Start, p.toJSON(v, 1))
				}
			case "setdefault":
				if len(args.Positional) == 2 {
					if lit, ok := p.tree.String(args.Positional[0]); ok && lit.Static {
						if root.Get(lit.Value) == nil {
							p.setMember(root, lit.Value, args.Positional[0].Start, args.Positional[0].End, p.toJSON(args.Positional[1], 1))
						}
						return
					}
				}
				p.partial = true
			case "pop":
				if len(args.Positional) >= 1 {
					if lit, ok := p.tree.String(args.Positional[0]); ok && lit.Static {
						remove(root, []string{lit.Value})
						return
					}
				}
				p.partial = true
			case "get", "keys", "items", "values", "copy":
			default:
				p.partial = true // clear(), popitem(), a custom method...
			}
			return
		}
		// The config handed to other code, which may change it.
		for _, a := range append(args.Positional, keywordValues(args)...) {
			if p.text(a) == name && !notMutating[p.text(fn)] && !isConstructCall(p, n) {
				p.partial = true
			}
		}
	}
}

func keywordValues(a pysyntax.Args) []*pysyntax.Node {
	var out []*pysyntax.Node
	for _, v := range a.Keyword {
		out = append(out, v)
	}
	return out
}

// isConstructCall reports a Chalice construct call (where the config is used).
func isConstructCall(p *pyFile, call *pysyntax.Node) bool {
	switch p.qualified(call.ChildByField("function")) {
	case "chalice.cdk.Chalice", "chalice.cdk.construct.Chalice", "cdk_chalice.Chalice":
		return true
	}
	return false
}

// subscriptPath reads `name["a"]["b"]`: ok when the chain starts at name,
// keys nil when a key is not a static string.
func (p *pyFile) subscriptPath(n *pysyntax.Node, name string) (keys []string, ok bool) {
	var rev []string
	static := true
	for n != nil && n.Kind == "subscript" {
		sub := n.ChildByField("subscript")
		if lit, isStr := p.tree.String(sub); isStr && lit.Static && sub != nil {
			rev = append(rev, lit.Value)
		} else {
			static = false
		}
		n = n.ChildByField("value")
	}
	if n == nil || len(rev) == 0 && static || p.text(n) != name {
		return nil, false
	}
	if !static {
		return nil, true
	}
	for i := len(rev) - 1; i >= 0; i-- {
		keys = append(keys, rev[i])
	}
	return keys, true
}

// set assigns value at keys under root, creating objects on the way.
func (p *pyFile) set(root *jsonpos.Node, keys []string, left, value *pysyntax.Node) {
	obj := root
	for i, k := range keys {
		if obj == nil || obj.Kind != jsonpos.Object {
			p.partial = true
			return
		}
		if i == len(keys)-1 {
			p.setMember(obj, k, left.Start, left.End, p.toJSON(value, 1))
			return
		}
		next := obj.Get(k)
		if next == nil {
			next = &jsonpos.Node{Kind: jsonpos.Object, Start: left.Start, End: left.End}
			p.setMember(obj, k, left.Start, left.End, next)
		}
		obj = next
	}
}

// setMember replaces the value of key in obj, or adds it (the key's span is
// where the code sets it).
func (p *pyFile) setMember(obj *jsonpos.Node, key string, ks, ke int, v *jsonpos.Node) {
	if !setMember(obj, key, ks, ke, v) {
		p.partial = true
	}
}

// setMember sets key in obj (false when obj is not an object).
func setMember(obj *jsonpos.Node, key string, ks, ke int, v *jsonpos.Node) bool {
	if obj == nil || obj.Kind != jsonpos.Object {
		return false
	}
	for i := len(obj.Members) - 1; i >= 0; i-- {
		if obj.Members[i].Key == key {
			obj.Members[i].Value = v
			return true
		}
	}
	obj.Members = append(obj.Members, jsonpos.Member{Key: key, KeyStart: ks, KeyEnd: ke, Value: v})
	return true
}

// merge applies dict.update(expr): the members of a traceable literal
// override, anything else makes the config partial.
func (p *pyFile) merge(root *jsonpos.Node, expr *pysyntax.Node) {
	lit := p.traceLiteral(expr, expr, 0, nil)
	if lit == nil {
		p.partial = true
		return
	}
	src := p.toJSON(lit, 1)
	if src.Kind != jsonpos.Object {
		p.partial = true
		return
	}
	for _, m := range src.Members {
		p.setMember(root, m.Key, m.KeyStart, m.KeyEnd, m.Value)
	}
}

func remove(root *jsonpos.Node, keys []string) {
	obj := root
	for _, k := range keys[:len(keys)-1] {
		if obj = obj.Get(k); obj == nil || obj.Kind != jsonpos.Object {
			return
		}
	}
	last := keys[len(keys)-1]
	out := obj.Members[:0]
	for _, m := range obj.Members {
		if m.Key != last {
			out = append(out, m)
		}
	}
	obj.Members = out
}
