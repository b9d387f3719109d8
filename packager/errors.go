package packager

import (
	"bytes"
	"fmt"
	"github.com/chalice-lsp/chalice-lsp/internal/pathutil"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// ErrorClass says what kind of failure an Error is; callers switch on it to decide
// how to show the error (a diagnostic at File:Line, a notification, nothing at all).
type ErrorClass string

// Error classes.
const (
	// ClassNotProject: the source directory is missing or has no .chalice/config.json.
	ClassNotProject ErrorClass = "not-a-project"
	// ClassChaliceNotInstalled: no Python interpreter, or chalice is not importable
	// from it.
	ClassChaliceNotInstalled ErrorClass = "chalice-not-installed"
	// ClassAppImport: importing app.py failed (syntax error, exception at import).
	ClassAppImport ErrorClass = "app-import"
	// ClassInvalidConfig: .chalice/config.json cannot be loaded or holds values chalice
	// rejects while packaging (bad JSON, unknown version, VPC pair, custom domain keys,
	// missing policy file).
	ClassInvalidConfig ErrorClass = "invalid-config"
	// ClassUnsupported: the app uses a feature `chalice package` cannot express in
	// CloudFormation (S3 event handlers).
	ClassUnsupported ErrorClass = "unsupported-feature"
	// ClassDuplicateName: two handler names collapse to the same logical ID.
	ClassDuplicateName ErrorClass = "duplicate-resource-name"
	// ClassNoRegion: no AWS region is configured for the run.
	ClassNoRegion ErrorClass = "no-region"
	// ClassTimeout: the run took longer than the timeout and was killed.
	ClassTimeout ErrorClass = "timeout"
	// ClassCancelled: the caller's context ended; the run was killed.
	ClassCancelled ErrorClass = "cancelled"
	// ClassSuperseded: a newer request for the same Supersede slot replaced this one.
	ClassSuperseded ErrorClass = "superseded"
	// ClassContainer: docker is missing, cannot reach its engine, or the image or the
	// in-container installation failed.
	ClassContainer ErrorClass = "container"
	// ClassBadRequest: the request itself is invalid (stage name, env keys).
	ClassBadRequest ErrorClass = "bad-request"
	// ClassFailed: chalice failed for a reason not recognised above; see Output.
	ClassFailed ErrorClass = "packaging-failed"
	// ClassIO: the packager could not read the project or write its cache.
	ClassIO ErrorClass = "io"
)

// Error is a classified packaging failure.
type Error struct {
	Class ErrorClass
	// Message says what happened and where, in one or two sentences.
	Message string
	// Hint says what to do about it.
	Hint string
	// File is the user's file the error points at (absolute path), "" when none;
	// Line is 1-based, 0 when unknown.
	File string
	Line int
	// Cause says which configuration fact an invalid-config failure is about
	// (CauseNone for other classes); Function is the function it names, if any.
	// analysis.LocatePackagingError turns them into the key responsible.
	Cause    Cause
	Function string
	// Output is chalice's raw output, for a log.
	Output []byte
}

// Cause is the configuration fact behind a ClassInvalidConfig failure, as far as
// chalice's output tells it.
type Cause string

// Causes of invalid-config failures.
const (
	CauseNone          Cause = ""
	CauseJSONSyntax    Cause = "json-syntax"    // config.json is not valid JSON (Line is set)
	CauseVersion       Cause = "version"        // "version" is not one chalice knows
	CauseVPCPair       Cause = "vpc-pair"       // only one of subnet_ids / security_group_ids (Function)
	CausePolicyFile    Cause = "policy-file"    // autogen_policy false and iam_policy_file unreadable
	CauseCustomDomain  Cause = "custom-domain"  // a custom domain lacks domain_name or certificate_arn
	CauseEnvNotString  Cause = "env-not-string" // an environment_variables value is not a string
	CauseBuildRejected Cause = "build-rejected" // ChaliceBuildError: a value chalice rejects
)

// Error renders "file:line: message (hint)".
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			b.WriteString(":" + strconv.Itoa(e.Line))
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	if e.Hint != "" {
		b.WriteString("\n  hint: " + e.Hint)
	}
	return b.String()
}

// deterministic reports whether the same inputs would fail the same way again, so
// the failure can be remembered instead of re-running chalice.
func (e *Error) deterministic() bool {
	switch e.Class {
	case ClassAppImport, ClassInvalidConfig, ClassUnsupported, ClassDuplicateName:
		return true
	}
	return false
}

