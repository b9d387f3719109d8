package rules

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/chalice-lsp/chalice-lsp/schema/diag"
	"github.com/chalice-lsp/chalice-lsp/schema/effective"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
	"github.com/chalice-lsp/chalice-lsp/schema/suggest"
)

// checkSchemaOverlap runs the rules whose findings schema.Validate also reports on
// the same ranges (only with Options.IncludeSchemaChecks).
func (c *checker) checkSchemaOverlap() {
	root := object(c.root)
	c.checkVersion(root)
	// Every object holding environment_variables / tags / custom domains: the top
	// level, each stage, each lambda_functions entry (top level and per stage).
	type place struct {
		obj    *jsonpos.Node
		origin effective.Origin
	}
	places := []place{{root, effective.OriginTop}}
	for _, fm := range members(root.Get("lambda_functions")) {
		places = append(places, place{object(fm.Value), effective.OriginTopFunction})
	}
	for _, sm := range members(root.Get("stages")) {
		st := object(sm.Value)
		places = append(places, place{st, effective.OriginStage})
		for _, fm := range members(st.Get("lambda_functions")) {
			places = append(places, place{object(fm.Value), effective.OriginStageFunction})
		}
	}
	if u := object(c.user); u != nil {
		places = append(places, place{u, effective.OriginUser})
		if c.opts.UserMode != effective.UserParams {
			for _, fm := range members(u.Get("lambda_functions")) {
				places = append(places, place{object(fm.Value), effective.OriginUser})
			}
		}
	}
	for _, p := range places {
		for _, m := range members(p.obj) {
			switch m.Key {
			case "environment_variables":
				c.checkStringValues(p.origin, m.Value, CodeEnvValueNotString, "environment variable",
					"Chalice passes environment variables to os.environ while importing app.py, which fails with \"TypeError: str expected\"")
			case "tags":
				c.checkStringValues(p.origin, m.Value, CodeTagValueNotString, "tag",
					"Lambda tag values must be strings")
			case "api_gateway_custom_domain", "websocket_api_custom_domain":
				c.checkDomainKeys(p.origin, m.Value)
			}
		}
	}
}

func (c *checker) checkStringValues(o effective.Origin, n *jsonpos.Node, code, what, why string) {
	for _, m := range members(n) {
		v := m.Value
		if v == nil || v.Kind == jsonpos.String || v.Kind == jsonpos.Opaque {
			continue
		}
		sugg := []string(nil)
		if v.Kind == jsonpos.Number || v.Kind == jsonpos.Bool {
			sugg = []string{suggest.Quote(v.Text)}
		}
		c.reportAt(o == effective.OriginUser, v.Start, v.End, code, diag.Error,
			fmt.Sprintf("the value of %s %q must be a string, got %s; %s", what, m.Key, v.Kind, why), sugg, "", "")
	}
}

var domainKeyFix = map[string]string{"url_prefixes": "url_prefix", "security_policy": "tls_version"}

func (c *checker) checkDomainKeys(o effective.Origin, n *jsonpos.Node) {
	for _, m := range members(n) {
		if fix, ok := domainKeyFix[m.Key]; ok {
			c.reportAt(o == effective.OriginUser, m.KeyStart, m.KeyEnd, CodeIgnoredDomainKey, diag.Warning,
				fmt.Sprintf("Chalice never reads %s (the documentation's example is wrong, aws/chalice#1890); use %s", m.Key, fix),
				[]string{suggest.Quote(fix)}, "", "")
		}
	}
}

// checkVersion mirrors CLIFactory._validate_config_from_disk: float(version) must
// work and be at most 2.0.
func (c *checker) checkVersion(root *jsonpos.Node) {
	m := root.Member("version")
	if m == nil || m.Value == nil {
		return
	}
	v := m.Value
	var f float64
	ok := true
	switch v.Kind {
	case jsonpos.String:
		f, ok = pyFloat(v.Text)
	case jsonpos.Number:
		f, _ = strconv.ParseFloat(v.Text, 64) // overflow gives ±Inf, as Python's float does
	case jsonpos.Bool:
		f = map[string]float64{"true": 1, "false": 0}[v.Text]
	case jsonpos.Opaque:
		return
	default:
		// float(None) / float([]) raise TypeError: Chalice crashes outright.
		c.reportAt(false, v.Start, v.End, CodeUnsupportedVersion, diag.Error,
			fmt.Sprintf("version must be a string such as \"2.0\", got %s; Chalice fails loading config.json (TypeError from float())", v.Kind),
			[]string{`"2.0"`}, "", "")
		return
	}
	if ok && !(f > 2.0) {
		return // NaN is accepted too, since nan > 2.0 is False
	}
	shown := v.Text
	c.reportAt(false, v.Start, v.End, CodeUnsupportedVersion, diag.Error,
		fmt.Sprintf("Chalice stops with \"Unknown version '%s' in config.json\": version must be a number no greater than 2.0 (chalice new-project writes \"2.0\")", shown),
		[]string{`"2.0"`}, "", "")
}

var pyFloatRE = regexp.MustCompile(`^[+-]?(?:(?:\d(?:_?\d)*)(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$`)

// pyFloat is Python's float(str): surrounding whitespace allowed, underscores between
// digits, inf/infinity/nan in any case.
func pyFloat(s string) (float64, bool) {
	s = strings.TrimFunc(s, unicode.IsSpace)
	body := strings.TrimLeft(s, "+-")
	sign := 1.0
	if strings.HasPrefix(s, "-") {
		sign = -1
	}
	if len(s)-len(body) <= 1 {
		switch strings.ToLower(body) {
		case "inf", "infinity":
			return sign * math.Inf(1), true
		case "nan":
			return math.NaN(), true
		}
	}
	if !pyFloatRE.MatchString(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
	if err != nil && !math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}
