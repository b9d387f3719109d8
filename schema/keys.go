package schema

// KeyInfo describes one key allowed in an object, for completion and hover. It is
// read from the schema files, never from a separate table.
type KeyInfo struct {
	// Name is the key as written in JSON.
	Name string
	// Type is a short human type: "integer (128-10240), MB", "boolean",
	// "string (EDGE, REGIONAL, PRIVATE)", "map of strings", "object (custom domain)".
	Type string
	// Markdown is the hover text: what the key does, where it may appear and a JSON
	// example. Description is the same as plain text.
	Markdown, Description string
	// Default is the value Chalice uses when the key is absent anywhere (nil: none).
	// Numbers are int64 or float64; objects map[string]any; lists []any.
	Default any
	// Enum lists the allowed values, if the list is closed.
	Enum []any
	// Required is true for keys that must be present (custom domain fields).
	Required bool
	// Map is true when the value is an object with free-form keys (stages,
	// lambda_functions, environment_variables, tags); Object when it is an object
	// with fixed keys (custom domains). Then KeysAt(kind, append(path, Name)) lists
	// them.
	Map, Object bool
	// Value is the schema of the key's value.
	Value ValueInfo
}

// ValueInfo describes the values allowed at one place, for value completion.
type ValueInfo struct {
	// Types are JSON Schema type names: "string", "integer", "number", "boolean",
	// "array", "object".
	Types []string
	// Nullable: null is accepted and means "not set" (Chalice skips None
	// values in its lookups and merges).
	Nullable bool
	// Type is the short human type (see KeyInfo.Type).
	Type string
	// MustBe completes "<key> must be ...", as in diagnostics.
	MustBe string
	// Enum lists the allowed values if the list is closed (int64/float64 for numbers).
	Enum []any
	// EnumMarkdown describes each Enum value (markdown; "" when the schema has none).
	EnumMarkdown []string
	// Default is the default value, Examples further typical values.
	Default  any
	Examples []any
	// Minimum and Maximum bound numbers (nil: no bound).
	Minimum, Maximum *float64
	// Unit of numbers ("MB", "seconds", "bytes", "days"), if any.
	Unit string
	// Items describes list entries when "array" is among Types.
	Items *ValueInfo
	// Markdown is the hover text.
	Markdown string
}

// KeysAt lists the keys allowed in the object at path, in schema order. path holds the
// keys from the document root to the object, e.g. ["stages", "prod",
// "lambda_functions", "api_handler"]; stage and function names can be anything (the
// user's own names). It returns nil when path does not lead to an object with fixed
// keys (unknown keys on the way, or a free-form map such as environment_variables).
func KeysAt(kind Kind, path []string) []KeyInfo {
	n := nodeAt(kind, path)
	if n == nil || len(n.props) == 0 {
		return nil
	}
	out := make([]KeyInfo, 0, len(n.propOrder))
	for _, name := range n.propOrder {
		out = append(out, keyInfo(n, name))
	}
	return out
}

// KeyAt describes key in the object at path (see KeysAt); false if it is not allowed
// there.
func KeyAt(kind Kind, path []string, key string) (KeyInfo, bool) {
	n := nodeAt(kind, path)
	if n == nil {
		return KeyInfo{}, false
	}
	if _, ok := n.props[key]; !ok {
		return KeyInfo{}, false
	}
	return keyInfo(n, key), true
}

// ValueSchemaAt describes the value at path, e.g. ["stages", "dev",
// "api_gateway_endpoint_type"] or ["environment_variables", "ANY_NAME"] or
// ["layers", "0"]. An empty path is the document itself.
func ValueSchemaAt(kind Kind, path []string) (ValueInfo, bool) {
	n := nodeAt(kind, path)
	if n == nil {
		return ValueInfo{}, false
	}
	return valueInfo(n), true
}

// nodeAt walks the model along path.
func nodeAt(kind Kind, path []string) *node {
	c := get()
	if c.err != nil {
		return nil
	}
	if kind != StageConfig {
		kind = ConfigFile
	}
	n := c.models[kind]
	for _, seg := range path {
		n = n.child(seg)
		if n == nil {
			return nil
		}
	}
	return n
}

func keyInfo(parent *node, name string) KeyInfo {
	n := parent.props[name]
	k := KeyInfo{
		Name:        name,
		Type:        n.typeLabel(),
		Markdown:    n.markdown,
		Description: n.description,
		Enum:        plainValues(n.enum),
		Map:         n.isMap(),
		Object:      len(n.props) > 0,
		Value:       valueInfo(n),
	}
	if n.hasDefault {
		k.Default = plainValue(n.def0)
	}
	for _, r := range parent.required {
		if r == name {
			k.Required = true
		}
	}
	return k
}

func valueInfo(n *node) ValueInfo {
	v := ValueInfo{
		Types:    append([]string(nil), n.types...),
		Type:     n.typeLabel(),
		MustBe:   n.mustBePhrase(),
		Enum:     plainValues(n.enum),
		Examples: plainValues(n.examples),
		Unit:     n.unit,
		Markdown: n.markdown,
		Nullable: n.nullable,
	}
	if len(n.enumDescs) > 0 {
		for _, i := range n.enumIdx {
			d := ""
			if i < len(n.enumDescs) {
				d = n.enumDescs[i]
			}
			v.EnumMarkdown = append(v.EnumMarkdown, d)
		}
	}
	if n.hasDefault {
		v.Default = plainValue(n.def0)
	}
	if n.minimum != nil {
		f, _ := n.minimum.Float64()
		v.Minimum = &f
	}
	if n.maximum != nil {
		f, _ := n.maximum.Float64()
		v.Maximum = &f
	}
	if n.items != nil {
		items := valueInfo(n.items)
		v.Items = &items
	}
	return v
}

// IsSettingName reports whether name is a key Chalice reads at some level of
// config.json (top level, stage or function). A stage or function named like
// one is almost always a misplaced key; the validator reports it as such.
func IsSettingName(name string) bool {
	c := get()
	if c.err != nil {
		return false
	}
	for _, l := range []string{"", "stage", "top_function"} {
		if _, ok := c.levels[l].props[name]; ok {
			return true
		}
	}
	return false
}
