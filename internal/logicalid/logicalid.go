// Package logicalid is the set of CloudFormation logical IDs a CDK app can pass to
// get_resource / get_role / get_function for one Chalice project: the resources of
// the last packaged template when there is one, and otherwise (or for handlers
// added since) the IDs predicted from app.py. It answers lookups, filters by the
// kind of resource a call wants, and proposes did-you-mean corrections.
package logicalid

import (
	"sort"
	"strings"

	"github.com/chalice-lsp/chalice-lsp/packager/predict"
	"github.com/chalice-lsp/chalice-lsp/packager/template"
	"github.com/chalice-lsp/chalice-lsp/schema/appmodel"
	"github.com/chalice-lsp/chalice-lsp/schema/suggest"
)

// Kind is the kind of resource a call site wants.
type Kind string

const (
	Any      Kind = "any"
	Role     Kind = "role"
	Function Kind = "function"
)

// Entry is one logical ID.
type Entry struct {
	ID, Type string
	// Predicted is true when the ID comes from static analysis only (no packaged
	// template yet, or a handler added after the last packaging).
	Predicted bool
	// Function is the config-level function name ("api_handler"), "" for shared
	// resources.
	Function string
	// Handlers are the app.py handlers behind a function.
	Handlers []appmodel.Handler
	// Resource is the packaged resource (nil when predicted).
	Resource *template.Resource
}

// Matches reports whether the entry can be passed where k is wanted.
func (e *Entry) Matches(k Kind) bool {
	switch k {
	case Role:
		return e.Type == predict.TypeRole
	case Function:
		return e.Type == predict.TypeFunction
	}
	return true
}

// Index is an immutable set of entries, sorted by ID.
type Index struct {
	Entries []Entry
	byID    map[string]int
	// Template is the packaged template the entries come from (nil: all predicted).
	Template *template.Template
	// Stale is true when the template's inputs changed after it was produced.
	Stale bool
	// Foreign is set (by the caller) when Template was packaged for another stage or
	// stage_config of the project: its IDs stand in for this target's, but its
	// per-function settings (memory, timeout, ...) may not apply.
	Foreign bool
}

// Build merges a packaged template (may be nil) with predicted resources. A fresh
// template is the truth; with a stale or missing template, predicted IDs that the
// template lacks are added, marked Predicted.
func Build(t *template.Template, stale bool, predicted []predict.Resource) *Index {
	ix := &Index{Template: t, Stale: stale, byID: map[string]int{}}
	pred := map[string]*predict.Resource{}
	for i := range predicted {
		pred[predicted[i].LogicalID] = &predicted[i]
	}
	if t != nil {
		for i := range t.Resources {
			r := &t.Resources[i]
			e := Entry{ID: r.LogicalID, Type: r.Type, Resource: r}
			if p := pred[r.LogicalID]; p != nil {
				e.Function, e.Handlers = p.Function, p.Handlers
			}
			ix.add(e)
		}
	}
	if t == nil || stale {
		for _, p := range predicted {
			if _, ok := ix.byID[p.LogicalID]; ok {
				continue
			}
			ix.add(Entry{ID: p.LogicalID, Type: p.Type, Predicted: true, Function: p.Function, Handlers: p.Handlers})
		}
	}
	sort.Slice(ix.Entries, func(i, j int) bool { return ix.Entries[i].ID < ix.Entries[j].ID })
	for i, e := range ix.Entries {
		ix.byID[e.ID] = i
	}
	return ix
}

func (ix *Index) add(e Entry) {
	ix.byID[e.ID] = len(ix.Entries)
	ix.Entries = append(ix.Entries, e)
}

// Lookup returns the entry for id, or nil.
func (ix *Index) Lookup(id string) *Entry {
	if ix == nil {
		return nil
	}
	if i, ok := ix.byID[id]; ok {
		return &ix.Entries[i]
	}
	return nil
}

// Len is the number of entries.
func (ix *Index) Len() int {
	if ix == nil {
		return 0
	}
	return len(ix.Entries)
}

// Suggest returns up to three IDs of kind k close to id, best first, ranked and
// filtered by schema/suggest like every other did-you-mean of chalice-lsp: the same
// ID in another case first, then by edit distance, then IDs that contain id.
func (ix *Index) Suggest(id string, k Kind) []string {
	if ix == nil || id == "" {
		return nil
	}
	var cands []string
	for i := range ix.Entries {
		if e := &ix.Entries[i]; e.Matches(k) && e.ID != id {
			cands = append(cands, e.ID)
		}
	}
	return suggest.Closest(id, cands, 3)
}

// MaxCompletions bounds a logical-ID completion list. Unbounded, a project with
// thousands of handlers sends every ID on each completion request inside
// get_resource (3,000 lambda functions: 3,001 items, some 350 KB of item JSON
// before LSP framing); an editor shows a few dozen, and once the list is marked
// incomplete it asks again with what the user typed.
const MaxCompletions = 1000

// Complete returns the entries of kind k to offer where the user has typed typed
// (the text of the ID literal so far), in index order, at most limit of them.
// When more entries fit k than limit, those whose ID contains typed
// (case-insensitively) are kept, the ones starting with it first, and
// incomplete is true: the answer must go out with the LSP CompletionList's
// isIncomplete set, so that the client asks again as the user types instead of
// filtering this partial list itself. incomplete is false when nothing was left
// out, and the client may filter the list locally.
func (ix *Index) Complete(typed string, k Kind, limit int) (entries []*Entry, incomplete bool) {
	if ix == nil {
		return nil, false
	}
	var fit []*Entry
	for i := range ix.Entries {
		if e := &ix.Entries[i]; e.Matches(k) {
			fit = append(fit, e)
		}
	}
	if len(fit) <= limit {
		return fit, false
	}
	low := strings.ToLower(typed)
	var prefixed, containing []*Entry
	for _, e := range fit {
		switch id := strings.ToLower(e.ID); {
		case strings.HasPrefix(id, low):
			prefixed = append(prefixed, e)
		case strings.Contains(id, low):
			containing = append(containing, e)
		}
	}
	entries = append(prefixed, containing...)
	return entries[:min(len(entries), limit)], true
}
