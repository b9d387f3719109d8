package servertest

import (
	"fmt"
	"sort"
	"strings"

	"go.lsp.dev/protocol"
)

// The server publishes the merged list of all diagnostic sources with the
// document's version: once per analysis of a version (config rules and CDK
// findings together), and again when a background packaging run finishes or
// another file's change re-analyses it. So "the first publish of this version"
// is not always the answer. WantDiagnostics waits, by protocol and not by time,
// for a publish of the current version equal to the expectations; the deadline
// only guards against a hang (a mismatch is reported when it passes, with the
// last publish). That the match was not an intermediate state is checked when
// the test ends: if nothing changed the workspace since, the last publish of that
// version must still match.

// Diagnostics waits for a publish of the document's current version and returns
// the latest one (possibly not the last the server will send for it: see
// above).
func (d *Doc) Diagnostics() []protocol.Diagnostic {
	d.s.T.Helper()
	return d.awaitPublish(func([]protocol.Diagnostic) string { return "" })
}

// awaitPublish waits for a publish of the document's current version that
// problem accepts (returns ""), and returns it; on timeout the failure says
// what was published instead.
func (d *Doc) awaitPublish(problem func([]protocol.Diagnostic) string) []protocol.Diagnostic {
	d.s.T.Helper()
	var got []protocol.Diagnostic
	d.s.await(func(p *pushed) bool {
		pub, ok := p.diags[d.URI]
		if ok && pub.version == d.Version && problem(pub.diags) == "" {
			got = pub.diags
			return true
		}
		return false
	}, func(p *pushed) string {
		pub, ok := p.diags[d.URI]
		switch {
		case !ok:
			return fmt.Sprintf("no diagnostics published for %s (version %d)", d.Name, d.Version)
		case pub.version != d.Version:
			return fmt.Sprintf("diagnostics of %s: last published for version %d, want %d", d.Name, pub.version, d.Version)
		}
		return problem(pub.diags)
	})
	return got
}

// FirstDiagnostics waits for a publish of the document's current version and
// returns the first one the server sent for that version: what a client shows
// before anything else arrives.
func (d *Doc) FirstDiagnostics() []protocol.Diagnostic {
	d.s.T.Helper()
	d.Diagnostics()
	d.s.mu.Lock()
	defer d.s.mu.Unlock()
	return d.s.pushed.first[d.URI].diags
}

// WantDiagnostics waits until the diagnostics published for the document's
// current version are exactly its ⟦!code|…⟧ markers (codes and ranges, severity
// where marked), and returns them in the order of the text. It also serves a
// document whose diagnostics change because another file changed: give it its
// new expectations with Expect first.
func (d *Doc) WantDiagnostics() []protocol.Diagnostic {
	d.s.T.Helper()
	got := d.awaitPublish(d.compare)
	d.s.mu.Lock()
	d.checked = &checked{version: d.Version, changes: d.s.changes, marked: d.Marked}
	d.s.mu.Unlock()
	return sortDiags(d, got)
}

// checked is what WantDiagnostics matched: the expectations, for the document's
// version, after the session's n-th change of the workspace.
type checked struct {
	version int32
	changes int
	marked  *Marked
}

// recheck runs when the test ends: a document whose diagnostics matched, in a
// workspace that did not change since, must still match its last publish.
func (s *Session) recheck() {
	s.mu.Lock()
	docs := append([]*Doc(nil), s.docs...)
	s.mu.Unlock()
	for _, d := range docs {
		s.mu.Lock()
		c, pub, changes := d.checked, s.pushed.diags[d.URI], s.changes
		s.mu.Unlock()
		if c == nil || c.changes != changes || c.version != d.Version || pub.version != d.Version {
			continue
		}
		was := d.Marked
		d.Marked = c.marked
		if diff := d.compare(pub.diags); diff != "" {
			s.T.Errorf("after WantDiagnostics matched, the server published other diagnostics for the same version, with nothing changed since: %s", diff)
		}
		d.Marked = was
	}
}

// Diagnostic waits for the published diagnostic with the given code on
// ⟦name|…⟧ (current version) and returns it.
func (d *Doc) Diagnostic(code, rangeName string) protocol.Diagnostic {
	d.s.T.Helper()
	r := d.Range(rangeName)
	var found protocol.Diagnostic
	d.s.await(func(p *pushed) bool {
		pub, ok := p.diags[d.URI]
		if !ok || pub.version != d.Version {
			return false
		}
		for _, g := range pub.diags {
			if codeOf(g) == code && g.Range == r {
				found = g
				return true
			}
		}
		return false
	}, func(p *pushed) string {
		return fmt.Sprintf("%s (version %d): no %s diagnostic on ⟦%s⟧; last published: %s", d.Name, d.Version, code, rangeName,
			Annotate(d.Text, d.asWant(p.diags[d.URI].diags)))
	})
	return found
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

// Code returns a diagnostic's code as text.
func Code(d protocol.Diagnostic) string { return codeOf(d) }

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