var (
	// File "/path/app.py", line 12, in <module>   (traceback frame)
	// File "/path/app.py", line 7                  (SyntaxError location)
	reFrame     = regexp.MustCompile(`(?m)^\s*File "([^"]+)", line (\d+)`)
	reLastExc   = regexp.MustCompile(`(?m)^([A-Za-z_][\w.]*): (.*)$`)
	reJSONPos   = regexp.MustCompile(`line (\d+) column (\d+)`)
	reDuplicate = regexp.MustCompile(`A duplicate resource name was generated for the SAM template: (\S+)`)
	reVPCFunc   = regexp.MustCompile(`Invalid VPC params for function '([^']+)'`)
	rePolicy    = regexp.MustCompile(`Unable to load IAM policy file (\S+?):`)
	reQuoted    = regexp.MustCompile(`'([A-Z_]+)'`)
)

// classify turns a failed chalice run into an Error. work is where chalice saw the
// project (the private copy, or containerApp inside a container), src the user's
// project: paths in tracebacks are mapped back to src.
func classify(out []byte, work, src string) *Error {
	text := string(out)
	e := &Error{Class: ClassFailed, Output: out}
	last := lastException(text)
	configFile := filepath.Join(src, ".chalice", "config.json")
	switch {
	case strings.Contains(text, "No region configured"):
		e.Class = ClassNoRegion
		e.Message = "chalice package needs an AWS region and none is configured (credentials are not needed)"
		e.Hint = "set AWS_DEFAULT_REGION in the package env, or give the AWS profile a region in ~/.aws/config"
	case strings.Contains(text, "Unable to load the project config file: "):
		e.Class = ClassInvalidConfig
		e.File = configFile
		e.Cause = CauseJSONSyntax
		msg := after(text, "Unable to load the project config file: ")
		if m := reJSONPos.FindStringSubmatch(msg); m != nil {
			e.Line, _ = strconv.Atoi(m[1])
		}
		e.Message = ".chalice/config.json is not valid JSON: " + msg
		e.Hint = "fix the JSON syntax (Chalice reads the file with Python's json.loads: no comments, no trailing commas)"
	case strings.Contains(text, "UnknownConfigFileVersion") || strings.Contains(text, "in config.json") && strings.Contains(text, "Unknown version"):
		e.Class = ClassInvalidConfig
		e.File = configFile
		e.Cause = CauseVersion
		e.Message = "chalice rejected the config file: " + firstLine(after(text, "UnknownConfigFileVersion: "))
		e.Hint = `set "version" to "2.0" (the highest version Chalice understands)`
	case strings.Contains(text, "Unable to import your app.py file"):
		e.Class = ClassAppImport
		e.File, e.Line = userFrame(text, work, src)
		detail := strings.TrimSpace(after(text, "Unable to import your app.py file:"))
		e.Message = "importing app.py failed: " + lastNonEmptyLine(detail)
		e.Hint = "fix the error at the reported line; chalice imports app.py to find its handlers"
	case strings.Contains(text, "NotImplementedError") && strings.Contains(text, "on_s3_event"):
		e.Class = ClassUnsupported
		e.File = filepath.Join(src, "app.py")
		e.Message = "the app has an on_s3_event handler, which `chalice package` (and so SAM and CDK) cannot package: CloudFormation cannot add notifications to an existing bucket"
		e.Hint = "deploy this handler with `chalice deploy`, or replace it with an EventBridge or SQS trigger defined in CDK"
	case reDuplicate.MatchString(text):
		e.Class = ClassDuplicateName
		all := reDuplicate.FindAllStringSubmatch(text, -1)
		id := all[len(all)-1][1]
		e.File = filepath.Join(src, "app.py")
		e.Message = fmt.Sprintf("two handlers get the same CloudFormation logical ID %q (Chalice drops '_' and '-' and capitalises the next letter, so e.g. foo_bar and foo__bar collide)", id)
		e.Hint = "rename one of the handlers, or give it a distinct name= in its decorator"
	case reVPCFunc.MatchString(text):
		e.Class = ClassInvalidConfig
		e.File = configFile
		e.Cause = CauseVPCPair
		fn := reVPCFunc.FindStringSubmatch(text)[1]
		e.Function = fn
		e.Message = fmt.Sprintf("function %q has only one of subnet_ids and security_group_ids (from .chalice/config.json with the stage config merged in); chalice needs both to put a function in a VPC", fn)
		e.Hint = "add the missing key next to the other one (same stage or function level), or remove both"
	case rePolicy.MatchString(text):
		e.Class = ClassInvalidConfig
		e.File = configFile
		e.Cause = CausePolicyFile
		all := rePolicy.FindAllStringSubmatch(text, -1)
		p := all[len(all)-1][1] // the first match is the raise statement in chalice's source
		rel := p
		if r, ok := within(p, work); ok {
			rel = r
		}
		e.Message = fmt.Sprintf("autogen_policy is false but the IAM policy file %s does not exist or cannot be read", rel)
		e.Hint = "create the policy file, set iam_policy_file to an existing file under .chalice/, or set autogen_policy back to true"
	case last.typ == "KeyError" && strings.Contains(text, "_create_domain_name_model"):
		e.Class = ClassInvalidConfig
		e.File = configFile
		e.Cause = CauseCustomDomain
		e.Message = fmt.Sprintf("a custom domain (from .chalice/config.json with the stage config merged in) lacks the key %s", last.msg)
		e.Hint = "api_gateway_custom_domain and websocket_api_custom_domain need both domain_name and certificate_arn"
	case last.typ == "TypeError" && strings.Contains(text, "_environ.update(environment_variables)"):
		// Chalice puts environment_variables into os.environ before importing the
		// app, and os.environ only takes strings.
		e.Class = ClassInvalidConfig
		e.File = configFile
		e.Cause = CauseEnvNotString
		e.Message = "an environment_variables value is not a string (" + last.msg + ")"
		e.Hint = `Lambda environment variables are strings: quote the value, e.g. "true" or "8080"`
	case strings.Contains(text, "You are using experimental features without explicitly opting in"):
		// chalice prints this (ExperimentalFeatureError) without a traceback.
		e.Class = ClassAppImport
		e.File = filepath.Join(src, "app.py")
		features := reQuoted.FindAllStringSubmatch(after(text, "experimental_feature_flags.update(["), -1)
		var names []string
		for _, f := range features {
			names = append(names, f[1])
		}
		e.Message = "the app uses experimental Chalice features without opting in: " + strings.Join(names, ", ")
		e.Hint = "add app.experimental_feature_flags.update([" + strings.Join(quoteAll(names), ", ") + "]) after creating the app in app.py"
	case strings.Contains(text, "ChaliceBuildError"):
		e.Class = ClassInvalidConfig
		e.File = configFile
		e.Cause = CauseBuildRejected
		e.Message = "chalice rejected the app: " + last.msg
		e.Hint = "fix the configuration value the message names"
	default:
		// An exception raised while importing the app (not a SyntaxError) has a
		// frame in the user's code; chalice itself only re-wraps SyntaxErrors.
		if f, l := userFrame(text, work, src); f != "" {
			e.Class = ClassAppImport
			e.File, e.Line = f, l
			e.Message = fmt.Sprintf("importing the app failed with %s", last.String())
			e.Hint = "chalice imports app.py (and chalicelib) at package time; module-level code must run without AWS credentials or missing environment variables"
			break
		}
		e.Message = "chalice package failed"
		if last.typ != "" {
			e.Message += ": " + last.String()
		} else if l := lastNonEmptyLine(text); l != "" {
			e.Message += ": " + l
		}
		e.Hint = "see the chalice output for details"
	}
	return e
}

