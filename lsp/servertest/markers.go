package servertest

import (
	"fmt"
	"sort"
	"strings"
)

// Archive is a workspace written as one string: a file starts at a line
// "-- path --" (slash-separated, relative to the workspace root) and runs to the
// next such line. Text before the first file is a comment. Like txtar, but each
// file's markers are parsed.
type Archive []File

// File is one file of an archive: its path and its content with the markers
// taken out.
type File struct {
	Path string
	*Marked
}

// Marked is a text with its markers parsed (see the package comment).
type Marked struct {
	// Text is the content without markers: what is written to disk or sent.
	Text string
	// Points are the ⟨name⟩ markers by name, as byte offsets into Text.
	Points map[string]int
	// Ranges are the ⟦name|…⟧ markers by name, as byte spans of Text.
	Ranges map[string]Span
	// Want are the expected diagnostics (⟦!code|…⟧), in the order of the text.
	Want []WantDiag
}

// Span is a half-open byte range [Start, End).
type Span struct{ Start, End int }

// WantDiag is one expected diagnostic: its code, its span and, when the marker
// names one, its severity ("error", "warning", "information", "hint"; "" means
// any).
type WantDiag struct {
	Code, Severity string
	Span
}

const (
	pointOpen, pointClose = "⟨", "⟩"
	rangeOpen, rangeClose = "⟦", "⟧"
)

// ParseArchive splits an archive into files and parses each file's markers.
func ParseArchive(s string) (Archive, error) {
	var files Archive
	var name string
	var body strings.Builder
	inFile := false
	flush := func() error {
		if !inFile {
			return nil
		}
		m, err := Parse(body.String())
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		for _, f := range files {
			if f.Path == name {
				return fmt.Errorf("%s appears twice in the archive", name)
			}
		}
		files = append(files, File{Path: name, Marked: m})
		return nil
	}
	for _, line := range strings.SplitAfter(s, "\n") {
		trimmed := strings.TrimRight(line, "\r\n")
		if n, ok := fileHeader(trimmed); ok {
			if err := flush(); err != nil {
				return nil, err
			}
			name, inFile = n, true
			body.Reset()
			continue
		}
		if inFile {
			body.WriteString(line)
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return files, nil
}

func fileHeader(line string) (string, bool) {
	if !strings.HasPrefix(line, "-- ") || !strings.HasSuffix(line, " --") || len(line) < 7 {
		return "", false
	}
	name := strings.TrimSpace(line[3 : len(line)-3])
	return name, name != ""
}

// Parse takes the markers out of s. Ranges nest; a point may sit inside a range.
// A name is used once per text.
func Parse(s string) (*Marked, error) {
	m := &Marked{Points: map[string]int{}, Ranges: map[string]Span{}}
	var out strings.Builder
	type open struct {
		label string
		start int
		at    int // byte offset in s, for errors
	}
	var stack []open
	used := map[string]bool{}
	claim := func(name string, at int) error {
		if used[name] {
			return fmt.Errorf("%s: marker name %q used twice", where(s, at), name)
		}
		used[name] = true
		return nil
	}
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], pointOpen):
			end := strings.Index(s[i:], pointClose)
			if end < 0 {
				return nil, fmt.Errorf("%s: %s without %s", where(s, i), pointOpen, pointClose)
			}
			name := s[i+len(pointOpen) : i+end]
			if name == "" || strings.ContainsAny(name, " \n"+rangeOpen+rangeClose+pointOpen) {
				return nil, fmt.Errorf("%s: bad point name %q (want ⟨name⟩)", where(s, i), name)
			}
			if err := claim(name, i); err != nil {
				return nil, err
			}
			m.Points[name] = out.Len()
			i += end + len(pointClose)
		case strings.HasPrefix(s[i:], rangeOpen):
			bar := strings.IndexAny(s[i:], "|\n")
			if bar < 0 || s[i+bar] != '|' {
				return nil, fmt.Errorf("%s: %s without a label and | on its line (want ⟦name|text⟧ or ⟦!code|text⟧)", where(s, i), rangeOpen)
			}
			label := s[i+len(rangeOpen) : i+bar]
			if strings.TrimSpace(label) == "" {
				return nil, fmt.Errorf("%s: empty range label", where(s, i))
			}
			stack = append(stack, open{label: label, start: out.Len(), at: i})
			i += bar + 1
		case strings.HasPrefix(s[i:], rangeClose):
			if len(stack) == 0 {
				return nil, fmt.Errorf("%s: %s without %s", where(s, i), rangeClose, rangeOpen)
			}
			o := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			span := Span{o.start, out.Len()}
			for _, tok := range strings.Fields(o.label) {
				if code, ok := strings.CutPrefix(tok, "!"); ok {
					code, sev, _ := strings.Cut(code, ":")
					if code == "" || !validSeverity(sev) {
						return nil, fmt.Errorf("%s: bad diagnostic %q (want !code or !code:error|warning|information|hint)", where(s, o.at), tok)
					}
					m.Want = append(m.Want, WantDiag{Code: code, Severity: sev, Span: span})
					continue
				}
				if err := claim(tok, o.at); err != nil {
					return nil, err
				}
				m.Ranges[tok] = span
			}
			i += len(rangeClose)
		case strings.HasPrefix(s[i:], pointClose):
			return nil, fmt.Errorf("%s: %s without %s", where(s, i), pointClose, pointOpen)
		default:
			out.WriteByte(s[i])
			i++
		}
	}
	if len(stack) > 0 {
		return nil, fmt.Errorf("%s: %s never closed", where(s, stack[len(stack)-1].at), rangeOpen)
	}
	m.Text = out.String()
	sort.SliceStable(m.Want, func(a, b int) bool { return lessDiag(m.Want[a], m.Want[b]) })
	return m, nil
}

