// Package settings holds the user-facing configuration of the language server, its
// defaults, and how it is read from initializationOptions and workspace/configuration.
//
// All settings live under the section "chalice" (workspace/configuration) and may
// also be given in initializationOptions, either at the top level or under
// "settings". Unknown keys are ignored; a value of the wrong type is reported and
// the default kept.
package settings

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Section is the workspace/configuration section the server asks for.
const Section = "chalice"

// Settings is the resolved configuration. The zero value is not useful: start from
// Defaults.
type Settings struct {
	// Python is the interpreter (or virtualenv directory) with chalice installed
	// ("python"); "" picks $CHALICE_LSP_VENV, then the packager's detection: .venv
	// or venv in the project and its parents, $VIRTUAL_ENV, chalice/python3 on PATH.
	Python string
	// AutoPackage is "packaging.automatic": nil means "only in a trusted workspace",
	// true runs packaging automatically even without trust, false never does.
	AutoPackage *bool
	// PackageTimeout is "packaging.timeoutSeconds".
	PackageTimeout time.Duration
	// UseContainer and ContainerImage are "packaging.useContainer" and
	// "packaging.containerImage".
	UseContainer   bool
	ContainerImage string
	// Stage is "stage": the Chalice stage used for effective values, hover and
	// packaging of config.json. "" means "dev".
	Stage string
	// LogLevel is "logLevel": "error", "warning", "info" or "debug".
	LogLevel string
	// Trusted is initializationOptions.workspaceTrusted (only settable there: the
	// client decides whether the workspace is trusted, not the workspace itself).
	Trusted bool
	// AppIDLenses is "codeLens.appIds": whether app.py shows each handler's
	// logical IDs as a code lens: "auto" (the default: only for clients without
	// inlay hints, which get them as hints), "always" or "never".
	AppIDLenses string
}

// MaxTimeoutSeconds is the largest packaging.timeoutSeconds (a week); larger values
// are clamped to it with a warning instead of overflowing time.Duration.
const MaxTimeoutSeconds = 7 * 24 * 3600

// Defaults returns the settings used when the client gives none.
func Defaults() Settings {
	return Settings{
		PackageTimeout: 5 * time.Minute,
		LogLevel:       "info",
		AppIDLenses:    "auto",
	}
}

// AutomaticPackaging reports whether packaging may run without an explicit command.
func (s Settings) AutomaticPackaging() bool {
	if s.AutoPackage != nil {
		return *s.AutoPackage
	}
	return s.Trusted
}

// EffectiveStage returns Stage or "dev".
func (s Settings) EffectiveStage() string {
	if s.Stage == "" {
		return "dev"
	}
	return s.Stage
}

// Doc lists every setting with its default, for README and editor clients.
var Doc = []struct{ Key, Type, Default, Description string }{
	{"chalice.python", "string", `""`, "Python interpreter or virtualenv directory with chalice installed; empty = $CHALICE_LSP_VENV, then .venv/venv in the project or its parents, $VIRTUAL_ENV, chalice/python3 on PATH."},
	{"chalice.packaging.automatic", "boolean|null", "null", "Run `chalice package` in the background on open/save. null = only when the workspace is trusted; false = never."},
	{"chalice.packaging.timeoutSeconds", "number", "300", "Timeout of one packaging run."},
	{"chalice.packaging.useContainer", "boolean", "false", "Package inside a container (docker)."},
	{"chalice.packaging.containerImage", "string", `""`, "Container image; empty = the packager's default."},
	{"chalice.stage", "string", `""`, "Chalice stage for hover/effective values/preview of config.json, and of CDK constructs whose stack cannot be determined statically; empty = dev."},
	{"chalice.logLevel", "string", `"info"`, "error | warning | info | debug (window/logMessage)."},
	{"initializationOptions.workspaceTrusted", "boolean", "false", "Set by the client: the workspace is trusted, so automatic packaging may import app.py."},
}

