package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// writeReport prints the findings in format (text, json, sarif or github).
func writeReport(w io.Writer, format string, all []fileDiagnostic) error {
	switch format {
	case "json":
		if all == nil {
			all = []fileDiagnostic{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"diagnostics": all})
	case "sarif":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(sarifLog(all))
	case "github":
		for _, d := range all {
			if _, err := fmt.Fprintln(w, githubAnnotation(d)); err != nil {
				return err
			}
		}
		return nil
	}
	for _, d := range all {
		if _, err := fmt.Fprintf(w, "%s:%d:%d: %s: %s [%s]\n", d.File, d.Range.Start.Line+1, d.Range.Start.Character+1, d.Severity, d.Message, d.Code); err != nil {
			return err
		}
	}
	return nil
}

// githubAnnotation is a GitHub Actions workflow command
// (https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions):
// ::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=T::message, with the
// escaping the runner expects (% CR LF in the message; also : and , in properties).
func githubAnnotation(d fileDiagnostic) string {
	cmd := "notice"
	switch d.Severity {
	case "error":
		cmd = "error"
	case "warning":
		cmd = "warning"
	}
	title := "chalice-lsp"
	if d.Code != "" {
		title += " " + d.Code
	}
	return fmt.Sprintf("::%s file=%s,line=%d,col=%d,endLine=%d,endColumn=%d,title=%s::%s", cmd,
		escapeProperty(d.File), d.Range.Start.Line+1, d.Range.Start.Character+1, d.Range.End.Line+1, d.Range.End.Character+1,
		escapeProperty(title), escapeData(d.Message))
}

func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// helpURI is where the codes are documented.
const helpURI = "https://github.com/chalice-lsp/chalice-lsp#diagnostic-codes"

// sarifLog builds a SARIF 2.1.0 log with one run. Rules are the codes that occur,
// each with its description from the code table; locations use 1-based lines and
// columns (columns count UTF-16 units, as columnKind says).
func sarifLog(all []fileDiagnostic) map[string]any {
	codes := map[string]bool{}
	for _, d := range all {
		codes[d.Code] = true
	}
	ids := make([]string, 0, len(codes))
	for c := range codes {
		ids = append(ids, c)
	}
	sort.Strings(ids)
	index := map[string]int{}
	rules := []any{}
	for i, id := range ids {
		index[id] = i
		desc := codeDescription(id)
		rules = append(rules, map[string]any{
			"id":               id,
			"name":             ruleName(id),
			"shortDescription": map[string]any{"text": desc},
			"fullDescription":  map[string]any{"text": desc},
			"helpUri":          helpURI,
			"help":             map[string]any{"text": desc + " See " + helpURI + " for every code and the severity policy."},
		})
	}
	results := []any{}
	for _, d := range all {
		level := "note"
		switch d.Severity {
		case "error":
			level = "error"
		case "warning":
			level = "warning"
		}
		results = append(results, map[string]any{
			"ruleId":    d.Code,
			"ruleIndex": index[d.Code],
			"level":     level,
			"message":   map[string]any{"text": d.Message},
			"locations": []any{map[string]any{"physicalLocation": map[string]any{
				"artifactLocation": map[string]any{"uri": uriPath(d.File)},
				"region": map[string]any{
					"startLine": d.Range.Start.Line + 1, "startColumn": d.Range.Start.Character + 1,
					"endLine": d.Range.End.Line + 1, "endColumn": d.Range.End.Character + 1,
				},
			}}},
		})
	}
	return map[string]any{
		"$schema": "https://json.schemastore.org/sarif-2.1.0.json",
		"version": "2.1.0",
		"runs": []any{map[string]any{
			"tool": map[string]any{"driver": map[string]any{
				"name": "chalice-lsp", "version": version, "informationUri": "https://github.com/chalice-lsp/chalice-lsp",
				"rules": rules,
			}},
			"columnKind": "utf16CodeUnits",
			"results":    results,
		}},
	}
}

// uriPath writes a file path as a relative URI reference (forward slashes, spaces
// and other reserved characters percent-encoded).
func uriPath(p string) string {
	p = strings.ReplaceAll(p, "\\", "/")
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~/", c) >= 0) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	if strings.HasPrefix(p, "/") {
		return "file://" + b.String()
	}
	return b.String()
}

// ruleName is the code in PascalCase (SARIF's rule name convention).
func ruleName(code string) string {
	var b strings.Builder
	for _, part := range strings.Split(code, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}