// quoteAll wraps each name in single quotes, as Python string literals.
func quoteAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "'" + n + "'"
	}
	return out
}

// exc is a Python exception: its type (without the module) and message.
type exc struct{ typ, msg string }

func (x exc) String() string {
	if x.msg == "" {
		return x.typ
	}
	return x.typ + ": " + x.msg
}

// lastException finds the final "Type: message" line of a Python traceback.
func lastException(text string) exc {
	idx := strings.LastIndex(text, "Traceback (most recent call last)")
	if idx < 0 {
		return exc{}
	}
	var found exc
	for _, line := range strings.Split(text[idx:], "\n") {
		if line == "" || line[0] == ' ' {
			continue
		}
		if m := reLastExc.FindStringSubmatch(line); m != nil {
			typ := m[1]
			if i := strings.LastIndex(typ, "."); i >= 0 {
				typ = typ[i+1:]
			}
			found = exc{typ: typ, msg: m[2]}
		}
	}
	return found
}

// userFrame returns the deepest traceback frame inside the project as chalice saw
// it (work), mapped back to the user's directory. Frames in vendor/ count as the
// user's too.
func userFrame(text, work, src string) (string, int) {
	file, line := "", 0
	for _, m := range reFrame.FindAllStringSubmatch(text, -1) {
		rel, ok := within(m[1], work)
		if !ok {
			continue
		}
		file = filepath.Join(src, rel)
		line, _ = strconv.Atoi(m[2])
	}
	return file, line
}

// within returns p relative to dir when p lies inside dir (pathutil.Within).
func within(p, dir string) (string, bool) {
	if dir == "" || !pathutil.Within(p, dir) {
		return "", false
	}
	rel, _ := filepath.Rel(dir, p)
	return rel, true
}

// after returns the text after the last marker, "" when there is none.
func after(text, marker string) string {
	i := strings.LastIndex(text, marker)
	if i < 0 {
		return ""
	}
	return strings.TrimRight(text[i+len(marker):], "\n ")
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func lastNonEmptyLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if t := strings.TrimSpace(lines[i]); t != "" {
			return t
		}
	}
	return ""
}

// tail returns the last n lines of out, for messages about unclassified failures.
func tail(out []byte, n int) string {
	lines := bytes.Split(bytes.TrimRight(out, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}
