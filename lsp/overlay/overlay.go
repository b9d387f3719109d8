// Package overlay keeps the documents the client has open. The server hands each
// version to the analysis snapshot (analysis.Changes.Open), where its unsaved
// content overlays the file on disk. Each version of a document is immutable, so
// readers never lock.
package overlay

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sync"

	"github.com/chalice-lsp/chalice-lsp/schema/text"
	"go.lsp.dev/uri"
)

// MaxAnalyzedSize is the largest document the features analyze. Bigger documents
// are tracked (edits still apply) but get no diagnostics, completion or hover, so
// a stray multi-megabyte JSON file cannot stall the server.
const MaxAnalyzedSize = 4 << 20

// Document is one version of an open document.
type Document struct {
	URI        uri.URI
	Path       string // absolute file path; "" for non-file URIs
	LanguageID string
	Version    int32
	Content    []byte

	once   sync.Once
	mapper *text.Mapper
}

// Mapper returns the offset/position mapper of this version.
func (d *Document) Mapper() *text.Mapper {
	d.once.Do(func() { d.mapper = text.NewMapper(d.Content) })
	return d.mapper
}

// Analyzable reports whether features should look at the document, and if not, why.
func (d *Document) Analyzable() (bool, string) {
	if len(d.Content) > MaxAnalyzedSize {
		return false, fmt.Sprintf("%s is %d bytes; chalice-lsp analyzes files up to %d bytes", d.Path, len(d.Content), MaxAnalyzedSize)
	}
	head := d.Content
	if len(head) > 8192 {
		head = head[:8192]
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return false, d.Path + " looks binary (it contains NUL bytes)"
	}
	return true, ""
}

// Change is one content change: a range edit, or the whole text when Range is nil.
type Change struct {
	Range *text.Range
	Text  string
}

// Store holds the open documents. It is safe for concurrent use.
type Store struct {
	mu   sync.RWMutex
	docs map[uri.URI]*Document
}

// NewStore returns an empty store.
func NewStore() *Store { return &Store{docs: map[uri.URI]*Document{}} }

// PathOf returns the file path of a file:// URI, or "".
func PathOf(u uri.URI) string {
	if !u.IsFile() {
		return ""
	}
	p := u.FsPath()
	if p == "" {
		return ""
	}
	return filepath.Clean(p)
}

// Open records a newly opened document, replacing any previous version.
func (s *Store) Open(u uri.URI, languageID string, version int32, content string) *Document {
	d := &Document{URI: u, Path: PathOf(u), LanguageID: languageID, Version: version, Content: []byte(content)}
	s.mu.Lock()
	s.docs[u] = d
	s.mu.Unlock()
	return d
}

// Change applies changes in order and records the result as version. Positions are
// in enc. A version that does not increase, or a change to a document that is not
// open, is an error (the client and server disagree about the content; the client
// should resend it).
func (s *Store) Change(u uri.URI, version int32, changes []Change, enc text.Encoding) (*Document, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.docs[u]
	if !ok {
		return nil, fmt.Errorf("didChange for %s, which is not open (send didOpen first)", u)
	}
	if version <= old.Version {
		return nil, fmt.Errorf("didChange for %s has version %d, not newer than %d; change ignored", u, version, old.Version)
	}
	var e editor
	e.reset(old.Content)
	for i, c := range changes {
		if c.Range == nil {
			e.reset([]byte(c.Text))
			continue
		}
		start, end := e.offset(c.Range.Start, enc), e.offset(c.Range.End, enc)
		if end < start {
			return nil, fmt.Errorf("didChange for %s: change %d has its end before its start", u, i)
		}
		e.replace(start, end, c.Text)
	}
	d := &Document{URI: u, Path: old.Path, LanguageID: old.LanguageID, Version: version, Content: e.buf}
	s.docs[u] = d
	return d, nil
}

// Close forgets a document; the file on disk is the truth again.
func (s *Store) Close(u uri.URI) {
	s.mu.Lock()
	delete(s.docs, u)
	s.mu.Unlock()
}

// Get returns the current version of an open document, or nil.
func (s *Store) Get(u uri.URI) *Document {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.docs[u]
}

// ByPath returns the open document for a file path, or nil.
func (s *Store) ByPath(path string) *Document {
	return s.Get(uri.File(path))
}

// All returns the open documents (in no particular order).
func (s *Store) All() []*Document {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]*Document, 0, len(s.docs))
	for _, d := range s.docs {
		out = append(out, d)
	}
	return out
}
