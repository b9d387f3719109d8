package schema

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/chalice-lsp/chalice-lsp/schema/diag"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
	"github.com/chalice-lsp/chalice-lsp/schema/suggest"
)

// Validate checks a parsed document against the schema of kind and returns diagnostics
// with exact byte spans: an unknown key on the key token, a bad value on the value
// token, a missing key on the key that holds the object (or the opening brace of the
// root). Opaque nodes (expressions in CDK code) pass wherever a string may stand;
// elsewhere they get an Information diagnostic. A nil root gives no diagnostics (the
// parser has already reported why there is no value).
//
// It walks the tree once against the model read from the schema files. The model
// refuses schema keywords this walk does not implement, and the tests check that
// github.com/santhosh-tekuri/jsonschema/v5 flags exactly the same places on every
// fixture, generated document and fuzz input. The library itself is not used here:
// it needs the tree converted to Go values first and is several times too slow for
// the editor's budget (0.2 ms for a 3 KB config); it also panics on number literals
// such as 1e10000010.
func Validate(root *jsonpos.Node, kind Kind) []diag.Diagnostic {
	if root == nil {
		return nil
	}
	v, errd := newValidator(root, kind)
	if errd != nil {
		return []diag.Diagnostic{*errd}
	}
	v.walk(root, v.model)
	diag.Sort(v.out)
	return v.out
}

func newValidator(root *jsonpos.Node, kind Kind) (*validator, *diag.Diagnostic) {
	c := get()
	if c.err != nil {
		return nil, &diag.Diagnostic{Start: root.Start, End: root.Start, Severity: diag.Error, Code: CodeInternal,
			Message: "chalice-lsp cannot load its config schema (please report this bug): " + c.err.Error()}
	}
	if kind != StageConfig {
		kind = ConfigFile
	}
	return &validator{c: c, kind: kind, root: root, model: c.models[kind]}, nil
}

type validator struct {
	c     *compiled
	kind  Kind
	root  *jsonpos.Node
	model *node
	out   []diag.Diagnostic
	toks  []string // path from the root to the node being walked
}

func (v *validator) add(d diag.Diagnostic) {
	if !utf8.ValidString(d.Message) {
		d.Message = strings.ToValidUTF8(d.Message, "\uFFFD")
	}
	v.out = append(v.out, d)
}

// here describes the node being walked; it is only built when there is a problem, so
// the walk itself allocates nothing for valid documents.
func (v *validator) here() target {
	t, _ := v.locate(v.toks)
	return t
}

// walk checks n against s and descends into its members and elements.
func (v *validator) walk(n *jsonpos.Node, s *node) {
	if n == nil {
		return
	}
	if s == nil {
		v.duplicatesBelow(n)
		return
	}
	if n.SynthTime() {
		if !s.allows("string") || len(s.enum) > 0 {
			v.badValue(v.here(), "")
		}
		return
	}
	if n.Kind == jsonpos.Null && s.nullable {
		return // Chalice reads null as "not set"
	}
	if !s.allows(jsonTypeOf(n)) || (len(s.enum) > 0 && !inEnum(s.enum, n)) {
		v.badValue(v.here(), "")
		v.duplicatesBelow(n)
		return
	}
	switch n.Kind {
	case jsonpos.Number:
		if outOfRange(s, n) {
			v.badValue(v.here(), "")
		}
	case jsonpos.String:
		if stringProblem(s, n.Text) {
			v.badValue(v.here(), "")
		}
	case jsonpos.Array:
		if s.items == nil {
			v.duplicatesBelow(n)
			return
		}
		for i, e := range n.Elems {
			v.toks = append(v.toks, strconv.Itoa(i))
			v.walk(e, s.items)
			v.toks = v.toks[:len(v.toks)-1]
		}
	case jsonpos.Object:
		v.object(n, s)
	}
}

