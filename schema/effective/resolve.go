// Package effective computes the value Chalice uses for a config key, for a given
// stage and function, and where it comes from.
//
// It reproduces chalice.config.Config (Chalice 1.33.0) exactly:
//
//   - scalar keys use _chain_lookup: the first level holding a non-null value wins
//     (null counts as absent; false, 0, "" and [] are honoured). Per-function keys are
//     searched SF -> U -> S -> TF -> T -> D, per-stage keys U -> S -> T -> D and
//     top-only keys U -> T -> D;
//   - environment_variables and tags use _chain_merge: a shallow dict update in the
//     order D -> T -> S -> SF -> U (top-level lambda_functions.<fn> is not merged),
//     and tags always get the aws-chalice tag last;
//   - dict-valued keys (custom domains) and lists are never merged: the winning level's
//     value replaces the others.
//
// Levels: T top level, S stages.<stage>, TF lambda_functions.<fn>, SF
// stages.<stage>.lambda_functions.<fn>, U the user params (the stage_config of a CDK
// construct, chalice.api.package_app(chalice_config=...)), D the defaults.
//
// CDK constructs apply their stage_config differently (see OverlayMode):
// chalice.cdk.Chalice passes it as user params U (its lambda_functions is ignored),
// chalice-lsp's construct deep-merges it into stages.<stage>, and cdk-chalice
// writes it as stages.<stage>. ResolveOverlay handles all three without building
// merged documents, so every value keeps its position in its own file; the
// packager writes ApplyStageConfig's document, which resolves to the same values
// (stageconfig_test.go holds both to Chalice).
//
// Where Chalice would crash on a malformed container (stages, a stage, or a
// lambda_functions entry that is not an object), this package treats it as absent;
// the schema validator reports the type error.
package effective

import "github.com/chalice-lsp/chalice-lsp/schema/jsonpos"

// Origin is the level a value came from.
type Origin int

const (
	// OriginNone: no level sets the key and there is no default (Chalice uses None),
	// or Chalice never reads the key.
	OriginNone Origin = iota
	// OriginStageFunction is stages.<stage>.lambda_functions.<fn> (SF).
	OriginStageFunction
	// OriginUser is the user params overlay (U): a CDK stage_config.
	OriginUser
	// OriginStage is stages.<stage> (S).
	OriginStage
	// OriginTopFunction is the top-level lambda_functions.<fn> (TF).
	OriginTopFunction
	// OriginTop is the top level of config.json (T).
	OriginTop
	// OriginDefault is Chalice's default_params (D) from CLIFactory.create_config_obj:
	// api_gateway_stage 'api', api_gateway_endpoint_type 'EDGE', autogen_policy True.
	OriginDefault
	// OriginConfigDefault is a fallback inside a Config property when the chain
	// yields None (manage_iam_role True, automatic_layer False, version '1.0').
	OriginConfigDefault
	// OriginBuildDefault is filled in later, at build time, when Config returns None
	// (InjectDefaults: lambda_timeout 60, lambda_memory_size 128; the app graph's
	// iam_policy_file policy-<stage>.json).
	OriginBuildDefault
	// OriginChalice marks the aws-chalice tag, which Chalice always sets last.
	OriginChalice
	// OriginMerged is a merged dict (environment_variables, tags); see Value.Entries.
	OriginMerged
)

// InFile reports whether the origin is a level of config.json (the value's Node then
// points into config.json).
func (o Origin) InFile() bool {
	switch o {
	case OriginStageFunction, OriginStage, OriginTopFunction, OriginTop:
		return true
	}
	return false
}

// IsDefault reports whether the value is one of Chalice's defaults.
func (o Origin) IsDefault() bool {
	return o == OriginDefault || o == OriginConfigDefault || o == OriginBuildDefault
}

// Level is a human-readable name of a level: "stages.prod.lambda_functions.api_handler",
// "stage_config", "stages.prod", "lambda_functions.api_handler", "top level", "default",
// "build-time default", "added by Chalice", "merged" or "not set".
type Level string

// Level names used by this package.
const (
	LevelUser         Level = "stage_config"
	LevelTop          Level = "top level"
	LevelDefault      Level = "default"
	LevelBuildDefault Level = "build-time default"
	LevelChalice      Level = "added by Chalice"
	LevelNotSet       Level = "not set"
	LevelMerged       Level = "merged"
)

// StageLevel is the level name of stages.<stage>.
func StageLevel(stage string) Level { return Level("stages." + stage) }

// TopFunctionLevel is the level name of lambda_functions.<fn>.
func TopFunctionLevel(fn string) Level { return Level("lambda_functions." + fn) }

// StageFunctionLevel is the level name of stages.<stage>.lambda_functions.<fn>.
func StageFunctionLevel(stage, fn string) Level {
	return Level("stages." + stage + ".lambda_functions." + fn)
}

// Value is the effective value of one key for one stage and function.
type Value struct {
	Key      string `json:"key"`
	Stage    string `json:"-"`
	Function string `json:"-"`
	// Found is false when nothing sets the key and there is no default: Chalice sees
	// None.
	Found bool `json:"-"`
	// Value is the plain Go value (as jsonpos.Node.Value returns it: string, bool,
	// json.Number, []any, map[string]any, nil, jsonpos.OpaqueValue). For merged keys
	// it is the merged map[string]any.
	Value any `json:"value"`
	// Node is the value in the document it came from: config.json for file levels,
	// the user overlay for OriginUser. Nil for defaults and merged keys.
	Node *jsonpos.Node `json:"-"`
	// Member is the member holding Node (for the key's span), nil when Node is nil.
	Member *jsonpos.Member `json:"-"`
	Origin Origin          `json:"-"`
	// InOverlay is set when Node lies in the stage_config overlay rather than in
	// config.json: always for OriginUser, and for OriginStage/OriginStageFunction
	// values that a MergeIntoStage or ReplaceStage overlay put there.
	InOverlay bool  `json:"inStageConfig,omitempty"`
	Level     Level `json:"level"`
	// Pointer is the RFC 6901 pointer of Node in its document ("" when Node is nil).
	Pointer string `json:"pointer,omitempty"`
	// MergedWithFile is set when a MergeIntoStage overlay's object was deep-merged
	// with config.json's object at the same place (a custom domain given in both):
	// Value is the merged result and Node the overlay's part.
	MergedWithFile bool `json:"mergedWithFile,omitempty"`
	// Note explains defaults and special cases.
	Note string `json:"note,omitempty"`
	// Entries explain a merged key (environment_variables, tags), one per resulting
	// map key, sorted by name.
	Entries []Entry `json:"entries,omitempty"`
}

// Entry is one key of a merged map and where its value came from.
type Entry struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
	// Node is the value node (in config.json, or in the overlay for OriginUser); nil
	// for the aws-chalice tag.
	Node      *jsonpos.Node   `json:"-"`
	Member    *jsonpos.Member `json:"-"`
	Origin    Origin          `json:"-"`
	InOverlay bool            `json:"inStageConfig,omitempty"`
	Level     Level           `json:"level"`
	// Pointer is the RFC 6901 pointer of Node in its document.
	Pointer string `json:"pointer,omitempty"`
}

// Truthy reports Python truthiness of the value, which is how Chalice tests most
// settings (if not config.manage_iam_role: ...). A missing value is falsy; an opaque
// CDK expression counts as truthy.
func (v Value) Truthy() bool {
	if !v.Found {
		return false
	}
	if v.Node != nil && !v.MergedWithFile {
		return Truthy(v.Node)
	}
	return truthyValue(v.Value)
}
