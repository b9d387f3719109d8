package packager

// Pointing errors at the user's files: chalice's messages name a config key or a
// logical ID but rarely a line, so the packager finds it.

import (
	"fmt"
	"github.com/chalice-lsp/chalice-lsp/internal/safefile"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/chalice-lsp/chalice-lsp/schema/effective"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
	"github.com/chalice-lsp/chalice-lsp/schema/naming"
)

// enrich adds the place to errors chalice reports without one: config errors point
// at the key chalice rejected, duplicate names at the colliding handler, unsupported
// and experimental features at their decorator. It also explains imports of modules
// that exist in the project but are not packaged. work is the private project copy
// (holding the merged config), stage the packaged stage, stageConfig and mode the
// request's.
//
// interp is the interpreter that ran chalice ("" in a container).
func enrich(e *Error, src, work, stage, interp string, stageConfig map[string]any, mode effective.OverlayMode) {
	if e.Class == ClassAppImport {
		_ = explainMissingModule(e, src) || explainNotInstalled(e, src, interp) ||
			explainVersionClash(e, work, interp) || explainEnvKeyError(e, src, work, stage)
	}
	if e.Class == ClassFailed {
		explainConfigShape(e, src, work, stage)
	}
	if e.Line != 0 || e.File == "" {
		return
	}
	b, err := safefile.Read(e.File)
	if err != nil {
		return
	}
	text := string(e.Output)
	switch {
	case e.Class == ClassInvalidConfig:
		// The one locator the editor and the construct use too (Locate).
		root, _ := jsonpos.Parse(b)
		spot, located := Locate(e, root, stage, overlayOf(stageConfig, mode))
		inOverlay := located && spot.InOverlay
		if e.Cause == CauseEnvNotString {
			if name, what, ok := envValueNotString(work, stage); ok {
				from := ""
				if inOverlay {
					from = "from the stage config "
				}
				e.Message = fmt.Sprintf("environment variable %s %sis %s, not a string", name, from, what)
			} else if inOverlay {
				e.Message += " (the value comes from the stage config)"
			}
			if inOverlay {
				e.Hint = `Lambda environment variables are strings: pass the value as a string in the stage config, e.g. "8080"`
			}
		} else if inOverlay {
			e.Message += " (the value comes from the stage config)"
		}
		if located && !spot.InOverlay {
			e.Line = lineOf(b, spot.Start)
		}
	case e.Class == ClassDuplicateName:
		if all := reDuplicate.FindAllStringSubmatch(text, -1); all != nil {
			id := all[len(all)-1][1]
			names := colliding(string(b), id)
			if len(names) >= 2 {
				e.Line = names[1].line
				e.Message = fmt.Sprintf("handlers %q (line %d) and %q (line %d) both get the CloudFormation logical ID %q: Chalice drops '_' and '-' and capitalises the letter after them",
					names[0].name, names[0].line, names[1].name, names[1].line, id)
			} else if len(names) == 1 {
				e.Line = names[0].line
			}
		}
	case e.Class == ClassAppImport && strings.Contains(text, "without explicitly opting in"):
		if i := strings.Index(string(b), ".on_ws_"); i >= 0 {
			e.Line = lineOf(b, i) // websockets are the experimental feature chalice has today
		}
	case e.Class == ClassUnsupported:
		e.File, e.Line = findDecorator(src, b, ".on_s3_event(")
	}
}

var reNoModule = regexp.MustCompile(`ModuleNotFoundError: No module named '([A-Za-z_][A-Za-z0-9_]*)`)

// missingModule is the top-level module of the last ModuleNotFoundError in a
// packaging run's output; chalicelib and vendor are the project's own folders,
// which the failure explanations treat apart (ok is false for them).
func missingModule(out []byte) (string, bool) {
	all := reNoModule.FindAllStringSubmatch(string(out), -1)
	if all == nil {
		return "", false
	}
	name := all[len(all)-1][1]
	if name == "chalicelib" || name == "vendor" {
		return "", false
	}
	return name, true
}

