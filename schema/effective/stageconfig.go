package effective

import "github.com/chalice-lsp/chalice-lsp/schema/jsonpos"

// This file is the one description of how each CDK construct flavour applies its
// stage_config to .chalice/config.json. ResolveOverlay reads the two documents
// layered this way (keeping every value's position in its own file); the packager
// writes ApplyStageConfig's result as the config.json that `chalice package` reads.
// Tests hold both to Chalice itself (diff_test.go, stageconfig_test.go).

// OverlayMode says how a CDK construct applies its stage_config to config.json.
type OverlayMode int

const (
	// UserParams is chalice.cdk.Chalice (chalice.api.package_app's chalice_config):
	// the overlay is Chalice's user params U, searched after SF and before S; its
	// lambda_functions and stages keys are never read (aws/chalice#1998).
	UserParams OverlayMode = iota
	// MergeIntoStage is chalice-lsp's construct: the overlay is deep-merged into
	// stages.<stage> (objects key by key, recursively; any other value, null
	// included, replaces), so its lambda_functions take effect.
	MergeIntoStage
	// ReplaceStage is cdk-chalice: the overlay is written as stages.<stage>,
	// replacing that stage's object in config.json.
	ReplaceStage
)

// String names the mode.
func (m OverlayMode) String() string {
	switch m {
	case MergeIntoStage:
		return "merged into the stage"
	case ReplaceStage:
		return "replaces the stage"
	}
	return "user params"
}

// HonoursLambdaFunctions reports whether lambda_functions inside a stage_config
// applied this way has any effect (not for user params: aws/chalice#1998).
func (m OverlayMode) HonoursLambdaFunctions() bool { return m != UserParams }

// Overlay is a construct's stage_config and how it is applied. A nil Node means no
// overlay.
type Overlay struct {
	Node *jsonpos.Node
	Mode OverlayMode
}

// Plain is the overlay's stage_config as plain JSON values (values known only at
// synth time spelled as jsonpos tokens), as a packager request carries it; nil
// when there is no overlay or it is not an object.
func (o Overlay) Plain() map[string]any {
	if o.Node == nil || o.Node.Kind != jsonpos.Object {
		return nil
	}
	m, _ := jsonpos.Plain(o.Node.Value()).(map[string]any)
	return m
}

// ApplyStageConfig returns the config.json (as plain values) that makes Chalice,
// reading the file alone as `chalice package` does, see for stage exactly what
// the construct flavour mode makes it see with stage_config sc:
//
//   - MergeIntoStage: sc deep-merged into stages.<stage>;
//   - ReplaceStage: stages.<stage> = sc, as cdk-chalice writes it;
//   - UserParams: every setting of sc put where it wins as Chalice's user params
//     win (Config._chain_lookup searches U after SF and before everything else;
//     _chain_merge applies U last). Chalice skips a None, so null settings are
//     dropped, as are lambda_functions, stages and version, which Chalice never
//     reads from user params. Settings that vary per stage (or per stage and
//     function) replace stages.<stage>'s: S -> T -> D behind SF is exactly U -> S
//     -> T -> D behind SF once S holds U's value. Other settings (app_name,
//     profile, and keys Chalice does not list per stage) go to the top level,
//     which top-only lookups (U -> T -> D) read right after U. Maps that
//     _chain_merge combines (environment_variables, tags) are updated with sc's
//     entries in stages.<stage> and in every stages.<stage>.lambda_functions.<fn>
//     that has one, so sc's entries win over both, as U does; sc's map replaces
//     nothing else. When stages or stages.<stage> is there but not an object,
//     the file is left as it is: Chalice crashes reading it whatever the user
//     params say, and the packager explains that crash.
//
// A nil sc means no stage_config: cfg is returned as is. Neither input is
// modified; the result shares unchanged values with them. sc must hold plain
// values (see Overlay.Plain).
func ApplyStageConfig(cfg map[string]any, stage string, sc map[string]any, mode OverlayMode) map[string]any {
	if sc == nil {
		return cfg
	}
	if stage == "" {
		stage = DefaultStage
	}
	out := copyMap(cfg)
	stages := copyMap(asMap(out["stages"]))
	switch mode {
	case MergeIntoStage:
		stages[stage] = deepMerge(asMap(stages[stage]), sc)
	case ReplaceStage:
		stages[stage] = sc
	default:
		if notObject(cfg, "stages") || notObject(asMap(cfg["stages"]), stage) {
			return cfg
		}
		stages[stage] = applyUserParams(out, asMap(stages[stage]), sc)
	}
	out["stages"] = stages
	return out
}

// applyUserParams puts sc's settings into top (in place) and into a copy of
// stage, which it returns; see ApplyStageConfig.
func applyUserParams(top, stage, sc map[string]any) map[string]any {
	st := copyMap(stage)
	for name, v := range sc {
		if v == nil || name == "lambda_functions" || name == "stages" {
			continue
		}
		k, known := LookupKey(name)
		switch {
		case known && k.Scope == FileOnly:
			// config_file_version reads the file only.
		case known && k.Scope == Merged:
			entries, ok := v.(map[string]any)
			if !ok {
				continue // _chain_merge skips a value that is not a dict
			}
			st[name] = update(asMap(st[name]), entries)
			fns, ok := st["lambda_functions"].(map[string]any)
			if !ok {
				continue
			}
			fns = copyMap(fns)
			for fn, fv := range fns {
				fm, ok := fv.(map[string]any)
				if !ok {
					continue
				}
				if own, ok := fm[name].(map[string]any); ok {
					fm = copyMap(fm)
					fm[name] = update(own, entries)
					fns[fn] = fm
				}
			}
			st["lambda_functions"] = fns
		case known && (k.Scope == PerStage || k.Scope == PerFunction):
			st[name] = v
		default:
			top[name] = v
		}
	}
	return st
}

// deepMerge merges plain values: maps key by key, recursively; anything else from
// over (lists and null included) replaces. Neither input is modified.
func deepMerge(base, over any) any {
	om, ok := over.(map[string]any)
	if !ok {
		return over
	}
	bm, _ := base.(map[string]any)
	out := make(map[string]any, len(bm)+len(om))
	for k, v := range bm {
		out[k] = v
	}
	for k, v := range om {
		if _, isMap := v.(map[string]any); isMap {
			out[k] = deepMerge(out[k], v)
			continue
		}
		out[k] = v
	}
	return out
}

// update is Python's dict.update on copies: base's entries, then over's.
func update(base, over map[string]any) map[string]any {
	out := copyMap(base)
	for k, v := range over {
		out[k] = v
	}
	return out
}

// notObject reports whether m has key holding something other than an object.
func notObject(m map[string]any, key string) bool {
	v, ok := m[key]
	_, isMap := v.(map[string]any)
	return ok && !isMap
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
