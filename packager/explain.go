package packager

// Explaining the packaging failures seen most on real projects: chalice imports
// the app with an interpreter that lacks the project's dependencies (or has
// other versions of them), module-level code reads environment variables that
// only some stages set, and config values of the wrong shape crash Chalice's
// config lookups.

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/chalice-lsp/chalice-lsp/internal/safefile"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

var (
	reCannotImport = regexp.MustCompile(`ImportError: cannot import name '([^']+)' from '([^']+)'(?: \(([^)]*)\))?`)
	reKeyError     = regexp.MustCompile(`KeyError: '([^']*)'`)
	reNoGet        = regexp.MustCompile(`AttributeError: '(\w+)' object has no attribute 'get'`)
)

// lambdaRuntimeModules are the top-level modules the AWS Lambda Python runtime
// provides besides the standard library: boto3 and its dependencies. An import
// of one of them works in Lambda without requirements.txt.
var lambdaRuntimeModules = map[string]bool{
	"boto3": true, "botocore": true, "s3transfer": true, "jmespath": true, "dateutil": true,
	"urllib3": true, "six": true, "awslambdaric": true,
}

// versionedStdlib are standard-library modules that only some Python 3
// versions have (added in 3.9-3.11, removed in 3.12-3.13): missing in one
// interpreter, present in another, never a requirements.txt matter.
var versionedStdlib = map[string]bool{
	"zoneinfo": true, "graphlib": true, "tomllib": true,
	"distutils": true, "imp": true, "asynchat": true, "asyncore": true, "smtpd": true,
	"cgi": true, "cgitb": true, "crypt": true, "imghdr": true, "mailcap": true, "nntplib": true, "pipes": true,
	"sndhdr": true, "spwd": true, "sunau": true, "telnetlib": true, "uu": true, "xdrlib": true, "audioop": true,
	"aifc": true, "chunk": true, "msilib": true, "nis": true, "ossaudiodev": true, "lib2to3": true,
}

// distributions maps import names to the distribution names that provide them,
// for the common cases where they differ; otherwise the names match (modulo
// case, '-', '_' and '.').
var distributions = map[string][]string{
	"yaml": {"pyyaml"}, "jwt": {"pyjwt"}, "dateutil": {"python-dateutil"}, "PIL": {"pillow"},
	"bs4": {"beautifulsoup4"}, "sklearn": {"scikit-learn"}, "cv2": {"opencv-python", "opencv-python-headless"},
	"dotenv": {"python-dotenv"}, "jose": {"python-jose"}, "magic": {"python-magic"}, "docx": {"python-docx"},
	"Crypto": {"pycryptodome"}, "google": {"google-cloud-storage", "google-api-python-client", "protobuf", "google-auth"},
	"attr": {"attrs"}, "pkg_resources": {"setuptools"}, "OpenSSL": {"pyopenssl"}, "psycopg2": {"psycopg2-binary", "psycopg2"},
	"MySQLdb": {"mysqlclient"}, "slugify": {"python-slugify"}, "stripe": {"stripe"}, "aws_xray_sdk": {"aws-xray-sdk"},
	"pydantic_core": {"pydantic"}, "requests_aws4auth": {"requests-aws4auth"}, "aws_lambda_powertools": {"aws-lambda-powertools"},
}

// interpreterPhrase names the interpreter that packaged, for messages.
func interpreterPhrase(interp string) string {
	if interp == "" {
		return "the packaging container's Python"
	}
	return interp
}

// explainNotInstalled rewrites a ModuleNotFoundError for a module that is not
// part of the project: it is missing from the interpreter that packaged, and
// maybe from requirements.txt too (then it fails in Lambda as well).
func explainNotInstalled(e *Error, src, interp string) bool {
	name, ok := missingModule(e.Output)
	if !ok {
		return false
	}
	py := interpreterPhrase(interp)
	importer := "the app"
	if rel, err := filepath.Rel(src, e.File); err == nil && e.File != "" {
		importer = rel
	}
	req, listed := requirementFor(src, name)
	switch {
	case versionedStdlib[name]:
		e.Message = fmt.Sprintf("%s imports %s, a standard-library module that the Python of %s does not have (it exists only in some Python 3 versions); Lambda runs the app with the Python version the packaging interpreter has", importer, name, py)
		e.Hint = "package with an interpreter of the Python version the project targets (chalice.python / --python), or replace the module"
	case listed:
		e.Message = fmt.Sprintf("%s imports %s, which is not installed in %s (requirements.txt lists it as %s); chalice package imports the app with that interpreter", importer, name, py, req)
		e.Hint = fmt.Sprintf("install the requirements there (%s -m pip install -r requirements.txt), or point chalice.python / --python at the project's virtualenv", pipPython(interp))
	case lambdaRuntimeModules[name]:
		e.Message = fmt.Sprintf("%s imports %s, which is not installed in %s; chalice package imports the app with that interpreter (Lambda's Python runtime provides %s, so the deployed app would find it)", importer, name, py, name)
		e.Hint = fmt.Sprintf("install it there (%s -m pip install %s), or point chalice.python / --python at the project's virtualenv", pipPython(interp), name)
	default:
		e.Message = fmt.Sprintf("%s imports %s, which is not installed in %s, and requirements.txt does not list it either, so the import will fail in Lambda too", importer, name, py)
		e.Hint = fmt.Sprintf("add the package that provides %s to requirements.txt and install it (%s -m pip install -r requirements.txt), or point chalice.python / --python at the project's virtualenv", name, pipPython(interp))
	}
	return true
}

