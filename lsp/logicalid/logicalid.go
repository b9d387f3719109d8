// Package logicalid is the set of CloudFormation logical IDs a CDK app can pass to
// get_resource / get_role / get_function for one Chalice project: the resources of
// the last packaged template when there is one, and otherwise (or for handlers
// added since) the IDs predicted from app.py. It answers lookups, filters by the
// kind of resource a call wants, and proposes did-you-mean corrections.
package logicalid

import (
	"sort"
	"strings"

	"github.com/chalice-lsp/chalice-lsp/packager/appmodel"
	"github.com/chalice-lsp/chalice-lsp/packager/predict"
	"github.com/chalice-lsp/chalice-lsp/packager/template"
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

// Suggest returns up to three IDs of kind k close to id, best first: the same ID in
// another case, then by edit distance (at most a third of the length, minimum 2),
// then IDs that contain id.
func (ix *Index) Suggest(id string, k Kind) []string {
	if ix == nil || id == "" {
		return nil
	}
	type cand struct {
		id   string
		cost int
	}
	var cs []cand
	lid := strings.ToLower(id)
	limit := max(2, len(id)/3)
	for i := range ix.Entries {
		e := &ix.Entries[i]
		if !e.Matches(k) || e.ID == id {
			continue
		}
		le := strings.ToLower(e.ID)
		switch {
		case le == lid:
			cs = append(cs, cand{e.ID, 0})
		default:
			if d := distance(lid, le); d <= limit {
				cs = append(cs, cand{e.ID, d})
			} else if len(lid) >= 3 && (strings.Contains(le, lid) || strings.Contains(lid, le)) {
				cs = append(cs, cand{e.ID, limit + 1})
			}
		}
	}
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].cost != cs[j].cost {
			return cs[i].cost < cs[j].cost
		}
		return cs[i].id < cs[j].id
	})
	var out []string
	for i := 0; i < len(cs) && i < 3; i++ {
		out = append(out, cs[i].id)
	}
	return out
}

// distance is the Levenshtein distance of a and b (bytes; IDs are ASCII).
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
