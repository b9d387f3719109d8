package schema

// Diagnostic codes produced by this package. They are stable: editors, tests and
// users' suppression lists may depend on them.
const (
	// CodeJSONSyntax: the file is not strict JSON (comments, trailing commas,
	// single quotes, nesting deeper than Python's json.loads reads, ...).
	CodeJSONSyntax = "json-syntax"
	// CodeEmptyFile: the file holds nothing but whitespace.
	CodeEmptyFile = "empty-file"
	// CodeInvalidEncoding: the file is not valid UTF-8.
	CodeInvalidEncoding = "invalid-encoding"
	// CodeUnknownKey: a key Chalice never reads at this place (did-you-mean
	// candidates in Suggestions).
	CodeUnknownKey = "unknown-key"
	// CodeMisplacedKey: a key Chalice reads at another level only, e.g.
	// automatic_layer inside lambda_functions or app_name inside a stage.
	CodeMisplacedKey = "misplaced-key"
	// CodeInvalidKey: a free-form key that breaks a naming rule, e.g. an
	// environment variable named "1X".
	CodeInvalidKey = "invalid-key"
	// CodeDuplicateKey: the same key twice in one object; Chalice (Python's
	// json.loads) keeps the last one.
	CodeDuplicateKey = "duplicate-key"
	// CodeWrongType: a value of the wrong JSON type ("big" for a memory size).
	CodeWrongType = "wrong-type"
	// CodeOutOfRange: a number outside its range, or a version above 2.0.
	CodeOutOfRange = "out-of-range"
	// CodeNotInEnum: a value that is not one of the allowed values.
	CodeNotInEnum = "not-in-enum"
	// CodeInvalidValue: a value of the right type in the wrong form (not an ARN,
	// empty string, ...).
	CodeInvalidValue = "invalid-value"
	// CodeMissingKey: a required key is missing (custom domain without
	// certificate_arn); reported on the key that holds the object.
	CodeMissingKey = "missing-key"
	// CodeNonLiteral: an expression in CDK code (Information, not an error) where
	// the schema wants something other than a string; it cannot be checked.
	CodeNonLiteral = "non-literal"
	// CodeInternal: the embedded schema could not be used; a bug in chalice-lsp.
	CodeInternal = "internal-error"
)