func pipPython(interp string) string {
	if interp == "" {
		return "python"
	}
	return interp
}

// requirementFor returns the requirements.txt line that provides module name.
func requirementFor(src, name string) (string, bool) {
	b, err := safefile.Read(filepath.Join(src, "requirements.txt"))
	if err != nil {
		return "", false
	}
	want := map[string]bool{normDist(name): true}
	for _, d := range distributions[name] {
		want[normDist(d)] = true
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if i := strings.Index(line, "#"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line == "" || strings.HasPrefix(line, "-") {
			continue
		}
		dist := line
		if i := strings.IndexAny(dist, "<>=!~;[ @"); i >= 0 {
			dist = dist[:i]
		}
		if want[normDist(dist)] {
			return line, true
		}
	}
	return "", false
}

// normDist normalises a distribution name (PEP 503).
func normDist(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.NewReplacer("_", "-", ".", "-").Replace(s)
}

// explainVersionClash rewrites `ImportError: cannot import name X from Y` where Y
// is an installed package: its installed version does not fit the code.
func explainVersionClash(e *Error, work, interp string) bool {
	all := reCannotImport.FindAllStringSubmatch(string(e.Output), -1)
	if all == nil {
		return false
	}
	m := all[len(all)-1]
	name, mod, where := m[1], m[2], m[3]
	if where != "" {
		if _, inProject := within(where, work); inProject {
			return false // a name missing from the project's own module: the code's business
		}
	}
	if !strings.Contains(where, "site-packages") && !strings.Contains(where, "dist-packages") {
		return false
	}
	e.Message = fmt.Sprintf("the code imports %s from %s, which the version of %s installed in %s does not have: the installed version does not fit the code",
		name, mod, strings.SplitN(mod, ".", 2)[0], interpreterPhrase(interp))
	e.Hint = fmt.Sprintf("install the version the project needs (pin it in requirements.txt, then %s -m pip install -r requirements.txt), or point chalice.python / --python at the project's virtualenv", pipPython(interp))
	return true
}

// explainEnvKeyError rewrites a KeyError for an environment variable read at
// import (`os.environ['TABLE']`): Chalice sets only the top-level and stage
// environment_variables (and a construct's stage_config) before it imports the
// app, so the message says which levels set the variable, if any.
func explainEnvKeyError(e *Error, src, work, stage string) bool {
	all := reKeyError.FindAllStringSubmatch(string(e.Output), -1)
	if all == nil || e.File == "" || e.Line == 0 {
		return false
	}
	name := all[len(all)-1][1]
	b, err := safefile.Read(e.File)
	if err != nil {
		return false
	}
	lines := strings.Split(string(b), "\n")
	if e.Line > len(lines) || !strings.Contains(lines[e.Line-1], "environ") || !strings.Contains(lines[e.Line-1], name) {
		return false
	}
	cfg, _ := safefile.Read(filepath.Join(src, ".chalice", "config.json"))
	root, _ := jsonpos.Parse(cfg)
	var where []string
	add := func(path string, obj *jsonpos.Node) {
		if obj != nil && obj.Kind == jsonpos.Object && obj.Get("environment_variables").Get(name) != nil {
			where = append(where, path)
		}
	}
	add("the top level", root)
	for _, fn := range members(root.Get("lambda_functions")) {
		add("lambda_functions."+fn.Key, fn.Value)
	}
	for _, st := range members(root.Get("stages")) {
		add("stages."+st.Key, st.Value)
		for _, fn := range members(st.Value.Get("lambda_functions")) {
			add("stages."+st.Key+".lambda_functions."+fn.Key, fn.Value)
		}
	}
	sort.Strings(where)
	e.Class = ClassAppImport
	msg := fmt.Sprintf("importing the app reads the environment variable %s, which is not set for stage %q when chalice package imports the app", name, stage)
	if len(where) == 0 {
		e.Message = msg + ": no stage, function or stage_config sets it"
		e.Hint = fmt.Sprintf("set %s in environment_variables at the top level or in stages.%s (or in the construct's stage_config), or read it with os.environ.get() at import", name, stage)
		return true
	}
	e.Message = msg + "; it is set only in " + strings.Join(where, ", ") +
		" (Chalice sets the top-level and stage variables before importing, never a function's)"
	e.Hint = fmt.Sprintf("set %s at the top level or in stages.%s (or in the construct's stage_config), or read it with os.environ.get() at import", name, stage)
	return true
}

func members(n *jsonpos.Node) []jsonpos.Member {
	if n == nil || n.Kind != jsonpos.Object {
		return nil
	}
	return n.Members
}

// explainConfigShape handles `AttributeError: 'str' object has no attribute
// 'get'` raised in chalice/config.py: a stage, lambda_functions or function
// entry that is not an object (often a top-level key put inside "stages"). It
// finds the culprit in the merged config chalice read and points at it in the
// user's config.json, or says it came from the stage config.
func explainConfigShape(e *Error, src, work, stage string) bool {
	text := string(e.Output)
	m := reNoGet.FindStringSubmatch(text)
	if m == nil || !strings.Contains(text, "chalice/config.py") {
		return false
	}
	merged, err := os.ReadFile(filepath.Join(work, ".chalice", "config.json"))
	if err != nil {
		return false
	}
	root, _ := jsonpos.Parse(merged)
	var cands [][]string
	cands = append(cands, []string{"stages"}, []string{"stages", stage}, []string{"stages", stage, "lambda_functions"}, []string{"lambda_functions"})
	for _, fn := range members(root.Get("stages").Get(stage).Get("lambda_functions")) {
		cands = append(cands, []string{"stages", stage, "lambda_functions", fn.Key})
	}
	for _, fn := range members(root.Get("lambda_functions")) {
		cands = append(cands, []string{"lambda_functions", fn.Key})
	}
	configFile := filepath.Join(src, ".chalice", "config.json")
	for _, path := range cands {
		v := root.Lookup(jsonpos.Pointer(path...))
		if v == nil || v.Kind == jsonpos.Object {
			continue
		}
		what := describeKind(v)
		e.Class, e.File = ClassInvalidConfig, configFile
		dotted := strings.Join(path, ".")
		switch {
		case len(path) == 2 && path[0] == "stages":
			e.Message = fmt.Sprintf("stages.%s is %s, not an object: Chalice reads the settings of stage %q from it and crashes (%s)", path[1], what, path[1], strings.TrimSpace(m[0]))
			e.Hint = fmt.Sprintf("make stages.%s an object of settings; a top-level key written inside \"stages\" belongs at the top level", path[1])
		case path[len(path)-1] == "lambda_functions" || path[0] == "stages" && len(path) == 1:
			e.Message = fmt.Sprintf("%s is %s, not an object: Chalice crashes reading it (%s)", dotted, what, strings.TrimSpace(m[0]))
			e.Hint = "make it an object (keys are stage or function names)"
		default:
			e.Message = fmt.Sprintf("%s is %s, not an object: Chalice reads the settings of function %q from it and crashes (%s)", dotted, what, path[len(path)-1], strings.TrimSpace(m[0]))
			e.Hint = fmt.Sprintf("make %s an object of settings; a stage-level key written inside \"lambda_functions\" belongs in the stage", dotted)
		}
		user, _ := safefile.Read(configFile)
		if ur, _ := jsonpos.Parse(user); ur != nil {
			if uv := ur.Lookup(jsonpos.Pointer(path...)); uv != nil && uv.Kind == v.Kind {
				e.Line = lineOf(user, memberKeyStart(ur, path))
				return true
			}
		}
		e.Message += " (from the stage config merged into the stage)"
		return true
	}
	return false
}

// memberKeyStart returns the offset of the key of the member at path.
func memberKeyStart(root *jsonpos.Node, path []string) int {
	obj := root
	for i, k := range path {
		m := obj.Member(k)
		if m == nil {
			return 0
		}
		if i == len(path)-1 {
			return m.KeyStart
		}
		obj = m.Value
	}
	return 0
}

func describeKind(v *jsonpos.Node) string {
	switch v.Kind {
	case jsonpos.String:
		return "a string"
	case jsonpos.Array:
		return "a list"
	case jsonpos.Null:
		return "null"
	case jsonpos.Bool:
		return "a boolean"
	case jsonpos.Number:
		return "a number"
	}
	return "not an object"
}
