// Package cdkcode analyses CDK app source (Python and Go) for the language
// server: Chalice construct calls with their source directory and
// stage_config literal, and the logical-ID strings passed to get_resource /
// get_role / get_function / add_environment_variable (and the Go
// equivalents), so the server can validate, complete and hover them.
//
// Python is parsed with tree-sitter (schema/appmodel/pysyntax), Go with
// go/parser and go/scanner; both tolerate half-typed code. All offsets are
// byte offsets into the analysed file.
package cdkcode

import (
	"path/filepath"
	"strings"

	"github.com/chalice-lsp/chalice-lsp/schema/effective"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// Lang is the source language of a CDK file.
type Lang string

// Languages.
const (
	Python Lang = "python"
	Go     Lang = "go"
)

// Flavour says which Chalice construct a call creates; they treat
// stage_config differently.
type Flavour string

const (
	// Builtin is chalice.cdk.Chalice. It ignores lambda_functions inside
	// stage_config (chalice #1998).
	Builtin Flavour = "chalice.cdk"
	// CDKChalice is the cdk-chalice library's cdk_chalice.Chalice; it writes
	// stage_config into config.json, so lambda_functions takes effect.
	CDKChalice Flavour = "cdk_chalice"
	// GoConstruct is this project's construct.NewChalice; lambda_functions
	// in StageConfig takes effect.
	GoConstruct Flavour = "chalice-lsp"
)

// Mode is how the construct applies its stage_config to config.json.
func (f Flavour) Mode() effective.OverlayMode {
	switch f {
	case GoConstruct:
		return effective.MergeIntoStage
	case CDKChalice:
		return effective.ReplaceStage
	}
	return effective.UserParams
}

// HonoursLambdaFunctions reports whether lambda_functions inside the stage
// config has any effect for this construct.
func (f Flavour) HonoursLambdaFunctions() bool { return f.Mode().HonoursLambdaFunctions() }

// Construct is one Chalice construct call.
type Construct struct {
	Flavour            Flavour
	CallStart, CallEnd int
	// SourceDir is the evaluated source directory; it may be relative (to
	// the CDK app's working directory, i.e. where cdk.json is). Empty when
	// SourceDirResolved is false.
	SourceDir         string
	SourceDirResolved bool
	// SourceDirStart, SourceDirEnd span the source_dir argument (0, 0 when
	// the argument is missing).
	SourceDirStart, SourceDirEnd int
	// StageConfig is the stage config literal as a tree whose offsets point
	// into this file; non-literal values are jsonpos.Opaque. Nil when there
	// is none or it could not be traced to a literal in this file.
	StageConfig *jsonpos.Node
	// StageConfigPartial is set when the construct has a stage_config whose
	// final value cannot be known statically (not traceable to a literal, or
	// changed afterwards in ways the analysis cannot follow); StageConfig then
	// holds what is known, and IDs a missing key could create are not unknown.
	StageConfigPartial bool
	// StageConfigStart, StageConfigEnd span the stage_config argument at
	// the call (the literal itself may be elsewhere, see StageConfig).
	StageConfigStart, StageConfigEnd int
	// Var is the variable or attribute the call is assigned to, as written
	// ("self.chalice", "chalice", "api"); "" when the result is not assigned.
	// Logical-ID calls whose IDRef.Receiver equals it refer to this construct.
	Var string
	// StageName is the Go construct's explicit StageName (a string literal or
	// constant); "" when absent or not static.
	StageName string
	// Stack is the stack the construct is created in, as far as this file shows.
	Stack StackRef
}

// StackRef says which stack a construct's scope is. Both Python constructs and
// (without StageName) the Go one derive the Chalice stage from that stack's
// construct path. Either ID is known here (AtRoot: the stack is created directly
// under the CDK App, so its path is ID), or Factory names the stack class
// (Python, scope `self`) or stack-building function (Go, stack id taken from the
// function's second parameter) whose id comes from the CDK app entry's call
// Factory(app, "<id>", ...); see StackIDs.
type StackRef struct {
	ID      string
	AtRoot  bool
	Factory string
}

// Dir returns the source directory as an absolute path, resolving a relative
// SourceDir against cdkAppDir (the directory holding cdk.json). It returns ""
// when the directory is unknown; the server then falls back to the only
// Chalice project in the workspace.
func (c *Construct) Dir(cdkAppDir string) string {
	if !c.SourceDirResolved || c.SourceDir == "" {
		return ""
	}
	if filepath.IsAbs(c.SourceDir) {
		return filepath.Clean(c.SourceDir)
	}
	return filepath.Join(cdkAppDir, c.SourceDir)
}

// IDKind is the kind of resource a logical-ID argument must name.
type IDKind string

// ID kinds.
const (
	AnyResource IDKind = "any"      // get_resource / GetResource
	Role        IDKind = "role"     // get_role / GetRole (AWS::IAM::Role)
	Function    IDKind = "function" // get_function, add_environment_variable (AWS::Serverless::Function)
)

// IDRef is a logical-ID argument at a call site.
type IDRef struct {
	// Method is the called method as written ("get_role", "GetResource").
	Method string
	Want   IDKind
	// Start, End span the string's content (inside the quotes). When the
	// argument has no string yet (`get_resource(|`), Start == End is the
	// place to insert one and Quoted is false.
	Start, End int
	Text       string
	Quoted     bool
	// Terminated is false while the closing quote is missing.
	Terminated bool
	// Receiver is the object the method is called on, as written, without a
	// trailing sam_template / SamTemplate() ("self.chalice", "api"); "" when it
	// is not a plain name or attribute chain.
	Receiver string
}

// StackIDs lists the stacks a CDK app entry file (the program cdk.json's "app"
// runs) creates directly under its App: the called name's last part
// ("ChaliceApp", "NewChaliceApp", "NewStack") -> the id, for calls whose first
// argument is a variable assigned from App() / NewApp() and whose second is a
// static string. The first call of a name wins.
func StackIDs(path string, src []byte) map[string]string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".py":
		return pythonStackIDs(src)
	case ".go":
		return goStackIDs(path, src)
	}
	return nil
}