func (v *validator) object(n *jsonpos.Node, s *node) {
	dups := v.duplicates(n)
	unknown, missing := false, false
	for i := range n.Members {
		m := &n.Members[i]
		if s.closed && m.Value != nil {
			if _, ok := s.props[m.Key]; !ok {
				unknown = true
			}
		}
		if s.propertyNames != nil && m.Value != nil && keyProblem(s.propertyNames, m.Key) && !isDup(dups, i) {
			t := v.here()
			v.badKey(t, m.Key, s.propertyNames)
		}
	}
	for _, r := range s.required {
		if n.Member(r) == nil {
			missing = true
		}
	}
	if unknown {
		v.unknownKeys(v.here())
	}
	if missing {
		v.missingKeys(v.here())
	}
	for i := range n.Members {
		m := &n.Members[i]
		if m.Value == nil || isDup(dups, i) {
			continue // an earlier duplicate has no effect: json.loads keeps the last
		}
		child, ok := s.props[m.Key]
		if !ok {
			child = s.additional
		}
		if child == nil {
			v.duplicatesBelow(m.Value) // an unknown key: its value is not checked, but JSON rules still hold
			continue
		}
		v.toks = append(v.toks, m.Key)
		v.walk(m.Value, child)
		v.toks = v.toks[:len(v.toks)-1]
	}
}

// duplicates reports keys that occur again later in n (warning on each earlier one)
// and returns which members are superseded; nil when there are none.
func (v *validator) duplicates(n *jsonpos.Node) []bool {
	ms := n.Members
	if len(ms) < 2 {
		return nil
	}
	var dups []bool
	mark := func(i int) {
		if dups == nil {
			dups = make([]bool, len(ms))
		}
		dups[i] = true
		m := ms[i]
		v.add(diag.Diagnostic{Start: m.KeyStart, End: m.KeyEnd, Severity: diag.Warning, Code: CodeDuplicateKey,
			Message: fmt.Sprintf("duplicate key %s: Chalice reads config.json with json.loads, which keeps only the last one; remove this one", strconv.Quote(m.Key))})
	}
	if len(ms) <= 16 {
		for i := 0; i < len(ms); i++ {
			if ms[i].Value == nil {
				continue
			}
			for j := i + 1; j < len(ms); j++ {
				if ms[j].Key == ms[i].Key && ms[j].Value != nil {
					mark(i)
					break
				}
			}
		}
		return dups
	}
	last := make(map[string]int, len(ms))
	for i, m := range ms {
		if m.Value != nil {
			last[m.Key] = i
		}
	}
	for i, m := range ms {
		if m.Value != nil && last[m.Key] != i {
			mark(i)
		}
	}
	return dups
}

// duplicatesBelow reports duplicate keys in every object of a value the schema walk
// does not enter (an unknown key's value, a value of the wrong type). A duplicate key
// is a JSON matter, not a schema one: json.loads drops the earlier value wherever it
// is, so the warning holds in any object of the document. Superseded duplicates are
// not entered, as json.loads never sees their values.
func (v *validator) duplicatesBelow(n *jsonpos.Node) {
	if n == nil {
		return
	}
	for _, e := range n.Elems {
		v.duplicatesBelow(e)
	}
	dups := v.duplicates(n)
	for i := range n.Members {
		if !isDup(dups, i) {
			v.duplicatesBelow(n.Members[i].Value)
		}
	}
}

func isDup(dups []bool, i int) bool { return dups != nil && dups[i] }

// stringProblem reports whether a string breaks a rule of s (length, pattern, format).
func stringProblem(s *node, text string) bool {
	if s.minLength > 0 || s.maxLength >= 0 {
		l := utf8.RuneCountInString(text)
		if l < s.minLength || (s.maxLength >= 0 && l > s.maxLength) {
			return true
		}
	}
	if s.pattern != nil && !s.matches(text) {
		return true
	}
	return s.format == "chalice-version" && !isChaliceVersion(text)
}

