package effective

import (
	"fmt"
	"sort"

	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// source is one level searched by _chain_lookup or _chain_merge. In the merge modes
// the S and SF levels are layered: the file's dict (file) with the overlay's dict
// (ov) on top.
type source struct {
	file   *jsonpos.Node // the dict from config.json; nil when absent or not an object
	ov     *jsonpos.Node // the overlay's dict at this level (merge modes); nil when none
	origin Origin
	mode   OverlayMode
	stage  string
	fn     string
}

// found is a member found at a level.
type found struct {
	m         *jsonpos.Member
	inOverlay bool
	// merged is the deep merge of the file's and the overlay's objects when both
	// hold an object for the key (MergeIntoStage).
	merged any
}

// lookup finds key at this level, as the merged document would hold it.
func (s source) lookup(key string) (found, bool) {
	if s.ov != nil {
		if m := s.ov.Member(key); m != nil && m.Value != nil {
			f := found{m: m, inOverlay: true}
			if m.Value.Kind == jsonpos.Object {
				if fm := s.file.Member(key); fm != nil && fm.Value != nil && fm.Value.Kind == jsonpos.Object {
					f.merged = deepMerge(fm.Value.Value(), m.Value.Value())
				}
			}
			return f, true
		}
	}
	if m := s.file.Member(key); m != nil && m.Value != nil {
		return found{m: m}, true
	}
	return found{}, false
}

// level names the source for people.
func (s source) level(inOverlay bool) Level {
	switch s.origin {
	case OriginStageFunction:
		if inOverlay {
			return Level(fmt.Sprintf("stage_config lambda_functions.%s (%s stages.%s.lambda_functions.%s)", s.fn, s.verb(), s.stage, s.fn))
		}
		return StageFunctionLevel(s.stage, s.fn)
	case OriginUser:
		return LevelUser
	case OriginStage:
		if inOverlay {
			return Level(fmt.Sprintf("stage_config (%s stages.%s)", s.verb(), s.stage))
		}
		return StageLevel(s.stage)
	case OriginTopFunction:
		return TopFunctionLevel(s.fn)
	}
	return LevelTop
}

func (s source) verb() string {
	if s.mode == ReplaceStage {
		return "written as"
	}
	return "merged into"
}

// pointer is the JSON pointer of key inside the source's dict, in config.json or
// (inOverlay) in the overlay. Built only for the winning value: Resolve runs on
// every keystroke for many keys.
func (s source) pointer(key string, inOverlay bool) string {
	switch {
	case inOverlay && s.origin == OriginStageFunction:
		return jsonpos.Pointer("lambda_functions", s.fn, key)
	case inOverlay:
		return jsonpos.Pointer(key)
	case s.origin == OriginStageFunction:
		return jsonpos.Pointer("stages", s.stage, "lambda_functions", s.fn, key)
	case s.origin == OriginStage:
		return jsonpos.Pointer("stages", s.stage, key)
	case s.origin == OriginTopFunction:
		return jsonpos.Pointer("lambda_functions", s.fn, key)
	}
	return jsonpos.Pointer(key)
}

// levels holds the dicts of every level for one stage and function.
type levels struct {
	sf, u, s, tf, t source
}

// searchOrder lists the levels Chalice reads a key of scope from, the winner first
// (chalice.md 1.2; _chain_lookup). Resolve and Chain share it so that the value shown
// and the chain shown for it can never disagree. Merged keys are listed the same way,
// later merge levels first, since a later level's entries override an earlier one's.
func (lv levels) searchOrder(scope Scope) []source {
	switch scope {
	case FileOnly:
		return []source{lv.t}
	case TopOnly:
		return []source{lv.u, lv.t}
	case PerStage:
		return []source{lv.u, lv.s, lv.t}
	case PerFunction:
		// Stage-specific function config beats user params: Config inserts it at 0.
		return []source{lv.sf, lv.u, lv.s, lv.tf, lv.t}
	case Merged:
		// TF is not merged: Chalice drops environment_variables and tags there.
		return []source{lv.u, lv.sf, lv.s, lv.t}
	}
	return nil
}

func object(n *jsonpos.Node) *jsonpos.Node {
	if n == nil || n.Kind != jsonpos.Object {
		return nil
	}
	return n
}

// child descends one key in a layered (file, overlay) pair the way a deep merge
// would: an overlay object merges with the file's object, an overlay non-object
// replaces it (and is no dict, so the level is absent), no overlay member keeps the
// file's value.
func child(file, ov *jsonpos.Node, key string) (*jsonpos.Node, *jsonpos.Node) {
	if ov != nil {
		if m := ov.Member(key); m != nil && m.Value != nil {
			if m.Value.Kind != jsonpos.Object {
				return nil, nil
			}
			return object(file.Get(key)), m.Value
		}
	}
	return object(file.Get(key)), nil
}

func levelsFor(root *jsonpos.Node, ov Overlay, stage, function string) levels {
	root = object(root)
	// A stage_config that is not an object (a CDK expression) cannot be looked into:
	// treat it as absent.
	overlay := object(ov.Node)
	stageFile := object(object(root.Get("stages")).Get(stage))
	lv := levels{
		tf: source{file: object(object(root.Get("lambda_functions")).Get(function)), origin: OriginTopFunction},
		t:  source{file: root, origin: OriginTop},
	}
	switch {
	case overlay == nil:
		lv.s = source{file: stageFile, origin: OriginStage}
		lv.sf = source{file: object(object(stageFile.Get("lambda_functions")).Get(function)), origin: OriginStageFunction}
	case ov.Mode == UserParams:
		lv.u = source{file: overlay, origin: OriginUser}
		lv.s = source{file: stageFile, origin: OriginStage}
		lv.sf = source{file: object(object(stageFile.Get("lambda_functions")).Get(function)), origin: OriginStageFunction}
	case ov.Mode == ReplaceStage:
		// stages[stage] = stage_config: only the overlay is left at S and SF.
		lv.s = source{ov: overlay, origin: OriginStage}
		lv.sf = source{ov: object(object(overlay.Get("lambda_functions")).Get(function)), origin: OriginStageFunction}
	default: // MergeIntoStage
		lv.s = source{file: stageFile, ov: overlay, origin: OriginStage}
		lff, lfo := child(stageFile, overlay, "lambda_functions")
		sff, sfo := child(lff, lfo, function)
		lv.sf = source{file: sff, ov: sfo, origin: OriginStageFunction}
	}
	for _, s := range []*source{&lv.sf, &lv.u, &lv.s, &lv.tf, &lv.t} {
		s.mode, s.stage, s.fn = ov.Mode, stage, function
	}
	return lv
}

// Resolve returns the value Chalice uses for key in stage and function, given the
// parsed config.json (root) and an optional user overlay applied as Chalice's user
// params (user: the stage_config of chalice.cdk.Chalice, whose own lambda_functions
// and stages keys Chalice never reads; nil for none). Both trees may be incomplete
// or malformed. For keys that do not vary per function the function is ignored; an
// empty stage means "dev" and an empty function "api_handler".
func Resolve(root *jsonpos.Node, stage, function, key string, user *jsonpos.Node) Value {
	return ResolveOverlay(root, stage, function, key, Overlay{Node: user, Mode: UserParams})
}

// ResolveOverlay is Resolve for any construct's way of applying stage_config.
func ResolveOverlay(root *jsonpos.Node, stage, function, key string, ov Overlay) Value {
	if stage == "" {
		stage = DefaultStage
	}
	if function == "" {
		function = APIHandler
	}
	v := Value{Key: key, Stage: stage, Function: function, Level: LevelNotSet}
	k, ok := LookupKey(key)
	if !ok {
		v.Note = "Chalice does not read this key"
		return v
	}
	lv := levelsFor(root, ov, stage, function)
	switch k.Scope {
	case FileOnly:
		// dict.get('version', '1.0'): present means used, even when null.
		if f, ok := lv.t.lookup(key); ok {
			return fromFound(v, lv.t, f)
		}
		return withDefault(v, k, stage)
	case Merged:
		return merge(v, lv, stage, root, ov)
	}
	for _, src := range lv.searchOrder(k.Scope) {
		if f, ok := src.lookup(key); ok && f.m.Value.Kind != jsonpos.Null {
			return fromFound(v, src, f)
		}
	}
	return withDefault(v, k, stage)
}

func fromFound(v Value, src source, f found) Value {
	v.Found = true
	v.Node = f.m.Value
	v.Member = f.m
	v.Value = f.m.Value.Value()
	v.Origin = src.origin
	v.InOverlay = f.inOverlay || src.origin == OriginUser
	v.Level = src.level(v.InOverlay)
	v.Pointer = src.pointer(f.m.Key, v.InOverlay)
	if f.merged != nil {
		v.Value = f.merged
		v.MergedWithFile = true
		v.Note = "the stage_config object is deep-merged with config.json's " + string(src.level(false))
	}
	if src.origin == OriginUser {
		v.Note = "from the user params (stage_config), which beat the file's stage and top-level values"
	}
	return v
}

func withDefault(v Value, k Key, stage string) Value {
	switch {
	case k.Name == "iam_policy_file":
		v.Found = true
		v.Value = "policy-" + stage + ".json"
		v.Origin = OriginBuildDefault
		v.Level = LevelBuildDefault
		v.Note = "read only when autogen_policy is false (and manage_iam_role true): the app graph then uses .chalice/policy-" + stage + ".json; Config.iam_policy_file itself is None"
	case k.Default != nil:
		v.Found = true
		v.Value = k.Default
		v.Origin = k.DefaultOrigin
		v.Level = LevelDefault
		if k.DefaultOrigin == OriginBuildDefault {
			v.Level = LevelBuildDefault
		}
		v.Note = k.DefaultNote
	}
	return v
}

// merge reproduces Config._chain_merge (and the tags property).
func merge(v Value, lv levels, stage string, root *jsonpos.Node, ov Overlay) Value {
	entries := map[string]Entry{}
	add := func(src source, dict *jsonpos.Node, key string, inOverlay bool) {
		base := src.pointer(key, inOverlay)
		level := src.level(inOverlay)
		for i := range dict.Members {
			em := &dict.Members[i]
			if em.Value == nil {
				continue
			}
			// Later members replace earlier ones, as dict.update and json.loads do.
			e := Entry{Name: em.Key, Value: em.Value.Value(), Node: em.Value, Member: em, Origin: src.origin,
				InOverlay: inOverlay || src.origin == OriginUser, Level: level, Pointer: base + jsonpos.Pointer(em.Key)}
			if prev, ok := entries[em.Key]; ok && inOverlay && src.origin != OriginUser && prev.Origin == src.origin &&
				em.Value.Kind == jsonpos.Object && prev.Node != nil && prev.Node.Kind == jsonpos.Object {
				e.Value = deepMerge(prev.Value, e.Value) // the deep merge reaches inside the map too
			}
			entries[em.Key] = e
		}
	}
	for _, src := range []source{lv.t, lv.s, lv.sf, lv.u} {
		f, ok := src.lookup(v.Key)
		if !ok || f.m.Value.Kind != jsonpos.Object {
			continue // cfg_dict.get(name, {}) that is not a dict is skipped
		}
		if f.merged != nil {
			// Both the file and the overlay have the map at this level: the file's
			// entries first, then the overlay's on top.
			add(src, src.file.Get(v.Key), f.m.Key, false)
		}
		add(src, f.m.Value, f.m.Key, f.inOverlay)
	}
	if v.Key == "tags" {
		app := ResolveOverlay(root, stage, v.Function, "app_name", ov)
		appStr := "None"
		if app.Found {
			appStr = PyStr(app.Value)
		}
		entries["aws-chalice"] = Entry{Name: "aws-chalice",
			Value:  fmt.Sprintf("version=%s:stage=%s:app=%s", ChaliceVersion, stage, appStr),
			Origin: OriginChalice, Level: LevelChalice}
	}
	out := make(map[string]any, len(entries))
	v.Entries = make([]Entry, 0, len(entries))
	for name, e := range entries {
		out[name] = e.Value
		v.Entries = append(v.Entries, e)
	}
	sort.Slice(v.Entries, func(i, j int) bool { return v.Entries[i].Name < v.Entries[j].Name })
	v.Found = true
	v.Value = out
	v.Origin = OriginMerged
	v.Level = LevelMerged
	switch {
	case object(ov.Node) == nil:
		v.Note = "merged in the order top level, stages.<stage>, stages.<stage>.lambda_functions.<fn>"
	case ov.Mode == MergeIntoStage:
		v.Note = "merged in the order top level, stages.<stage> with stage_config merged into it, stages.<stage>.lambda_functions.<fn> (config.json and stage_config)"
	case ov.Mode == ReplaceStage:
		v.Note = "merged in the order top level, stages.<stage> (replaced by stage_config), stages.<stage>.lambda_functions.<fn> (from stage_config)"
	default:
		v.Note = "merged in the order top level, stages.<stage>, stages.<stage>.lambda_functions.<fn>, stage_config"
	}
	v.Note += "; top-level lambda_functions.<fn> is ignored"
	if v.Key == "tags" {
		v.Note += "; the aws-chalice tag is always set by Chalice"
	}
	return v
}

// Chain lists every level that sets key for stage and function, in Chalice's search
// order (the winner of a scalar lookup is the first non-null one), so hover can say
// what a value overrides and what overrides it. Nulls are included (Chalice skips
// them). Merged keys (environment_variables, tags) list each level's whole map.
// Defaults are not included; see Resolve.
func Chain(root *jsonpos.Node, stage, function, key string, ov Overlay) []Value {
	if stage == "" {
		stage = DefaultStage
	}
	if function == "" {
		function = APIHandler
	}
	k, ok := LookupKey(key)
	if !ok {
		return nil
	}
	lv := levelsFor(root, ov, stage, function)
	var out []Value
	for _, src := range lv.searchOrder(k.Scope) {
		if f, ok := src.lookup(key); ok {
			out = append(out, fromFound(Value{Key: key, Stage: stage, Function: function}, src, f))
		}
	}
	return out
}
