// Package cdkcode analyses CDK app source (Python and Go) for the language
// server: Chalice construct calls with their source directory and
// stage_config literal, and the logical-ID strings passed to get_resource /
// get_role / get_function / add_environment_variable (and the Go
// equivalents), so the server can validate, complete and hover them.
//
// Python is parsed with tree-sitter (packager/appmodel/pysyntax), Go with
// go/parser and go/scanner; both tolerate half-typed code. All offsets are
// byte offsets into the analysed file.
package cdkcode

import (
	"path/filepath"
	"strings"

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

// HonoursLambdaFunctions reports whether lambda_functions inside the stage
// config has any effect for this construct.
func (f Flavour) HonoursLambdaFunctions() bool { return f != Builtin }

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
	// StageConfigStart, StageConfigEnd span the stage_config argument at
	// the call (the literal itself may be elsewhere, see StageConfig).
	StageConfigStart, StageConfigEnd int
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
