// Package configfeatures answers completion and hover inside Chalice configuration
// written as JSON-like literals: a whole .chalice/config.json, or the stage_config
// literal of a CDK construct (a Python dict or a Go map, parsed by internal/cdkcode into
// the same jsonpos tree). Everything is computed from the tree and the schema; it
// never waits on packaging.
package configfeatures

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/chalice-lsp/chalice-lsp/lsp/jsonfeatures"
	"github.com/chalice-lsp/chalice-lsp/schema"
	"github.com/chalice-lsp/chalice-lsp/schema/effective"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// Syntax is the language a literal is written in; it decides how values are
// spelled in inserted text.
type Syntax int

const (
	// JSON is config.json.
	JSON Syntax = iota
	// Python is a dict literal (True/False/None).
	Python
	// Go is a map literal (true/false/nil).
	Go
)

// ItemKind classifies a completion item.
type ItemKind int

const (
	KeyItem ItemKind = iota
	ValueItem
	StageItem
	FunctionItem
)

// Item is one completion proposal. Text replaces the bytes [Start, End) of the
// document; Snippet is set when Text uses LSP snippet syntax ($1).
type Item struct {
	Label      string
	Kind       ItemKind
	Detail     string
	Doc        string // markdown
	Text       string
	Snippet    bool
	Start, End int
	SortText   string
	// FilterText is what the client matches the typed word against ("" = Label).
	FilterText string
	// Extra are edits elsewhere that accepting the item needs (a comma after the
	// previous member); they never overlap [Start, End).
	Extra []Edit
}

// Edit replaces the bytes [Start, End) with Text.
type Edit struct {
	Start, End int
	Text       string
}

// Context is what completion and hover know beyond the document.
type Context struct {
	Kind   schema.Kind
	Syntax Syntax
	// Functions are the config-level function names from app.py (appmodel).
	Functions []string
	// FunctionsUnknown says why app.py's handler set cannot be known
	// (appmodel.App.HandlersUnknown); "" when Functions is complete.
	FunctionsUnknown string
	// Stage is the stage to resolve effective values for when the cursor is not
	// inside stages.<stage> ("dev" if empty).
	Stage string
	// StageFrom says where Stage comes from ("the stack id in app.py"); shown in
	// hover so the user sees which stage the values are for. Empty: not shown.
	StageFrom string
	// Mode is how the CDK construct applies a stage_config literal (Kind
	// schema.StageConfig): chalice.cdk.Chalice's user params (the zero value),
	// deep-merged into the stage, or replacing it.
	Mode effective.OverlayMode
	// Config is the project's config.json tree, used for effective values when the
	// document is a stage_config literal (nil if unknown). For config.json itself it
	// is ignored: the document is the config.
	Config *jsonpos.Node
	// Snippets tells whether the client accepts snippet syntax.
	Snippets bool
	// PolicyFiles are the .json files in the project's .chalice/ directory (names
	// relative to it), offered as values of iam_policy_file and
	// api_gateway_policy_file.
	PolicyFiles []string

	singleQuotes bool // set per request for Python dicts written with 'quotes'
}

// Complete returns proposals for the cursor at offset in src, whose parsed tree is
// root (possibly partial).
func Complete(src []byte, root *jsonpos.Node, offset int, c Context) []Item {
	if root == nil {
		if c.Syntax == JSON && strings.TrimSpace(string(src)) == "" {
			return []Item{{Label: "{}", Kind: ValueItem, Detail: "new config.json", Text: `{"version": "2.0", "app_name": "", "stages": {"dev": {}}}`, Start: 0, End: len(src)}}
		}
		return nil
	}
	loc := locate(root, offset)
	if loc.Container == nil {
		return nil
	}
	switch {
	case loc.Container.Kind == jsonpos.Object && (loc.InKey || (!loc.InValue && !afterColon(src, loc.Container, offset))):
		return keyItems(src, loc, c, keySlotAt(src, loc.Container, offset))
	case loc.Container.Kind == jsonpos.Object:
		var key string
		start, end := offset, offset
		if loc.Member != nil {
			key = loc.Member.Key
			if v := loc.Member.Value; v != nil && loc.InValue {
				start, end = v.Start, v.End
			}
		} else if m := memberBefore(loc.Container, offset); m != nil {
			key = m.Key
			if v := m.Value; v != nil && v.Start <= offset && offset <= v.End {
				start, end = v.Start, v.End
			}
		}
		if key == "" {
			return nil
		}
		if start == offset {
			start = wordStart(src, offset)
		}
		return valueItems(append(slices.Clone(loc.Path), key), c, start, end)
	case loc.Container.Kind == jsonpos.Array:
		start, end := wordStart(src, offset), offset
		if loc.Node != nil && loc.Node != loc.Container {
			start, end = loc.Node.Start, loc.Node.End
		}
		return valueItems(append(slices.Clone(loc.Path), "0"), c, start, end)
	}
	return nil
}