// keyProblem reports whether a free-form key breaks the propertyNames rule r.
func keyProblem(r *node, key string) bool {
	return stringProblem(r, key)
}

// target is the place in both trees an instance location names.
type target struct {
	n       *jsonpos.Node
	s       *node
	holder  *jsonpos.Member // member whose value is n; nil for the root and array items
	subject string          // how messages name the place: "lambda_timeout", `"FOO" in environment_variables`
}

// locate follows tokens through the document and the schema model together.
func (v *validator) locate(toks []string) (target, bool) {
	t := target{n: v.root, s: v.model, subject: v.rootName()}
	for _, tok := range toks {
		if t.n == nil {
			return t, false
		}
		parentSubject := t.subject
		_, named := t.s.propsHas(tok)
		switch t.n.Kind {
		case jsonpos.Object:
			m := lastWithValue(t.n, tok)
			if m == nil {
				return t, false
			}
			t.holder, t.n = m, m.Value
			if named {
				t.subject = tok
			} else {
				t.subject = fmt.Sprintf("%s in %s", strconv.Quote(tok), parentSubject)
			}
		case jsonpos.Array:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(t.n.Elems) || t.n.Elems[i] == nil {
				return t, false
			}
			t.holder, t.n = nil, t.n.Elems[i]
			t.subject = fmt.Sprintf("item %d of %s", i+1, parentSubject)
		default:
			return t, false
		}
		t.s = t.s.child(tok)
		if t.s == nil {
			return t, false
		}
	}
	return t, true
}

// lastWithValue is the member json.loads keeps for key: the last one that has a value.
func lastWithValue(obj *jsonpos.Node, key string) *jsonpos.Member {
	for i := len(obj.Members) - 1; i >= 0; i-- {
		if m := &obj.Members[i]; m.Key == key && m.Value != nil {
			return m
		}
	}
	return nil
}

func (n *node) propsHas(k string) (*node, bool) {
	if n == nil {
		return nil, false
	}
	p, ok := n.props[k]
	return p, ok
}

func (v *validator) rootName() string {
	if v.kind == StageConfig {
		return "the stage config"
	}
	return "config.json"
}

// unknownKeys reports every member of the object at t that the schema does not allow.
func (v *validator) unknownKeys(t target) {
	if t.n.Kind != jsonpos.Object || !t.s.closed || v.misplacedMember(t) {
		return
	}
	for _, m := range t.n.Members {
		if _, ok := t.s.props[m.Key]; ok || m.Value == nil {
			// A key still waiting for its value is left to the syntax error.
			continue
		}
		d := diag.Diagnostic{Start: m.KeyStart, End: m.KeyEnd, Severity: diag.Error}
		d.Code, d.Message, d.Suggestions = v.unknownKeyMessage(t, m.Key)
		if d.Code == CodeUnknownKey && len(d.Suggestions) == 0 {
			// Chalice ignores it and nothing suggests a typo: a warning, as VS
			// Code's JSON service reports unknown properties. A likely typo of a
			// real key (a did-you-mean) stays an error: the setting is lost.
			d.Severity = diag.Warning
		}
		v.add(d)
	}
}