func lessDiag(a, b WantDiag) bool {
	if a.Start != b.Start {
		return a.Start < b.Start
	}
	if a.End != b.End {
		return a.End < b.End
	}
	return a.Code < b.Code
}

func validSeverity(s string) bool {
	switch s {
	case "", "error", "warning", "information", "hint":
		return true
	}
	return false
}

// where names a byte offset of a marked text as "line L" (1-based) for errors.
func where(s string, off int) string {
	return fmt.Sprintf("line %d", strings.Count(s[:off], "\n")+1)
}

// Point returns the offset of ⟨name⟩; a range name means the range's start.
func (m *Marked) Point(name string) (int, bool) {
	if p, ok := m.Points[name]; ok {
		return p, true
	}
	if r, ok := m.Ranges[name]; ok {
		return r.Start, true
	}
	return 0, false
}

// Annotate writes diags into text with the marker notation (⟦!code:severity|…⟧),
// so a failure shows what the server reported the way a test would expect it.
func Annotate(text string, diags []WantDiag) string {
	type event struct {
		at    int
		close bool
		width int // of the range, so an enclosing range opens first and closes last
		s     string
	}
	var evs []event
	for _, d := range diags {
		label := "!" + d.Code
		if d.Severity != "" {
			label += ":" + d.Severity
		}
		start, end := clamp(d.Start, len(text)), clamp(d.End, len(text))
		if end <= start { // empty: one event, so nothing sorts between its brackets
			evs = append(evs, event{at: start, close: true, s: rangeOpen + label + "|" + rangeClose})
			continue
		}
		evs = append(evs, event{at: start, width: end - start, s: rangeOpen + label + "|"},
			event{at: end, close: true, width: end - start, s: rangeClose})
	}
	sort.SliceStable(evs, func(i, j int) bool {
		a, b := evs[i], evs[j]
		if a.at != b.at {
			return a.at < b.at
		}
		if a.close != b.close {
			return a.close // close what ends here before opening what starts here
		}
		if a.close {
			return a.width < b.width
		}
		return a.width > b.width
	})
	var out strings.Builder
	last := 0
	for _, e := range evs {
		out.WriteString(text[last:e.at])
		out.WriteString(e.s)
		last = e.at
	}
	out.WriteString(text[last:])
	return out.String()
}

func clamp(n, hi int) int { return min(max(n, 0), hi) }