// ParseInitOptions applies initializationOptions (raw JSON, may be empty or null)
// to s. It returns human-readable problems; s keeps defaults for bad values.
func ParseInitOptions(s *Settings, raw []byte) []string {
	m, err := object(raw)
	if err != nil || m == nil {
		if err != nil {
			return []string{"initializationOptions: " + err.Error()}
		}
		return nil
	}
	var problems []string
	if v, ok := m["workspaceTrusted"]; ok {
		if b, ok := v.(bool); ok {
			s.Trusted = b
		} else {
			problems = append(problems, fmt.Sprintf("initializationOptions.workspaceTrusted: want a boolean, got %s", typeName(v)))
		}
	}
	if inner, ok := m["settings"].(map[string]any); ok {
		problems = append(problems, apply(s, inner, "initializationOptions.settings")...)
	}
	if inner, ok := m[Section].(map[string]any); ok {
		problems = append(problems, apply(s, inner, "initializationOptions.chalice")...)
	}
	problems = append(problems, apply(s, m, "initializationOptions")...)
	return problems
}

// ParseSection applies the "chalice" section returned by workspace/configuration
// (or sent in didChangeConfiguration, with or without the section wrapper).
func ParseSection(s *Settings, raw []byte) []string {
	m, err := object(raw)
	if err != nil {
		return []string{"workspace/configuration: " + err.Error()}
	}
	if m == nil {
		return nil
	}
	if inner, ok := m[Section].(map[string]any); ok {
		m = inner
	}
	return apply(s, m, Section)
}

func object(raw []byte) (map[string]any, error) {
	if len(strings.TrimSpace(string(raw))) == 0 {
		return nil, nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("not valid JSON: %v", err)
	}
	switch v := v.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		return v, nil
	default:
		return nil, fmt.Errorf("want an object, got %s", typeName(v))
	}
}

// apply reads the known keys of m. Nested ("packaging": {"automatic": true}) and
// dotted ("packaging.automatic": true) spellings are both accepted, because VS Code
// sends the nested form and other clients often the dotted one.
func apply(s *Settings, m map[string]any, where string) []string {
	flat := map[string]any{}
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok && (k == "packaging" || k == "codeLens") {
			for k2, v2 := range sub {
				flat[k+"."+k2] = v2
			}
			continue
		}
		flat[k] = v
	}
	var problems []string
	bad := func(key, want string, v any) {
		problems = append(problems, fmt.Sprintf("%s.%s: want %s, got %s; keeping the previous value", where, key, want, typeName(v)))
	}
	for k, v := range flat {
		switch k {
		case "python":
			if str, ok := v.(string); ok {
				s.Python = str
			} else {
				bad(k, "a string", v)
			}
		case "packaging.automatic":
			switch b := v.(type) {
			case nil:
				s.AutoPackage = nil
			case bool:
				s.AutoPackage = &b
			default:
				bad(k, "a boolean or null", v)
			}
		case "packaging.timeoutSeconds":
			if f, ok := v.(float64); ok && f > 0 && f <= MaxTimeoutSeconds {
				s.PackageTimeout = time.Duration(f * float64(time.Second))
			} else if ok && f > MaxTimeoutSeconds {
				// A Duration holds about 292 years; far less is already "no timeout".
				s.PackageTimeout = MaxTimeoutSeconds * time.Second
				problems = append(problems, fmt.Sprintf("%s.%s: %v seconds is more than the maximum %d (a week); using %d", where, k, f, MaxTimeoutSeconds, MaxTimeoutSeconds))
			} else {
				bad(k, "a positive number of seconds", v)
			}
		case "packaging.useContainer":
			if b, ok := v.(bool); ok {
				s.UseContainer = b
			} else {
				bad(k, "a boolean", v)
			}
		case "packaging.containerImage":
			if str, ok := v.(string); ok {
				s.ContainerImage = str
			} else {
				bad(k, "a string", v)
			}
		case "codeLens.appIds":
			if str, ok := v.(string); ok && (str == "auto" || str == "always" || str == "never") {
				s.AppIDLenses = str
			} else {
				bad(k, `"auto", "always" or "never"`, v)
			}
		case "stage":
			if str, ok := v.(string); ok {
				s.Stage = str
			} else {
				bad(k, "a string", v)
			}
		case "logLevel":
			str, ok := v.(string)
			switch {
			case !ok:
				bad(k, "a string", v)
			case validLevel(str):
				s.LogLevel = strings.ToLower(str)
			default:
				problems = append(problems, fmt.Sprintf("%s.logLevel: %q is not one of error, warning, info, debug", where, str))
			}
		}
	}
	return problems
}

func validLevel(l string) bool {
	switch strings.ToLower(l) {
	case "error", "warning", "info", "debug":
		return true
	}
	return false
}

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case float64:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
