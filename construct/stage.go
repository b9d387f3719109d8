package construct

import (
	"fmt"
	"github.com/chalice-lsp/chalice-lsp/schema/naming"
	"math"
	"reflect"
	"regexp"
	"sort"
)

// maxStageNameLen bounds a derived or explicit stage name (naming.MaxStageNameLen).
const maxStageNameLen = naming.MaxStageNameLen

var validStageName = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// StageNameFromPath turns a CDK construct path such as "Prod/ApiStack" into a Chalice
// stage name that is valid everywhere Chalice uses it (config.json "stages", the
// managed layer name, the websocket API name, the aws-chalice tag): runs of characters
// outside [A-Za-z0-9_-] become "-", an empty result is "dev", names over 64 characters
// are cut and suffixed with a hash of the path. The rule lives in
// schema/naming.StageNameFromPath, which the language server uses too.
//
// For a stack directly under the App the path is the stack id, so the stage name is
// the stack id, as with chalice.cdk.Chalice.
func StageNameFromPath(path string) string { return naming.StageNameFromPath(path) }

// checkStageName explains why an explicit stage name cannot be used, or returns nil.
func checkStageName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("StageName is empty; leave it nil to use the default (%q from the construct path) or give a name", "Stack-Path")
	case !validStageName.MatchString(name):
		return fmt.Errorf("StageName %q contains characters Chalice cannot use: it becomes part of the managed layer name, which allows only letters, digits, '-' and '_' (for example %q)", name, StageNameFromPath(name))
	case len(name) > maxStageNameLen:
		return fmt.Errorf("StageName %q is %d characters long; use at most %d so that the managed layer name \"<app>-<stage>-managed-layer\" stays within Lambda's 140-character limit", name, len(name), maxStageNameLen)
	}
	return nil
}

// numberTokenCheck reports whether a float64 is an unresolved CDK number token. It is
// a variable so that the pure-Go normalisation below can be tested without a jsii
// kernel; NewChalice sets it to awscdk.Token_IsUnresolved.
type numberTokenCheck func(float64) bool

// normalizeStageConfig converts StageConfig into plain JSON values (map[string]any,
// []any, string, float64/int64, bool), the form the packager writes into config.json.
// It dereferences the pointers that CDK Go code is full of (*string from
// table.TableName(), *float64, *bool, *map[string]*string, *[]*string), drops nil
// values (Chalice treats JSON null as absent), and rejects what cannot be written: non-
// string map keys, functions, channels, and number tokens, which would reach Chalice as
// a meaningless huge negative number.
//
// String tokens ("${Token[TOKEN.12]}") are kept as they are: they travel through
// `chalice package` verbatim and CDK resolves them when the included template is
// synthesized.
func normalizeStageConfig(in map[string]any, isNumberToken numberTokenCheck) (map[string]any, error) {
	out := make(map[string]any, len(in))
	keys := make([]string, 0, len(in))
	for k := range in {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v, keep, err := normalizeValue(reflect.ValueOf(in[k]), k, isNumberToken)
		if err != nil {
			return nil, err
		}
		if keep {
			out[k] = v
		}
	}
	return out, nil
}

func normalizeValue(v reflect.Value, path string, isNumberToken numberTokenCheck) (any, bool, error) {
	for v.IsValid() && (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) {
		if v.IsNil() {
			return nil, false, nil
		}
		v = v.Elem()
	}
	if !v.IsValid() {
		return nil, false, nil
	}
	switch v.Kind() {
	case reflect.String:
		return v.String(), true, nil
	case reflect.Bool:
		return v.Bool(), true, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int(), true, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return int64(v.Uint()), true, nil
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, false, fmt.Errorf("StageConfig %s is %v, which JSON cannot represent", path, f)
		}
		if isNumberToken != nil && isNumberToken(f) {
			return nil, false, fmt.Errorf("StageConfig %s is an unresolved CDK number token; Chalice needs the number while packaging, so pass a literal (string tokens such as table.TableName() are fine)", path)
		}
		if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			// JSON has one number type; keep whole numbers integral so that Chalice
			// sees 30, not 30.0, for lambda_timeout.
			return int64(f), true, nil
		}
		return f, true, nil
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return nil, false, fmt.Errorf("StageConfig %s is a map with %s keys; config.json objects need string keys", path, v.Type().Key())
		}
		m := make(map[string]any, v.Len())
		iter := v.MapRange()
		for iter.Next() {
			k := iter.Key().String()
			e, keep, err := normalizeValue(iter.Value(), path+"."+k, isNumberToken)
			if err != nil {
				return nil, false, err
			}
			if keep {
				m[k] = e
			}
		}
		return m, true, nil
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return nil, false, nil
		}
		l := make([]any, 0, v.Len())
		for i := 0; i < v.Len(); i++ {
			e, keep, err := normalizeValue(v.Index(i), fmt.Sprintf("%s[%d]", path, i), isNumberToken)
			if err != nil {
				return nil, false, err
			}
			if !keep {
				// A JSON array cannot skip an element; null keeps the positions.
				e = nil
			}
			l = append(l, e)
		}
		return l, true, nil
	default:
		return nil, false, fmt.Errorf("StageConfig %s has Go type %s, which cannot be written to config.json", path, v.Type())
	}
}
