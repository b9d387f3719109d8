package predict

import (
	"github.com/chalice-lsp/chalice-lsp/schema/effective"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// effectiveRoot returns the config tree to resolve against and the overlay
// to pass to effective.Resolve, per opts.StageConfigMode. Input trees are
// never modified.
func effectiveRoot(root *jsonpos.Node, opts Options) (*jsonpos.Node, *jsonpos.Node) {
	sc := opts.StageConfig
	if sc == nil || sc.Kind != jsonpos.Object || opts.StageConfigMode == effective.UserParams {
		return root, sc
	}
	stage := opts.Stage
	if stage == "" {
		stage = "dev"
	}
	base := root
	if base == nil || base.Kind != jsonpos.Object {
		base = &jsonpos.Node{Kind: jsonpos.Object}
	}
	stages := base.Get("stages")
	if stages == nil || stages.Kind != jsonpos.Object {
		stages = &jsonpos.Node{Kind: jsonpos.Object}
	}
	newStage := sc
	if opts.StageConfigMode == effective.MergeIntoStage {
		if old := stages.Get(stage); old != nil && old.Kind == jsonpos.Object {
			newStage = mergeObjects(old, sc)
		}
	}
	return withMember(base, "stages", withMember(stages, stage, newStage)), nil
}

// withMember returns a copy of obj whose (last) member key holds v.
func withMember(obj *jsonpos.Node, key string, v *jsonpos.Node) *jsonpos.Node {
	out := *obj
	out.Members = append([]jsonpos.Member(nil), obj.Members...)
	for i := len(out.Members) - 1; i >= 0; i-- {
		if out.Members[i].Key == key {
			out.Members[i].Value = v
			return &out
		}
	}
	out.Members = append(out.Members, jsonpos.Member{Key: key, Value: v})
	return &out
}

// mergeObjects deep-merges b into a copy of a: objects merge key by key,
// anything else in b replaces a's value.
func mergeObjects(a, b *jsonpos.Node) *jsonpos.Node {
	out := a
	for _, m := range b.Members {
		if m.Value == nil {
			continue
		}
		v := m.Value
		if old := out.Get(m.Key); old != nil && old.Kind == jsonpos.Object && v.Kind == jsonpos.Object {
			v = mergeObjects(old, v)
		}
		out = withMember(out, m.Key, v)
	}
	return out
}
