// Package template reads the SAM template that `chalice package` writes (sam.json) and
// keeps the exact byte span of every resource, so the language server can jump from a
// logical ID in config.json or CDK code to its definition in the generated template.
//
// Positions and IDs come from schema/jsonpos, a position-aware reader that never loses
// data. goformation v7 adds a typed view where it can parse the template; it is strict
// (one unknown property fails the whole parse) and, by default, resolves intrinsics
// lossily, so it is configured to keep intrinsics as encoded strings and a failure only
// leaves Typed nil with a note in Notes.
package template

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/awslabs/goformation/v7"
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/intrinsics"

	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// Resource is one entry of the template's Resources section.
type Resource struct {
	LogicalID string
	Type      string
	// KeyStart and KeyEnd span the logical-ID key token (including its quotes);
	// Start and End span the resource's body object. All are byte offsets into
	// Template.Source.
	KeyStart, KeyEnd int
	Start, End       int
	// Props is the Properties object, or nil when the resource has none.
	Props *jsonpos.Node
	// Function is set for AWS::Serverless::Function resources.
	Function *Function
}

// Function holds the details of an AWS::Serverless::Function that tooling shows.
type Function struct {
	Handler, Runtime string
	MemorySize       *int
	Timeout          *int
	// Role is the role ARN when it is a literal string, or the logical ID of the role
	// when it is {"Fn::GetAtt": [ID, "Arn"]} (RoleIsRef tells which).
	Role      string
	RoleIsRef bool
	Events    []Event
	// Layers lists layer ARNs, or logical IDs for {"Ref": ID} entries (for example
	// "ManagedLayer").
	Layers []string
}

// Event is one entry of a function's Events map.
type Event struct {
	Key, Type string
	// KeyStart and KeyEnd span the event's key token in the template.
	KeyStart, KeyEnd int
}

// Template is a parsed SAM template.
type Template struct {
	Path   string
	Source []byte
	// Root is the whole document.
	Root *jsonpos.Node
	// Resources in source order.
	Resources []Resource
	// Outputs lists the names of the Outputs section, in source order.
	Outputs []string
	// Typed is goformation's view of the template, nil when goformation could not
	// parse it (see Notes).
	Typed *cloudformation.Template
	// Notes explain anything that was skipped, such as a goformation failure.
	Notes []string

	byID map[string]int
}

// Parse reads a SAM template. It fails only when src is not a JSON object, or has a
// syntax error; everything else (odd resource shapes, goformation failures) is
// tolerated and described in Notes.
func Parse(path string, src []byte) (*Template, error) {
	root, errs := jsonpos.Parse(src)
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s: %s (byte %d); the template is not valid JSON", path, errs[0].Msg, errs[0].Start)
	}
	if root == nil || root.Kind != jsonpos.Object {
		return nil, fmt.Errorf("%s: the template is not a JSON object", path)
	}
	t := &Template{Path: path, Source: src, Root: root, byID: map[string]int{}}
	if res := root.Get("Resources"); res != nil && res.Kind == jsonpos.Object {
		for _, m := range res.Members {
			if m.Value == nil {
				continue
			}
			r := Resource{LogicalID: m.Key, KeyStart: m.KeyStart, KeyEnd: m.KeyEnd, Start: m.Value.Start, End: m.Value.End}
			if typ := m.Value.Get("Type"); typ != nil && typ.Kind == jsonpos.String {
				r.Type = typ.Text
			}
			if p := m.Value.Get("Properties"); p != nil && p.Kind == jsonpos.Object {
				r.Props = p
			}
			if r.Type == "AWS::Serverless::Function" {
				r.Function = readFunction(r.Props)
			}
			// Python's json.loads keeps the last duplicate; so does the lookup.
			if i, ok := t.byID[r.LogicalID]; ok {
				t.Resources[i] = r
				continue
			}
			t.byID[r.LogicalID] = len(t.Resources)
			t.Resources = append(t.Resources, r)
		}
	} else {
		t.Notes = append(t.Notes, "the template has no Resources object")
	}
	if outs := root.Get("Outputs"); outs != nil && outs.Kind == jsonpos.Object {
		seen := map[string]bool{}
		for _, m := range outs.Members {
			if !seen[m.Key] {
				seen[m.Key] = true
				t.Outputs = append(t.Outputs, m.Key)
			}
		}
	}
	t.Typed, t.Notes = typed(src, t.Notes)
	return t, nil
}

// typed runs goformation, keeping intrinsics as goformation's encoded strings
// (cloudformation.EncoderIntrinsics) instead of resolving them to nil or fake values.
func typed(src []byte, notes []string) (tpl *cloudformation.Template, out []string) {
	out = notes
	defer func() {
		// goformation is archived and not hardened against odd input; a panic there
		// must not take down the language server.
		if r := recover(); r != nil {
			tpl = nil
			out = append(out, fmt.Sprintf("goformation panicked while parsing the template: %v; the typed view is unavailable", r))
		}
	}()
	opts := &intrinsics.ProcessorOptions{IntrinsicHandlerOverrides: cloudformation.EncoderIntrinsics}
	tpl, err := goformation.ParseJSONWithOptions(normalizeForTyped(src), opts)
	if err != nil {
		return nil, append(out, "goformation could not parse the template ("+err.Error()+"); the typed view is unavailable, positions and IDs are unaffected")
	}
	return tpl, out
}

