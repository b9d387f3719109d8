package servertest

import (
	"fmt"
	"sort"
	"strings"

	"go.lsp.dev/protocol"
)

// Diagnostics waits for the diagnostics the server publishes for the document's
// current version and returns them.
func (d *Doc) Diagnostics() []protocol.Diagnostic {
	d.s.T.Helper()
	var got []protocol.Diagnostic
	d.s.await(func(p *pushed) bool {
		pub, ok := p.diags[d.URI]
		if ok && pub.version == d.Version {
			got = pub.diags
			return true
		}
		return false
	}, func(p *pushed) string {
		pub, ok := p.diags[d.URI]
		if !ok {
			return fmt.Sprintf("no diagnostics published for %s (version %d)", d.Name, d.Version)
		}
		return fmt.Sprintf("diagnostics of %s: last published for version %d, want %d", d.Name, pub.version, d.Version)
	})
	return got
}

// WantDiagnostics requires the diagnostics published for the document's current
// version to be exactly its ⟦!code|…⟧ markers, and returns them (in the order of
// the markers) for code actions and closer checks.
func (d *Doc) WantDiagnostics() []protocol.Diagnostic {
	d.s.T.Helper()
	got := d.Diagnostics()
	if diff := d.compare(got); diff != "" {
		d.s.T.Errorf("%s", diff)
	}
	return sortDiags(d, got)
}

// AwaitDiagnostics waits until the last diagnostics published for the document
// match its ⟦!code|…⟧ markers: for a document whose diagnostics follow another
// file's edit (its own version does not change). The deadline only guards
// against a hang; a mismatch then shows the last set published.
func (d *Doc) AwaitDiagnostics() []protocol.Diagnostic {
	d.s.T.Helper()
	var got []protocol.Diagnostic
	d.s.await(func(p *pushed) bool {
		pub, ok := p.diags[d.URI]
		if ok && pub.version == d.Version && d.compare(pub.diags) == "" {
			got = pub.diags
			return true
		}
		return false
	}, func(p *pushed) string {
		pub, ok := p.diags[d.URI]
		if !ok {
			return fmt.Sprintf("no diagnostics published for %s", d.Name)
		}
		return d.compare(pub.diags)
	})
	return sortDiags(d, got)
}

// Diagnostic returns the published diagnostic (for the current version) with
// the given code on ⟦name|…⟧, failing the test when there is none.
func (d *Doc) Diagnostic(code, rangeName string) protocol.Diagnostic {
	d.s.T.Helper()
	r := d.Range(rangeName)
	for _, g := range d.Diagnostics() {
		if codeOf(g) == code && g.Range == r {
			return g
		}
	}
	d.s.T.Fatalf("%s: no %s diagnostic on ⟦%s⟧", d.Name, code, rangeName)
	return protocol.Diagnostic{}
}

// compare returns "" when got is exactly the document's expected diagnostics,
// else a report: both sides as annotated documents.
func (d *Doc) compare(got []protocol.Diagnostic) string {
	gotW := d.asWant(got)
	severities := map[WantDiag]bool{} // which expectations name a severity
	for _, w := range d.Want {
		severities[WantDiag{Code: w.Code, Span: w.Span}] = w.Severity != ""
	}
	// Compare severities only where the test marked them.
	norm := func(ws []WantDiag, keepMarked bool) []string {
		var out []string
		for _, w := range ws {
			if !keepMarked || !severities[WantDiag{Code: w.Code, Span: w.Span}] {
				w.Severity = ""
			}
			out = append(out, fmt.Sprintf("%d-%d %s:%s", w.Start, w.End, w.Code, w.Severity))
		}
		sort.Strings(out)
		return out
	}
	if strings.Join(norm(gotW, true), "\n") == strings.Join(norm(d.Want, true), "\n") {
		return ""
	}
	var msgs []string
	for _, g := range got {
		msgs = append(msgs, fmt.Sprintf("  %s %q: %s", codeOf(g), d.TextAt(g.Range), messageOf(g)))
	}
	return fmt.Sprintf("diagnostics of %s (version %d) differ.\n--- got:\n%s\n--- want:\n%s\n--- messages:\n%s",
		d.Name, d.Version, Annotate(d.Text, gotW), Annotate(d.Text, d.Want), strings.Join(msgs, "\n"))
}

func (d *Doc) asWant(ds []protocol.Diagnostic) []WantDiag {
	var out []WantDiag
	for _, g := range ds {
		out = append(out, WantDiag{Code: codeOf(g), Severity: severityName(g.Severity), Span: d.s.spanOf(d.Text, g.Range)})
	}
	sort.SliceStable(out, func(a, b int) bool { return lessDiag(out[a], out[b]) })
	return out
}

func sortDiags(d *Doc, ds []protocol.Diagnostic) []protocol.Diagnostic {
	out := append([]protocol.Diagnostic(nil), ds...)
	sort.SliceStable(out, func(a, b int) bool {
		return lessDiag(WantDiag{Code: codeOf(out[a]), Span: d.s.spanOf(d.Text, out[a].Range)},
			WantDiag{Code: codeOf(out[b]), Span: d.s.spanOf(d.Text, out[b].Range)})
	})
	return out
}

func codeOf(d protocol.Diagnostic) string {
	switch c := d.Code.(type) {
	case protocol.String:
		return string(c)
	case nil:
		return ""
	}
	return fmt.Sprint(d.Code)
}

// Message returns a diagnostic's message text.
func Message(d protocol.Diagnostic) string { return messageOf(d) }

func messageOf(d protocol.Diagnostic) string {
	switch m := d.Message.(type) {
	case protocol.String:
		return string(m)
	case *protocol.MarkupContent:
		return m.Value
	}
	return fmt.Sprint(d.Message)
}

func severityName(s protocol.DiagnosticSeverity) string {
	switch s {
	case protocol.DiagnosticSeverityError:
		return "error"
	case protocol.DiagnosticSeverityWarning:
		return "warning"
	case protocol.DiagnosticSeverityInformation:
		return "information"
	case protocol.DiagnosticSeverityHint:
		return "hint"
	}
	return ""
}
