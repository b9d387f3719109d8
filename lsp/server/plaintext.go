package server

import (
	"regexp"
	"strings"

	"go.lsp.dev/protocol"
)

// Hover and completion texts are written in markdown. A client that asked for
// plaintext (Vim, eglot without markdown-mode, minimal clients) shows the source
// verbatim, so it gets a real plaintext rendering instead (issue #11 D4).

var (
	mdLink   = regexp.MustCompile(`\[([^\]]+)\]\(([^)]+)\)`)
	mdStrong = regexp.MustCompile(`\*\*([^*]+)\*\*|__([^_]+)__`)
	mdEm     = regexp.MustCompile(`(^|[\s(])\*([^*\s][^*]*)\*`)
	mdCode   = regexp.MustCompile("`([^`]*)`")
	mdHeader = regexp.MustCompile(`^#{1,6}\s+`)
	mdEscape = regexp.MustCompile(`\\([\\` + "`" + `*_{}\[\]()#+\-.!|<>])`)
)

// plainText renders markdown as readable plain text: code fences become indented
// blocks, emphasis and code marks go, links keep their target, rules become a line.
func plainText(md string) string {
	var b strings.Builder
	inFence := false
	for _, line := range strings.Split(md, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~") {
			inFence = !inFence
			continue
		}
		if inFence {
			b.WriteString("    " + line + "\n")
			continue
		}
		if trimmed == "---" || trimmed == "***" || trimmed == "___" {
			b.WriteString(strings.Repeat("─", 20) + "\n")
			continue
		}
		line = mdHeader.ReplaceAllString(line, "")
		line = mdLink.ReplaceAllString(line, "$1 ($2)")
		line = mdStrong.ReplaceAllString(line, "$1$2")
		line = mdEm.ReplaceAllString(line, "$1$2")
		line = mdCode.ReplaceAllString(line, "$1")
		line = mdEscape.ReplaceAllString(line, "$1")
		b.WriteString(line + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// markup is hover content in the best format the client declared.
func (s *Server) markup(md string) *protocol.MarkupContent {
	if s.caps.markdown {
		return &protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: md}
	}
	return &protocol.MarkupContent{Kind: protocol.MarkupKindPlainText, Value: plainText(md)}
}

// completionDoc is completion documentation in a format the client declared
// (completionItem.documentationFormat); undeclared means the plain-string form
// every client understands.
func (s *Server) completionDoc(md string) protocol.InlayHintTooltip {
	for _, f := range s.caps.completionDocs {
		switch f {
		case protocol.MarkupKindMarkdown:
			return &protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: md}
		case protocol.MarkupKindPlainText:
			return &protocol.MarkupContent{Kind: protocol.MarkupKindPlainText, Value: plainText(md)}
		}
	}
	return protocol.String(plainText(md))
}
