package lsptest_test

import (
	"os"

	"go.lsp.dev/protocol"
)

func readFile(p string) ([]byte, error) { return os.ReadFile(p) }

func msgOf(d protocol.Diagnostic) string {
	switch m := d.Message.(type) {
	case protocol.String:
		return string(m)
	case *protocol.MarkupContent:
		return m.Value
	}
	return ""
}
