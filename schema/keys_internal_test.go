package schema

import (
	"slices"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/schema/suggest"
)

// TestClosest holds the did-you-mean policy to the config keys it serves.
func TestClosest(t *testing.T) {
	keys := get().models[ConfigFile].propOrder
	cases := map[string][]string{
		"lamda_timeout":        {"lambda_timeout"},
		"lambda_tiemout":       {"lambda_timeout"},
		"Lambda-Timeout":       {"lambda_timeout"},
		"timeout":              {"lambda_timeout"},
		"lambda_memory":        {"lambda_memory_size"},
		"enviroment_variables": {"environment_variables"},
		"xrays":                {"xray"},
		"tag":                  {"tags"},
		"api_gateway_stages":   {"api_gateway_stage"},
		"frobnicate":           nil,
		"":                     nil,
	}
	for word, want := range cases {
		got := suggest.Closest(word, keys, 1)
		if !slices.Equal(got, want) {
			t.Errorf("suggest.Closest(%q) = %q, want %q", word, got, want)
		}
	}
}

func TestParseNum(t *testing.T) {
	for _, c := range []struct {
		text  string
		isInt bool
		f     float64
	}{
		{"0", true, 0}, {"-12", true, -12}, {"60.0", true, 60}, {"1.5", false, 1.5}, {"1e3", true, 1000},
		{"1.25e1", false, 12.5}, {"125e-1", false, 12.5}, {"1200e-2", true, 12}, {"0.0e-7", true, 0},
		{"123456789012345678901234567890", true, 1.2345678901234568e29},
	} {
		n, ok := parseNum(c.text)
		if !ok || n.isInt != c.isInt || n.f != c.f {
			t.Errorf("parseNum(%q) = %+v, %v", c.text, n, ok)
		}
	}
	if n, ok := parseNum("1e999999999"); !ok || !n.isInt || n.r != nil {
		t.Errorf("huge literal must not be expanded: %+v", n)
	}
	if _, ok := parseNum("abc"); ok {
		t.Error("abc is no number")
	}
}