// misplacedMember reports, once, a member of stages or lambda_functions whose
// name is a config key and whose value is not a valid stage or function entry
// (`"stages": {"version": "2.0"}`, `"lambda_functions": {"automatic_layer":
// true}`): Chalice reads it as a stage or function named like the key, so
// the one useful message says where the key belongs.
func (v *validator) misplacedMember(t target) bool {
	if t.holder == nil || t.s == nil || t.n == v.root {
		return false
	}
	key := t.holder.Key
	_, atTop := v.c.levels[""].props[key]
	_, atStage := v.c.levels["stage"].props[key]
	_, perFn := v.c.levels["top_function"].props[key]
	if !atTop && !atStage && !perFn {
		return false
	}
	var msg string
	q := strconv.Quote(key)
	switch t.s.def {
	case "stage":
		msg = fmt.Sprintf("Chalice reads %s as the settings of a stage named %s, not as the key %s; ", q, q, key)
		if atTop && !atStage {
			msg += "it is a top-level key: move it out of \"stages\" to the top level"
		} else {
			msg += "move it into a stage (stages.<stage>." + key + ") or to the top level"
		}
	case "top_function", "stage_function":
		msg = fmt.Sprintf("Chalice reads %s as the settings of a Lambda function named %s, not as the key %s; ", q, q, key)
		switch {
		case perFn:
			msg += "it goes inside a function's entry (lambda_functions.<function>." + key + ")"
		case atStage:
			msg += "it is a stage-level key: move it out of \"lambda_functions\" to the stage or the top level"
		default:
			msg += "it is a top-level key: move it to the top level"
		}
	default:
		return false
	}
	for _, d := range v.out {
		if d.Code == CodeMisplacedKey && d.Start == t.holder.KeyStart && d.End == t.holder.KeyEnd {
			return true
		}
	}
	v.add(diag.Diagnostic{Start: t.holder.KeyStart, End: t.holder.KeyEnd, Severity: diag.Error, Code: CodeMisplacedKey, Message: msg})
	return true
}

// notConfigKeys explains keys people put in config.json that Chalice does not read
// from there (chalice.md 1.3, "Not config keys").
var notConfigKeys = map[string]string{
	"profile":       "profile is not read from config.json; pass --profile to the chalice command instead",
	"websocket_api": "websocket_api is not a config key; websockets are turned on in app.py with the @app.on_ws_* decorators and app.experimental_feature_flags.update(['WEBSOCKETS'])",
	"project_dir":   "project_dir is internal to Chalice, not a config key; Chalice ignores it here",
	"chalice_app":   "chalice_app is internal to Chalice, not a config key; Chalice ignores it here",
	// Chalice 0.x config keys (chalice/config.py before 1.0).
	"stage":      "stage is a Chalice 0.x key that Chalice 1.x ignores; the stage is chosen with --stage (default dev) and configured under \"stages\"",
	"lambda_arn": "lambda_arn is a Chalice 0.x key that Chalice 1.x ignores; deployed resources are recorded in .chalice/deployed/<stage>.json",
}

// docOnlyDomainKeys are keys from the Chalice documentation's custom-domain example
// that the code never reads (aws/chalice#1890).
var docOnlyDomainKeys = map[string]string{
	"url_prefixes":    "url_prefix",
	"security_policy": "tls_version",
}

// unknownKeyMessage words the problem: a misplaced key (one Chalice reads at another
// level), a known non-key, or an unknown key with did-you-mean candidates.
func (v *validator) unknownKeyMessage(t target, key string) (code, msg string, sugg []string) {
	q := strconv.Quote(key)
	if hint, ok := notConfigKeys[key]; ok {
		return CodeUnknownKey, hint, nil
	}
	levels := v.c.levels
	def := t.s.def
	isDomain := def == "api_gateway_custom_domain" || def == "websocket_api_custom_domain" || def == "custom_domain"
	if isDomain {
		if repl, ok := docOnlyDomainKeys[key]; ok {
			return CodeUnknownKey, fmt.Sprintf("%s is never read by Chalice (the documentation's example is wrong, aws/chalice#1890); use %s", key, repl),
				[]string{suggest.Quote(repl)}
		}
	}
	_, atTop := levels[""].props[key]
	_, atStage := levels["stage"].props[key]
	_, inDomain := levels["custom_domain"].props[key]
	switch {
	case (def == "top_function" || def == "stage_function") && atStage:
		return CodeMisplacedKey, key + " is a stage-level key; it has no effect per function (move it to the stage or the top level)", nil
	case (def == "top_function" || def == "stage_function") && atTop:
		return CodeMisplacedKey, key + " is a top-level key; it has no effect per function (move it to the top level)", nil
	case def == "stage" && atTop:
		if t.n == v.root && v.kind == StageConfig {
			return CodeMisplacedKey, key + " is a top-level key of config.json; it has no effect in a stage config (set it in .chalice/config.json)", nil
		}
		return CodeMisplacedKey, key + " is a top-level key of config.json; it has no effect in a stage (move it to the top level)", nil
	case !isDomain && inDomain && key != "tags":
		return CodeMisplacedKey, key + " belongs inside api_gateway_custom_domain or websocket_api_custom_domain", nil
	}
	cands := suggest.Closest(key, t.s.propOrder, 3)
	msg = "unknown key " + q + "; Chalice ignores it, so remove it or correct its name"
	if len(cands) > 0 {
		msg = fmt.Sprintf("unknown key %s; did you mean %s? (Chalice silently ignores unknown keys)", q, strconv.Quote(cands[0]))
	}
	for _, c := range cands {
		sugg = append(sugg, suggest.Quote(c))
	}
	return CodeUnknownKey, msg, sugg
}