// readFunction reads the details of a function from its Properties (nil-safe).
func readFunction(props *jsonpos.Node) *Function {
	f := &Function{}
	if props == nil {
		return f
	}
	f.Handler = str(props.Get("Handler"))
	f.Runtime = str(props.Get("Runtime"))
	f.MemorySize = integer(props.Get("MemorySize"))
	f.Timeout = integer(props.Get("Timeout"))
	if role := props.Get("Role"); role != nil {
		switch role.Kind {
		case jsonpos.String:
			f.Role = role.Text
		case jsonpos.Object:
			if id := getAttTarget(role); id != "" {
				f.Role, f.RoleIsRef = id, true
			}
		}
	}
	if ev := props.Get("Events"); ev != nil && ev.Kind == jsonpos.Object {
		for _, m := range ev.Members {
			e := Event{Key: m.Key, KeyStart: m.KeyStart, KeyEnd: m.KeyEnd}
			if m.Value != nil {
				e.Type = str(m.Value.Get("Type"))
			}
			f.Events = append(f.Events, e)
		}
	}
	if ls := props.Get("Layers"); ls != nil && ls.Kind == jsonpos.Array {
		for _, l := range ls.Elems {
			switch l.Kind {
			case jsonpos.String:
				f.Layers = append(f.Layers, l.Text)
			case jsonpos.Object:
				if ref := l.Get("Ref"); ref != nil && ref.Kind == jsonpos.String {
					f.Layers = append(f.Layers, ref.Text)
				}
			}
		}
	}
	return f
}

// getAttTarget returns ID for {"Fn::GetAtt": [ID, attr]} or {"Fn::GetAtt": "ID.attr"}.
func getAttTarget(n *jsonpos.Node) string {
	ga := n.Get("Fn::GetAtt")
	if ga == nil {
		return ""
	}
	switch ga.Kind {
	case jsonpos.Array:
		if len(ga.Elems) > 0 && ga.Elems[0].Kind == jsonpos.String {
			return ga.Elems[0].Text
		}
	case jsonpos.String:
		id, _, _ := strings.Cut(ga.Text, ".")
		return id
	}
	return ""
}

func str(n *jsonpos.Node) string {
	if n != nil && n.Kind == jsonpos.String {
		return n.Text
	}
	return ""
}

// integer reads a whole number, also written as 30.0; nil for anything else.
func integer(n *jsonpos.Node) *int {
	if n == nil || n.Kind != jsonpos.Number {
		return nil
	}
	if v, err := strconv.Atoi(n.Text); err == nil {
		return &v
	}
	if f, err := json.Number(n.Text).Float64(); err == nil && f == float64(int(f)) {
		v := int(f)
		return &v
	}
	return nil
}

// Resource returns the resource with the logical ID id, or nil.
func (t *Template) Resource(id string) *Resource {
	if i, ok := t.byID[id]; ok {
		return &t.Resources[i]
	}
	return nil
}

// IDs returns every logical ID, sorted.
func (t *Template) IDs() []string {
	ids := make([]string, 0, len(t.Resources))
	for _, r := range t.Resources {
		ids = append(ids, r.LogicalID)
	}
	sort.Strings(ids)
	return ids
}

// ResourceAt returns the resource whose key or body contains the byte offset, or nil.
func (t *Template) ResourceAt(offset int) *Resource {
	for i := range t.Resources {
		r := &t.Resources[i]
		if offset >= r.KeyStart && offset <= r.End {
			return r
		}
	}
	return nil
}

// normalizeForTyped rewrites SAM shorthands that goformation's generated types
// reject into their equivalent long forms (for the typed view only; positions and
// Source are untouched):
//
//   - AWS::Serverless::Api EndpointConfiguration "EDGE" -> {"Type": "EDGE"}
//     (SAM accepts both; Chalice writes the string, goformation wants the object).
func normalizeForTyped(src []byte) []byte {
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	if dec.Decode(&doc) != nil {
		return src
	}
	res, _ := doc["Resources"].(map[string]any)
	changed := false
	for _, v := range res {
		r, _ := v.(map[string]any)
		props, _ := r["Properties"].(map[string]any)
		if r == nil || props == nil {
			continue
		}
		if r["Type"] == "AWS::Serverless::Api" {
			if s, ok := props["EndpointConfiguration"].(string); ok {
				props["EndpointConfiguration"] = map[string]any{"Type": s}
				changed = true
			}
		}
	}
	if !changed {
		return src
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return src
	}
	return out
}