// explainMissingModule explains an import of a module that exists in the project
// but outside what Chalice packages (app.py, chalicelib/, vendor/): the packager's
// private copy holds only those, as the deployment zip will, so the import fails
// here as it would in Lambda, while the file is plainly there in the editor.
func explainMissingModule(e *Error, src string) bool {
	name, ok := missingModule(e.Output)
	if !ok {
		return false
	}
	found := ""
	if st, err := os.Stat(filepath.Join(src, name+".py")); err == nil && st.Mode().IsRegular() {
		found = name + ".py"
	} else if st, err := os.Stat(filepath.Join(src, name)); err == nil && st.IsDir() {
		found = name + "/"
	}
	if found == "" {
		return false
	}
	importer := "the app"
	if rel, err := filepath.Rel(src, e.File); err == nil && e.File != "" {
		importer = rel
	}
	e.Message = fmt.Sprintf("%s imports %s, which is in the project (%s) but not in what Chalice packages (app.py, chalicelib/, vendor/), so the import would fail in Lambda too", importer, name, found)
	e.Hint = fmt.Sprintf("move %s into chalicelib/ and import it as chalicelib.%s, or into vendor/", found, name)
	return true
}

// findDecorator returns the file and line of the first use of a decorator such as
// ".on_s3_event(" in app.py (whose content is appPy) or, for blueprints, in
// chalicelib; app.py and line 0 when there is none.
func findDecorator(src string, appPy []byte, decorator string) (string, int) {
	if i := strings.Index(string(appPy), decorator); i >= 0 {
		return filepath.Join(src, "app.py"), lineOf(appPy, i)
	}
	file, line := filepath.Join(src, "app.py"), 0
	_ = filepath.WalkDir(filepath.Join(src, "chalicelib"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".py") {
			return nil
		}
		b, err := safefile.Read(path)
		if err != nil {
			return nil
		}
		if i := strings.Index(string(b), decorator); i >= 0 {
			file, line = path, lineOf(b, i)
			return filepath.SkipAll
		}
		return nil
	})
	return file, line
}

// envValueNotString finds the environment variable whose value is not a string in
// the merged config chalice read, and describes the value ("a number", "null");
// Locate points at it in config.json or the stage config.
func envValueNotString(work, stage string) (name, what string, ok bool) {
	merged, err := os.ReadFile(filepath.Join(work, ".chalice", "config.json"))
	if err != nil {
		return "", "", false
	}
	root, _ := jsonpos.Parse(merged)
	// Chalice merges the stage's variables over the top level's before the import.
	vars := map[string]jsonpos.Kind{}
	var order []string
	for _, p := range []string{jsonpos.Pointer("environment_variables"), jsonpos.Pointer("stages", stage, "environment_variables")} {
		obj := root.Lookup(p)
		if obj == nil || obj.Kind != jsonpos.Object {
			continue
		}
		for _, m := range obj.Members {
			if m.Value == nil {
				continue
			}
			if _, seen := vars[m.Key]; !seen {
				order = append(order, m.Key)
			}
			vars[m.Key] = m.Value.Kind
		}
	}
	for _, name := range order {
		kind := vars[name]
		if kind == jsonpos.String {
			continue
		}
		what := "a " + kind.String()
		switch kind {
		case jsonpos.Null:
			what = "null"
		case jsonpos.Array, jsonpos.Object:
			what = "an " + kind.String()
		}
		return name, what, true
	}
	return "", "", false
}

var (
	reDef     = regexp.MustCompile(`(?m)^[ \t]*(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)`)
	reNameArg = regexp.MustCompile(`name[ \t]*=[ \t]*['"]([^'"]+)['"]`)
)

type namedLine struct {
	name string
	line int
}

// colliding finds the handler names in app.py (def names and name= arguments) whose
// logical ID is id, in source order.
func colliding(src, id string) []namedLine {
	var out []namedLine
	for _, re := range []*regexp.Regexp{reDef, reNameArg} {
		for _, m := range re.FindAllStringSubmatchIndex(src, -1) {
			if name := src[m[2]:m[3]]; naming.LogicalID(name) == id {
				out = append(out, namedLine{name, lineOf([]byte(src), m[2])})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].line < out[j].line })
	return out
}