// badKey reports members named key of the object at t that break its naming rule.
func (v *validator) badKey(t target, key string, rule *node) {
	var why string
	switch n := utf8.RuneCountInString(key); {
	case n < rule.minLength:
		why = "must not be empty"
	case rule.maxLength >= 0 && n > rule.maxLength:
		why = fmt.Sprintf("is too long (%d characters; at most %d)", n, rule.maxLength)
	case rule.pattern != nil && !rule.matches(key):
		why = "is not " + orDefault(rule.patternHint, "a valid name")
	default:
		why = "is not allowed here"
	}
	if m := lastWithValue(t.n, key); m != nil {
		v.add(diag.Diagnostic{Start: m.KeyStart, End: m.KeyEnd, Severity: diag.Error, Code: CodeInvalidKey,
			Message: fmt.Sprintf("key %s in %s %s", strconv.Quote(key), t.subject, why)})
	}
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// missingKeys reports required keys absent from the object at t.
func (v *validator) missingKeys(t target) {
	if t.n.Kind != jsonpos.Object {
		return
	}
	start, end := t.n.Start, t.n.Start+1
	if t.holder != nil {
		start, end = t.holder.KeyStart, t.holder.KeyEnd
	}
	for _, req := range t.s.required {
		present := false
		for _, m := range t.n.Members {
			// A member whose value is still being typed counts as present: the
			// syntax error already says what is wrong.
			if m.Key == req {
				present = true
				break
			}
		}
		if present {
			continue
		}
		msg := fmt.Sprintf("%s is missing the required key %s", t.subject, strconv.Quote(req))
		if p := t.s.props[req]; p != nil && p.description != "" {
			msg += " (" + firstSentence(p.description) + ")"
		}
		v.add(diag.Diagnostic{Start: start, End: end, Severity: diag.Error, Code: CodeMissingKey, Message: msg})
	}
}

func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i]
	}
	return strings.TrimSuffix(s, ".")
}

