package main

import (
	"strings"

	"github.com/chalice-lsp/chalice-lsp/internal/safefile"
	"github.com/chalice-lsp/chalice-lsp/lsp/server"
	"github.com/chalice-lsp/chalice-lsp/schema"
	"github.com/chalice-lsp/chalice-lsp/schema/rules"
)

// otherCodes describes the codes that schema/rules.Codes does not: the schema's,
// the CDK code's and the app model's. Together they are the code table SARIF's
// rules are built from (README's "Diagnostic codes" explains each at length).
var otherCodes = map[string]string{
	schema.CodeJSONSyntax:          "Not strict JSON as Python's json.loads reads it (comments, trailing commas, single quotes, BOM, bad escapes)",
	schema.CodeEmptyFile:           "The file holds nothing but whitespace",
	schema.CodeInvalidEncoding:     "The file is not valid UTF-8",
	schema.CodeUnknownKey:          "A key Chalice does not read at this level (Chalice silently ignores it)",
	schema.CodeMisplacedKey:        "A real Chalice key at a level where Chalice does not read it",
	schema.CodeInvalidKey:          "A map key Chalice or AWS rejects, e.g. an environment variable name",
	schema.CodeDuplicateKey:        "The same key twice in one object; the last one wins",
	schema.CodeWrongType:           "A value of the wrong JSON type",
	schema.CodeOutOfRange:          "A number outside its allowed range",
	schema.CodeNotInEnum:           "A value that is not one of the allowed values",
	schema.CodeInvalidValue:        "A value of the right type in the wrong form (an ARN, an ID, an empty string)",
	schema.CodeMissingKey:          "A required key is missing",
	schema.CodeNonLiteral:          "A value that cannot be checked statically (a CDK expression or token)",
	schema.CodeInternal:            "The embedded schema could not be used: a bug in chalice-lsp",
	server.CodeUnknownLogicalID:    "A logical ID (get_resource, get_role, get_function) that the packaged or predicted template does not have",
	server.CodeWrongResourceKind:   "A logical ID of another resource type than the call needs",
	server.CodeIgnoredLambdaFns:    "lambda_functions inside stage_config, which chalice.cdk.Chalice ignores",
	server.CodeSourceDirNotProject: "A construct's source_dir that is not a Chalice project",
	server.CodeSourceDirUnresolved: "A construct's source_dir that cannot be resolved statically",
	safefile.Code:                  "A file that is not a regular file or is too big was not read",
	"python-syntax":                "A Python syntax error in the app's code",
	"blueprint-unresolved":         "A blueprint or module the app registers could not be followed",
	"analysis-limit":               "The app's code is larger than the analysis follows; some handlers may be missing",
	"too-many-problems":            "More findings in the file than are shown",
}

// codeDescription is the one-line description of code.
func codeDescription(code string) string {
	if d, ok := rules.Codes[code]; ok {
		return d
	}
	if d, ok := otherCodes[code]; ok {
		return d
	}
	if strings.HasPrefix(code, "package-") {
		return "chalice package failed (" + strings.TrimPrefix(code, "package-") + ")"
	}
	return "chalice-lsp finding " + code
}
