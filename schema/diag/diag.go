// Package diag defines the diagnostic every checker in chalice-lsp produces.
//
// A Diagnostic spans bytes of one file's content; the caller knows which file. The LSP
// server and the CLI convert spans to positions with schema/text at the edge.
package diag

import "sort"

// Severity follows LSP numbering so it converts without a table.
type Severity int

// The severities, numbered as in LSP.
const (
	Error       Severity = 1
	Warning     Severity = 2
	Information Severity = 3
	Hint        Severity = 4
)

// String returns "error", "warning", "information" or "hint".
func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	case Information:
		return "information"
	case Hint:
		return "hint"
	}
	return "error"
}

// Diagnostic is one finding at a byte span [Start, End) of a file.
type Diagnostic struct {
	Start, End int
	Severity   Severity
	// Code is stable and kebab-case (e.g. "unknown-key"); README lists every code.
	Code    string
	Message string
	// Suggestions are replacement texts for the span, best first ("did you mean"),
	// offered by the language server as quick fixes.
	Suggestions []string
}

// Sort orders diagnostics by position, then severity, then code, for stable output.
func Sort(ds []Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		if a.End != b.End {
			return a.End < b.End
		}
		if a.Severity != b.Severity {
			return a.Severity < b.Severity
		}
		return a.Code < b.Code
	})
}

// HasErrors reports whether any diagnostic is an error.
func HasErrors(ds []Diagnostic) bool {
	for _, d := range ds {
		if d.Severity == Error {
			return true
		}
	}
	return false
}