// locate is jsonpos.Locate with the member re-derived from the key and value
// spans, so completion and hover never depend on how Locate classifies a
// half-typed (unterminated) key; earlier jsonpos versions named the previous
// member there.
func locate(root *jsonpos.Node, offset int) jsonpos.Location {
	loc := jsonpos.Locate(root, offset)
	if loc.Container == nil || loc.Container.Kind != jsonpos.Object {
		return loc
	}
	loc.Member, loc.InKey, loc.InValue = nil, false, false
	for i := range loc.Container.Members {
		m := &loc.Container.Members[i]
		switch {
		case m.KeyStart <= offset && offset <= m.KeyEnd:
			loc.Member, loc.InKey, loc.InValue = m, true, false
		case m.Value != nil && m.Value.Start <= offset && offset <= m.Value.End && m.Value.Kind != jsonpos.Object && m.Value.Kind != jsonpos.Array:
			loc.Member, loc.InKey, loc.InValue = m, false, true
		}
	}
	return loc
}

// afterColon reports whether offset follows "key:" inside obj with no value yet
// (the parser recorded the member with a nil value, or the cursor sits right after
// the colon).
func afterColon(src []byte, obj *jsonpos.Node, offset int) bool {
	m := memberBefore(obj, offset)
	if m == nil {
		return false
	}
	// Is there a colon between the key and the cursor, and no comma?
	for i := m.KeyEnd; i < offset && i < len(src); i++ {
		switch src[i] {
		case ',':
			return false
		case ':':
			if m.Value == nil || offset <= m.Value.End {
				return true
			}
			return false
		}
	}
	return false
}

// memberBefore returns the last member of obj whose key starts before offset.
func memberBefore(obj *jsonpos.Node, offset int) *jsonpos.Member {
	var best *jsonpos.Member
	for i := range obj.Members {
		if obj.Members[i].KeyStart < offset {
			best = &obj.Members[i]
		}
	}
	return best
}

// wordStart moves back over an unfinished token (letters, digits, _, -, a quote).
func wordStart(src []byte, offset int) int {
	i := min(offset, len(src))
	for i > 0 {
		c := src[i-1]
		if c == '_' || c == '-' || c == '.' || c == '"' || c == '\'' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			i--
			continue
		}
		break
	}
	return i
}