// badValue reports the value at t, classified by checking it against the model.
// fallback words a problem the model cannot classify (the library's own message in
// the differential tests; empty in Validate, where it cannot happen).
func (v *validator) badValue(t target, fallback string) {
	if v.misplacedMember(t) {
		return
	}
	n, s := t.n, t.s
	d := diag.Diagnostic{Start: n.Start, End: n.End, Severity: diag.Error}
	if n.SynthTime() {
		// Only the type (and a closed list of values) can matter for an expression;
		// its string form is unknown until synth.
		if s.allows("string") && len(s.enum) == 0 {
			return
		}
		d.Severity, d.Code = diag.Information, CodeNonLiteral
		d.Message = "non-literal value; make sure it evaluates to " + s.mustBePhrase()
		if n.Kind == jsonpos.String {
			d.Message = "CDK token string, resolved only at synth time; make sure it resolves to " + s.mustBePhrase()
		}
		v.add(d)
		return
	}
	got := describe(n)
	switch {
	case !s.allows(jsonTypeOf(n)):
		d.Code = CodeWrongType
		d.Message = fmt.Sprintf("%s must be %s; got %s", t.subject, s.mustBePhrase(), got)
		d.Suggestions = coerce(s, n)
	case len(s.enum) > 0 && !inEnum(s.enum, n):
		d.Code = CodeNotInEnum
		d.Message = fmt.Sprintf("%s must be %s; got %s", t.subject, s.mustBePhrase(), got)
		d.Suggestions = nearestEnum(s.enum, n)
	case n.Kind == jsonpos.Number && outOfRange(s, n):
		d.Code = CodeOutOfRange
		d.Message = fmt.Sprintf("%s must be %s; got %s", t.subject, s.mustBePhrase(), got)
		d.Suggestions = clamp(s, n)
	case n.Kind == jsonpos.String:
		d.Code = CodeInvalidValue
		switch l := utf8.RuneCountInString(n.Text); {
		case l < s.minLength:
			d.Message = fmt.Sprintf("%s must not be empty", t.subject)
		case s.maxLength >= 0 && l > s.maxLength:
			d.Message = fmt.Sprintf("%s is too long (%d characters; at most %d)", t.subject, l, s.maxLength)
		case s.pattern != nil && !s.matches(n.Text):
			d.Message = fmt.Sprintf("%s must be %s; got %s", t.subject, orDefault(s.patternHint, s.mustBePhrase()), got)
		case s.format == "chalice-version" && !isChaliceVersion(n.Text):
			d.Code = CodeOutOfRange
			d.Message = fmt.Sprintf("%s must be %s; got %s", t.subject, s.mustBePhrase(), got)
			d.Suggestions = []string{`"2.0"`}
		default:
			d.Message = fmt.Sprintf("%s is not valid: %s", t.subject, orDefault(fallback, "does not match the schema"))
		}
	default:
		d.Code = CodeInvalidValue
		d.Message = fmt.Sprintf("%s is not valid: %s", t.subject, orDefault(fallback, "does not match the schema"))
	}
	if s.format == "chalice-version" && d.Code != CodeWrongType {
		// Every Chalice command fails on this while loading the config.
		d.Message += fmt.Sprintf("; Chalice stops with \"Unknown version '%s' in config.json\"", n.Text)
		if d.Suggestions == nil {
			d.Suggestions = []string{`"2.0"`}
		}
	}
	v.add(d)
}

// jsonTypeOf names n's JSON Schema type; an integral number is an "integer".
func jsonTypeOf(n *jsonpos.Node) string {
	switch n.Kind {
	case jsonpos.Number:
		if x, ok := parseNum(n.Text); ok && x.isInt {
			return "integer"
		}
		return "number"
	case jsonpos.Opaque:
		return "string"
	}
	return n.Kind.String()
}

// describe renders a value for "got ..." in messages, shortened.
func describe(n *jsonpos.Node) string {
	switch n.Kind {
	case jsonpos.String:
		s := n.Text
		if utf8.RuneCountInString(s) > 40 {
			s = string([]rune(s)[:40]) + "…"
		}
		return strconv.Quote(s)
	case jsonpos.Array:
		return "a list"
	case jsonpos.Object:
		return "an object"
	case jsonpos.Number:
		if len(n.Text) > 40 {
			return n.Text[:40] + "…"
		}
	}
	return n.Text
}

func inEnum(enum []any, n *jsonpos.Node) bool {
	var x num
	isNum := false
	if n.Kind == jsonpos.Number {
		x, isNum = parseNum(n.Text)
	}
	for _, e := range enum {
		switch v := e.(type) {
		case string:
			if n.Kind == jsonpos.String && n.Text == v {
				return true
			}
		case bool:
			if n.Kind == jsonpos.Bool && (n.Text == "true") == v {
				return true
			}
		default:
			if isNum && x.equal(e) {
				return true
			}
		}
	}
	return false
}