// File is the analysis of one CDK source file.
type File struct {
	Path       string
	Lang       Lang
	Constructs []Construct
	IDRefs     []IDRef
}

// Analyze picks the analyser by file extension (.py or .go); other files
// give an empty result.
func Analyze(path string, src []byte) *File {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".py":
		return AnalyzePython(path, src)
	case ".go":
		return AnalyzeGo(path, src)
	}
	return &File{Path: path}
}

// ContextKind says what is at an offset.
type ContextKind int

const (
	// Nothing of interest.
	Nothing ContextKind = iota
	// InLogicalID: inside (or at) a logical-ID argument; see Context.IDRef.
	InLogicalID
	// InStageConfig: inside a stage_config literal; see Context.Location.
	InStageConfig
)

// Context is what completion and hover need to know about an offset.
type Context struct {
	Kind      ContextKind
	IDRef     *IDRef
	Construct *Construct
	// Location is the stage-config path (keys from the stage_config root)
	// and whether the offset is on a key or a value.
	Location jsonpos.Location
}

// At answers "what is at this offset".
func (f *File) At(offset int) Context {
	for i := range f.IDRefs {
		r := &f.IDRefs[i]
		if offset >= r.Start && offset <= r.End {
			return Context{Kind: InLogicalID, IDRef: r}
		}
	}
	for i := range f.Constructs {
		c := &f.Constructs[i]
		if c.StageConfig != nil && c.StageConfig.Contains(offset) {
			loc := jsonpos.Locate(c.StageConfig, offset)
			if loc.Container != nil {
				return Context{Kind: InStageConfig, Construct: c, Location: loc}
			}
		}
	}
	return Context{}
}
