package lsptest_test

import (
	"os"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/lsp/lsptest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	lsptest.RemoveBinary()
	os.Exit(code)
}
