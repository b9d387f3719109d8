package server

import (
	"github.com/chalice-lsp/chalice-lsp/internal/safefile"
	"go.lsp.dev/protocol"
)

// readFile reads a workspace file, the open buffer first, else the disk through
// internal/safefile (regular files only, never blocking, size-capped). A file
// skipped for its type or size is reported in the log, once per path and reason.
func (s *Server) readFile(path string) ([]byte, error) {
	b, err := s.docs.ReadFile(path)
	if safefile.IsSkipped(err) {
		if _, seen := s.skipped.LoadOrStore(err.Error(), true); !seen {
			s.logf(protocol.MessageTypeWarning, "%v", err)
		}
	}
	return b, err
}