func keyItems(src []byte, loc jsonpos.Location, c Context, slot keySlot) []Item {
	have := presentKeys(src, loc.Container, slot)
	c.singleQuotes = c.Syntax == Python && (slot.quote == '\'' || slot.quote == 0 && pythonSingleQuotes(src, loc.Container, slot.tokStart))
	start, end, withValue := slot.start, slot.end, slot.withValue
	path := loc.Path
	var items []Item
	last := ""
	if len(path) > 0 {
		last = path[len(path)-1]
	}
	parentIsMap := func(name string) bool {
		if len(path) == 0 {
			return false
		}
		info, ok := schema.KeyAt(c.Kind, path[:len(path)-1], name)
		return ok && info.Map
	}
	switch {
	case last == "lambda_functions" && parentIsMap("lambda_functions"):
		for i, fn := range c.Functions {
			if have[fn] {
				continue
			}
			items = append(items, slot.item(Item{Label: fn, Kind: FunctionItem, Detail: "function in app.py",
				Doc:  fmt.Sprintf("Settings for the Lambda function `%s` (its name in config.json).", fn),
				Text: keyText(fn, "{$1}", "{}", slot, c), Snippet: withValue && c.Snippets, Start: start, End: end, SortText: fmt.Sprintf("%03d", i)}))
		}
		return items
	case last == "stages" && parentIsMap("stages"):
		names := []string{"dev", "prod"}
		if c.Stage != "" {
			names = append([]string{c.Stage}, names...)
		}
		seen := map[string]bool{}
		for i, s := range names {
			if have[s] || seen[s] {
				continue
			}
			seen[s] = true
			items = append(items, slot.item(Item{Label: s, Kind: StageItem, Detail: "stage",
				Doc:  fmt.Sprintf("Settings for the Chalice stage `%s` (`chalice package --stage %s`).", s, s),
				Text: keyText(s, "{$1}", "{}", slot, c), Snippet: withValue && c.Snippets, Start: start, End: end, SortText: fmt.Sprintf("%03d", i)}))
		}
		return items
	}
	for i, k := range schema.KeysAt(c.Kind, path) {
		if have[k.Name] {
			continue
		}
		snip, plain := valuePlaceholder(k.Value, c.Syntax)
		if r := requiredSnippet(append(slices.Clone(path), k.Name), c); r != "" {
			snip = r
		}
		items = append(items, slot.item(Item{Label: k.Name, Kind: KeyItem, Detail: k.Type, Doc: k.Markdown,
			Text: keyText(k.Name, snip, plain, slot, c), Snippet: withValue && c.Snippets,
			Start: start, End: end, SortText: fmt.Sprintf("%03d", i)}))
	}
	return items
}

// pythonSingleQuotes reports whether a Python dict uses 'single' quotes: the token
// being completed starts with one, or the dict's first key does.
func pythonSingleQuotes(src []byte, obj *jsonpos.Node, start int) bool {
	if start < len(src) && src[start] == '\'' {
		return true
	}
	if len(obj.Members) > 0 && obj.Members[0].KeyStart < len(src) {
		return src[obj.Members[0].KeyStart] == '\''
	}
	return false
}