func outOfRange(s *node, n *jsonpos.Node) bool {
	if s.minimum == nil && s.maximum == nil {
		return false
	}
	x, ok := parseNum(n.Text)
	if !ok {
		return false
	}
	return (s.minimum != nil && x.cmp(s.minimum, s.minF) < 0) || (s.maximum != nil && x.cmp(s.maximum, s.maxF) > 0)
}

// clamp suggests the nearest bound of a range.
func clamp(s *node, n *jsonpos.Node) []string {
	x, ok := parseNum(n.Text)
	if !ok {
		return nil
	}
	if s.minimum != nil && x.cmp(s.minimum, s.minF) < 0 {
		return []string{ratString(s.minimum)}
	}
	if s.maximum != nil && x.cmp(s.maximum, s.maxF) > 0 {
		if s.mustBe != "" { // version: a number is fine, but "2.0" is what new-project writes
			return []string{`"2.0"`}
		}
		return []string{ratString(s.maximum)}
	}
	return nil
}

// coerce suggests the value in the type the schema wants, when the conversion is
// obvious: 512 for "512", "1" for 1, true for "true", ["subnet-1"] for "subnet-1".
func coerce(s *node, n *jsonpos.Node) []string {
	var out []string
	switch n.Kind {
	case jsonpos.String:
		text := strings.TrimSpace(n.Text)
		if (s.allows("integer") || s.allows("number")) && text != "" {
			if isJSONNumber(text) {
				if x, ok := parseNum(text); ok && (s.allows("number") || x.isInt) {
					out = append(out, text)
				}
			}
		}
		if s.allows("boolean") {
			switch strings.ToLower(text) {
			case "true", "yes", "on":
				out = append(out, "true")
			case "false", "no", "off":
				out = append(out, "false")
			}
		}
		if s.allows("array") && s.items != nil && s.items.allows("string") {
			out = append(out, "["+suggest.Quote(n.Text)+"]")
		}
	case jsonpos.Number, jsonpos.Bool:
		if s.allows("string") {
			out = append(out, suggest.Quote(n.Text))
		}
	}
	return out
}

func isJSONNumber(s string) bool {
	root, errs := jsonpos.Parse([]byte(s))
	return len(errs) == 0 && root != nil && root.Kind == jsonpos.Number
}

// nearestEnum suggests allowed values close to the one given: the same text in another
// case, a near spelling, or the nearest numbers.
func nearestEnum(enum []any, n *jsonpos.Node) []string {
	var strs []string
	for _, e := range enum {
		if s, ok := e.(string); ok {
			strs = append(strs, s)
		}
	}
	if len(strs) > 0 {
		text := n.Text
		if n.Kind != jsonpos.String {
			text = strings.Trim(n.Text, `"`)
		}
		var out []string
		for _, c := range suggest.Closest(text, strs, 3) {
			out = append(out, suggest.Quote(c))
		}
		return out
	}
	// Numbers: the allowed values just below and above, the nearer first.
	x, ok := parseNum(n.Text)
	if !ok {
		return nil
	}
	below, above := math.Inf(-1), math.Inf(1)
	for _, e := range enum {
		y, ok := parseNum(toText(e))
		if !ok {
			continue
		}
		if y.f < x.f && y.f > below {
			below = y.f
		}
		if y.f > x.f && y.f < above {
			above = y.f
		}
	}
	var out []string
	hasBelow, hasAbove := !math.IsInf(below, 0), !math.IsInf(above, 0)
	switch {
	case hasBelow && hasAbove && above-x.f < x.f-below:
		out = []string{numText(above), numText(below)}
	case hasBelow && hasAbove:
		out = []string{numText(below), numText(above)}
	case hasBelow:
		out = []string{numText(below)}
	case hasAbove:
		out = []string{numText(above)}
	}
	return out
}

func numText(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
