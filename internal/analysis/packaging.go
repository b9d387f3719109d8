package analysis

import (
	"errors"
	"sort"

	"github.com/chalice-lsp/chalice-lsp/packager"
	"github.com/chalice-lsp/chalice-lsp/schema/diag"
	"github.com/chalice-lsp/chalice-lsp/schema/effective"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
	"github.com/chalice-lsp/chalice-lsp/schema/text"
)

// PackagingFailure places the failure recorded in p (nil Err: none) where it
// points and returns that file and the diagnostic. A config error lands on the
// key responsible (packager.Locate: in config.json, or in the CDK stage_config
// literal of p.CDKPath that set it); other errors with a line (an import error in
// app.py) on that line; the rest on config.json's first line.
func (s *Snapshot) PackagingFailure(p *Packaging) (string, diag.Diagnostic, bool) {
	if p == nil || p.Err == nil {
		return "", diag.Diagnostic{}, false
	}
	cfgPath := p.Dir
	if pr := s.projectAt(p.Dir); pr != nil {
		cfgPath = pr.ConfigPath
	}
	file, line := cfgPath, 0
	msg := p.Err.Error()
	code := "package-failed"
	var perr *packager.Error
	if errors.As(p.Err, &perr) {
		msg = perr.Message
		if perr.Hint != "" {
			msg += "\nhint: " + perr.Hint
		}
		if perr.File != "" {
			file, line = perr.File, perr.Line
		}
		code = "package-" + string(perr.Class)
	}
	d := diag.Diagnostic{Start: -1, Severity: diag.Error, Code: code, Message: "chalice package: " + msg}
	if perr != nil && perr.Class == packager.ClassInvalidConfig {
		if src, err := s.ReadFile(cfgPath); err == nil {
			root, _ := jsonpos.Parse(src)
			ov, ovFile := s.packagingOverlay(p)
			if spot, ok := packager.Locate(perr, root, p.Stage, ov); ok {
				file = cfgPath
				if spot.InOverlay {
					file = ovFile
				}
				d.Start, d.End = spot.Start, spot.End
			}
		}
	}
	if d.Start < 0 {
		src, err := s.ReadFile(file)
		if err != nil {
			file, line = cfgPath, 0
			src, _ = s.ReadFile(file)
		}
		d.Start, d.End = LineSpan(src, file, line)
	}
	return file, d, true
}

// packagingOverlay is the stage_config overlay p was packaged with, as the
// construct call in p.CDKPath reads now (offsets into that file's current
// content); none for config.json targets or when the call is gone.
func (s *Snapshot) packagingOverlay(p *Packaging) (effective.Overlay, string) {
	if p.CDKPath == "" {
		return effective.Overlay{}, ""
	}
	if cf := s.CDK(p.CDKPath); cf != nil {
		for _, c := range cf.Constructs {
			if c.Target.Project != nil && c.Target.Key() == p.Key {
				return c.Target.Overlay, p.CDKPath
			}
		}
	}
	return effective.Overlay{}, ""
}

// PackagingFailures places the snapshot's packaging failures (PackagingFailure),
// by file. A project shows the failures of its latest packaging round only: a
// success, or a run for another stage or stage_config, replaces what an earlier
// run reported.
func PackagingFailures(s *Snapshot) map[string][]diag.Diagnostic {
	latest := map[string]uint64{} // by project dir
	for _, p := range s.packaging {
		latest[p.Dir] = max(latest[p.Dir], p.round)
	}
	keys := make([]string, 0, len(s.packaging))
	for k, p := range s.packaging {
		if p.Err != nil && p.round == latest[p.Dir] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var out map[string][]diag.Diagnostic
	for _, k := range keys {
		if f, d, ok := s.PackagingFailure(s.packaging[k]); ok {
			if out == nil {
				out = map[string][]diag.Diagnostic{}
			}
			out[f] = append(out[f], d)
		}
	}
	return out
}

// LineSpan is the span of line (1-based; 0 = the first) of src without its
// indentation and line break; in config.json, the first key on that line.
func LineSpan(src []byte, file string, line int) (int, int) {
	m := text.NewMapper(src)
	l := max(line-1, 0)
	start := m.LineStart(l)
	end := m.LineStart(l + 1)
	if end < start {
		end = len(src)
	}
	for end > start && (src[end-1] == '\n' || src[end-1] == '\r') {
		end--
	}
	if line > 0 && Classify(file) == KindConfig {
		// Only in valid JSON: on a syntax error's line the key may be unrelated.
		if root, errs := jsonpos.Parse(src); len(errs) == 0 {
			if mem := firstKeyIn(root, start, end); mem != nil {
				return mem.KeyStart, mem.KeyEnd
			}
		}
	}
	for start < end && (src[start] == ' ' || src[start] == '\t') {
		start++
	}
	return start, end
}

// firstKeyIn returns the first member (depth first, in source order) whose key
// starts in [start, end).
func firstKeyIn(n *jsonpos.Node, start, end int) *jsonpos.Member {
	if n == nil || n.End <= start || n.Start >= end {
		return nil
	}
	for i := range n.Members {
		mem := &n.Members[i]
		if mem.KeyStart >= start && mem.KeyStart < end {
			return mem
		}
		if found := firstKeyIn(mem.Value, start, end); found != nil {
			return found
		}
	}
	for _, e := range n.Elems {
		if found := firstKeyIn(e, start, end); found != nil {
			return found
		}
	}
	return nil
}
