package effective

import "encoding/json"

// Scope says which levels Chalice searches for a key, mirroring the flags that
// chalice/config.py passes to Config._chain_lookup (or its use of _chain_merge).
type Scope int

const (
	// TopOnly keys are looked up U -> T -> D (_chain_lookup without flags).
	TopOnly Scope = iota
	// PerStage keys vary per Chalice stage: U -> S -> T -> D.
	PerStage
	// PerFunction keys vary per stage and function: SF -> U -> S -> TF -> T -> D.
	PerFunction
	// Merged keys (environment_variables, tags) are dict-merged D -> T -> S -> SF -> U
	// by _chain_merge; top-level lambda_functions.<fn> is not part of the merge.
	Merged
	// FileOnly is the config file version: read from the top level of the file with
	// dict.get('version', '1.0'), so an explicit null is returned as is.
	FileOnly
)

// String names the scope for messages and previews.
func (s Scope) String() string {
	switch s {
	case TopOnly:
		return "top level only"
	case PerStage:
		return "per stage"
	case PerFunction:
		return "per stage and function"
	case Merged:
		return "merged across levels"
	case FileOnly:
		return "config file only"
	}
	return "unknown"
}

// Key describes one key that chalice.config.Config reads.
type Key struct {
	Name  string
	Scope Scope
	// Default is the value used when no level sets the key (nil: none, Chalice
	// passes None on). DefaultOrigin says who supplies it.
	Default       any
	DefaultOrigin Origin
	// DefaultNote explains the default for hover and previews.
	DefaultNote string
}

// keys lists every key in the order the effective-config preview shows them:
// app-wide first, then per-stage, then per-function keys.
var keys = []Key{
	{Name: "version", Scope: FileOnly, Default: "1.0", DefaultOrigin: OriginConfigDefault,
		DefaultNote: "Config.config_file_version returns '1.0' when the key is missing"},
	{Name: "app_name", Scope: TopOnly},
	{Name: "profile", Scope: TopOnly},
	{Name: "api_gateway_stage", Scope: PerStage, Default: "api", DefaultOrigin: OriginDefault,
		DefaultNote: "default_params in CLIFactory.create_config_obj"},
	{Name: "api_gateway_endpoint_type", Scope: PerStage, Default: "EDGE", DefaultOrigin: OriginDefault,
		DefaultNote: "default_params in CLIFactory.create_config_obj"},
	{Name: "api_gateway_endpoint_vpce", Scope: PerStage},
	{Name: "api_gateway_policy_file", Scope: PerStage},
	{Name: "minimum_compression_size", Scope: PerStage},
	{Name: "api_gateway_custom_domain", Scope: PerStage},
	{Name: "websocket_api_custom_domain", Scope: PerStage},
	{Name: "automatic_layer", Scope: PerStage, Default: false, DefaultOrigin: OriginConfigDefault,
		DefaultNote: "Config.automatic_layer returns False when unset"},
	{Name: "lambda_memory_size", Scope: PerFunction, Default: json.Number("128"), DefaultOrigin: OriginBuildDefault,
		DefaultNote: "InjectDefaults sets 128 MB at build time (chalice package/deploy); Config.lambda_memory_size itself is None"},
	{Name: "lambda_timeout", Scope: PerFunction, Default: json.Number("60"), DefaultOrigin: OriginBuildDefault,
		DefaultNote: "InjectDefaults sets 60 seconds at build time (chalice package/deploy); Config.lambda_timeout itself is None"},
	{Name: "autogen_policy", Scope: PerFunction, Default: true, DefaultOrigin: OriginDefault,
		DefaultNote: "default_params in CLIFactory.create_config_obj"},
	{Name: "iam_policy_file", Scope: PerFunction, DefaultOrigin: OriginBuildDefault,
		DefaultNote: "when autogen_policy is false the app graph reads .chalice/policy-<stage>.json; Config.iam_policy_file itself is None"},
	{Name: "manage_iam_role", Scope: PerFunction, Default: true, DefaultOrigin: OriginConfigDefault,
		DefaultNote: "Config.manage_iam_role returns True when unset"},
	{Name: "iam_role_arn", Scope: PerFunction},
	{Name: "environment_variables", Scope: Merged},
	{Name: "tags", Scope: Merged},
	{Name: "layers", Scope: PerFunction},
	{Name: "subnet_ids", Scope: PerFunction},
	{Name: "security_group_ids", Scope: PerFunction},
	{Name: "reserved_concurrency", Scope: PerFunction},
	{Name: "xray", Scope: PerFunction},
	{Name: "log_retention_in_days", Scope: PerFunction},
}

var keyIndex = func() map[string]int {
	m := make(map[string]int, len(keys))
	for i, k := range keys {
		m[k.Name] = i
	}
	return m
}()

// Keys returns every key Chalice's Config reads from config.json (or user params), in
// preview order. The slice is a copy.
func Keys() []Key {
	return append([]Key(nil), keys...)
}

// LookupKey returns the description of a key Chalice reads, or false when Chalice
// never reads it.
func LookupKey(name string) (Key, bool) {
	i, ok := keyIndex[name]
	if !ok {
		return Key{}, false
	}
	return keys[i], true
}

// ChaliceVersion is the Chalice release whose behaviour this package reproduces; it
// appears in the aws-chalice tag Chalice adds to every function.
const ChaliceVersion = "1.33.0"

// DefaultStage is Chalice's default stage name (constants.DEFAULT_STAGE_NAME).
const DefaultStage = "dev"

// APIHandler is the function name of the single Lambda behind all routes.
const APIHandler = "api_handler"