// keyText is the text that replaces the slot: the key (without the opening quote
// when the user typed it, see keySlot), then ": value" and a comma when the
// position needs them.
func keyText(name, snippet, plain string, slot keySlot, c Context) string {
	q := strconv.Quote(name)
	if c.singleQuotes && !strings.ContainsAny(name, `'\`) {
		q = "'" + name + "'"
	}
	if !slot.withValue {
		return q[1 : len(q)-1] // the slot is the inside of the existing quotes
	}
	if c.Snippets {
		q = escSnippet(q)
	}
	if slot.afterQuote {
		q = q[1:]
	}
	v := plain
	if c.Snippets {
		v = snippet
	}
	t := q + ": " + v
	if slot.commaAfter {
		t += ","
	}
	return t
}

// requiredSnippet is the snippet value of an object key whose members are partly
// required (api_gateway_custom_domain, websocket_api_custom_domain: domain_name
// and certificate_arn): the object with those members, one tab stop each, then
// the final cursor inside. "" when the object has no required member. Clients
// without snippets get "{}" (valuePlaceholder): a plain insert cannot leave the
// cursor in the first value.
func requiredSnippet(path []string, c Context) string {
	var members []string
	for _, k := range schema.KeysAt(c.Kind, path) {
		if !k.Required {
			continue
		}
		n := len(members) + 1
		v, _ := valuePlaceholder(k.Value, c.Syntax)
		v = strings.ReplaceAll(strings.ReplaceAll(v, "${1:", "${"+strconv.Itoa(n)+":"), "$1", "$"+strconv.Itoa(n))
		q := strconv.Quote(k.Name)
		if c.singleQuotes {
			q = "'" + k.Name + "'"
		}
		members = append(members, escSnippet(q)+": "+v)
	}
	if len(members) == 0 {
		return ""
	}
	return "{" + strings.Join(members, ", ") + "$0}"
}

// valuePlaceholder returns a snippet and a plain value for a new key.
func valuePlaceholder(v schema.ValueInfo, syn Syntax) (snippet, plain string) {
	if len(v.Enum) == 1 {
		s := render(v.Enum[0], syn)
		return s, s
	}
	typ := ""
	if len(v.Types) > 0 {
		typ = v.Types[0]
	}
	switch typ {
	case "string":
		if d, ok := v.Default.(string); ok {
			return `"${1:` + escSnippet(d) + `}"`, strconv.Quote(d)
		}
		return `"$1"`, `""`
	case "object":
		return "{$1}", "{}"
	case "array":
		return "[$1]", "[]"
	case "boolean":
		d := true
		if b, ok := v.Default.(bool); ok {
			d = b
		}
		s := render(d, syn)
		return "${1:" + s + "}", s
	case "integer", "number":
		if v.Default != nil {
			s := render(v.Default, syn)
			return "${1:" + s + "}", s
		}
		return "${1:0}", "0"
	}
	return "$1", render(nil, syn)
}

func escSnippet(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `$`, `\$`, `}`, `\}`)
	return r.Replace(s)
}

// render spells a JSON value in the literal's language.
func render(v any, syn Syntax) string {
	switch v := v.(type) {
	case nil:
		switch syn {
		case Python:
			return "None"
		case Go:
			return "nil"
		}
		return "null"
	case bool:
		if syn == Python {
			if v {
				return "True"
			}
			return "False"
		}
		return strconv.FormatBool(v)
	case string:
		return strconv.Quote(v)
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Sprint(v)
		}
		return string(b)
	}
}

func valueItems(path []string, c Context, start, end int) []Item {
	vi, ok := schema.ValueSchemaAt(c.Kind, path)
	if !ok {
		return nil
	}
	var items []Item
	seen := map[string]bool{}
	addDoc := func(v any, detail, doc string) {
		text := render(v, c.Syntax)
		if seen[text] {
			return
		}
		seen[text] = true
		items = append(items, Item{Label: text, Kind: ValueItem, Detail: detail, Doc: doc, Text: text, Start: start, End: end, SortText: fmt.Sprintf("%03d", len(items))})
	}
	add := func(v any, detail string) { addDoc(v, detail, vi.Markdown) }
	if len(path) > 0 && slices.Contains(jsonfeatures.PolicyFileKeys, path[len(path)-1]) {
		for _, f := range c.PolicyFiles {
			add(f, "file in .chalice/")
		}
	}
	for i, e := range vi.Enum {
		// Each enum value carries its own description, then the key's.
		doc := vi.Markdown
		if i < len(vi.EnumMarkdown) && vi.EnumMarkdown[i] != "" {
			doc = vi.EnumMarkdown[i] + "\n\n---\n\n" + vi.Markdown
		}
		addDoc(e, vi.Type, doc)
	}
	if slices.Contains(vi.Types, "boolean") && len(vi.Enum) == 0 {
		add(true, "boolean")
		add(false, "boolean")
	}
	if vi.Default != nil {
		add(vi.Default, "default")
	}
	for _, e := range vi.Examples {
		add(e, "example")
	}
	return items
}

// Hover is the text shown for the key or value at an offset, and the span it
// describes.
type Hover struct {
	Markdown   string
	Start, End int
}

// HoverAt describes the key (or the value of the key) under offset: the schema
// documentation and the effective value for the stage and function in scope, with
// the level it comes from.
func HoverAt(root *jsonpos.Node, offset int, c Context) (Hover, bool) {
	if root == nil {
		return Hover{}, false
	}
	loc := locate(root, offset)
	if loc.Member == nil || loc.Container == nil || loc.Container.Kind != jsonpos.Object {
		return Hover{}, false
	}
	m := loc.Member
	info, ok := schema.KeyAt(c.Kind, loc.Path, m.Key)
	var b strings.Builder
	if ok {
		fmt.Fprintf(&b, "**%s** — %s\n\n%s", m.Key, info.Type, info.Markdown)
	} else {
		// Stage names and function names are map keys, not schema keys.
		switch {
		case len(loc.Path) > 0 && loc.Path[len(loc.Path)-1] == "stages":
			fmt.Fprintf(&b, "**stage `%s`**\n\nSettings for `chalice package --stage %s`; they override the top level.", m.Key, m.Key)
		case len(loc.Path) > 0 && loc.Path[len(loc.Path)-1] == "lambda_functions":
			known := slices.Contains(c.Functions, m.Key)
			fmt.Fprintf(&b, "**function `%s`**\n\n", m.Key)
			if !known && c.FunctionsUnknown != "" {
				fmt.Fprintf(&b, "Settings for the Lambda function `%s`. chalice-lsp cannot list every handler of this app (%s), so it does not check this name.", m.Key, c.FunctionsUnknown)
			} else if known {
				fmt.Fprintf(&b, "Settings for the Lambda function `%s` of app.py.", m.Key)
			} else {
				fmt.Fprintf(&b, "No handler in app.py is called `%s`; Chalice ignores these settings.", m.Key)
			}
		default:
			return Hover{}, false
		}
		return Hover{Markdown: b.String(), Start: m.KeyStart, End: m.KeyEnd}, true
	}
	if m.Value != nil && m.Value.Kind == jsonpos.Null && info.Value.Nullable {
		b.WriteString("\n\n**null: not set.** Chalice reads `null` as if the key were absent (`_chain_lookup` skips None), so the effective value comes from the next level.")
	}
	if m.Key == "lambda_functions" && c.FunctionsUnknown != "" {
		fmt.Fprintf(&b, "\n\n**Handlers unknown:** %s. chalice-lsp cannot list every Lambda function of this app, so it does not check the names under `lambda_functions`.", c.FunctionsUnknown)
	}
	if ek, ok := effective.LookupKey(m.Key); ok {
		b.WriteString(effectiveSection(root, loc.Path, m.Key, ek, c))
	}
	start, end := m.KeyStart, m.KeyEnd
	if loc.InValue && m.Value != nil {
		start, end = m.Value.Start, m.Value.End
	}
	return Hover{Markdown: b.String(), Start: start, End: end}, true
}

// effectiveSection renders "Effective value" lines for the key at path.
func effectiveSection(root *jsonpos.Node, path []string, key string, ek effective.Key, c Context) string {
	stage, fn := c.Stage, ""
	if len(path) >= 2 && path[0] == "stages" {
		stage = path[1]
	}
	if i := slices.Index(path, "lambda_functions"); i >= 0 && i+1 < len(path) {
		fn = path[i+1]
	}
	if stage == "" {
		stage = effective.DefaultStage
	}
	cfg, ov := root, effective.Overlay{}
	if c.Kind == schema.StageConfig {
		cfg, ov = c.Config, effective.Overlay{Node: root, Mode: c.Mode}
	}
	var fns []string
	switch {
	case ek.Scope != effective.PerFunction && ek.Scope != effective.Merged:
		fns = []string{""}
	case fn != "":
		fns = []string{fn}
	case len(c.Functions) > 0:
		fns = c.Functions
	default:
		fns = []string{effective.APIHandler}
	}
	const maxFns = 8
	var b strings.Builder
	if c.Kind == schema.StageConfig && !c.Mode.HonoursLambdaFunctions() && slices.Contains(path, "lambda_functions") {
		b.WriteString("\n\n**Ignored:** chalice.cdk.Chalice never reads `lambda_functions` inside stage_config (aws/chalice#1998), so this value does not reach the template. Put it in .chalice/config.json under `stages.<stage>.lambda_functions`.")
	}
	from := ""
	if c.StageFrom != "" && !(len(path) >= 2 && path[0] == "stages") {
		from = ", " + c.StageFrom
	}
	fmt.Fprintf(&b, "\n\n---\n**Effective value** (stage `%s`%s):\n", stage, from)
	for i, f := range fns {
		if i == maxFns {
			fmt.Fprintf(&b, "- … and %d more functions (run *Preview effective config*)\n", len(fns)-maxFns)
			break
		}
		v := effective.ResolveOverlay(cfg, stage, f, key, ov)
		who := ""
		if f != "" {
			who = "`" + f + "`: "
		}
		val := "not set (Chalice uses None)"
		if v.Found {
			val = "`" + compact(v.Value) + "`"
		}
		fmt.Fprintf(&b, "- %s%s from **%s**", who, val, v.Level)
		if v.Note != "" {
			fmt.Fprintf(&b, " — %s", v.Note)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func compact(v any) string {
	switch v := v.(type) {
	case jsonpos.OpaqueValue:
		return v.Source
	case string:
		return strconv.Quote(v)
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			parts = append(parts, strconv.Quote(k)+": "+compact(v[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
