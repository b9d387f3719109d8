package rules

import (
	"testing"

	"github.com/chalice-lsp/chalice-lsp/schema"
)

// TestSchemaCoordination pins the split of work with schema.Validate: by default the
// rules never report on a range the schema already reports on, and every finding of
// the "schema overlap" rules (IncludeSchemaChecks) is one the schema reports on the
// same range, so leaving them off loses nothing.
func TestSchemaCoordination(t *testing.T) {
	overlapCodes := map[string]bool{CodeEnvValueNotString: true, CodeTagValueNotString: true, CodeUnsupportedVersion: true, CodeIgnoredDomainKey: true}
	configs := []string{
		richConfig,
		`{"version": "3.0", "environment_variables": {"A": 1, "B": null, "C": true}, "tags": {"t": 2}}`,
		`{"version": 2.5, "stages": {"dev": {"tags": {"x": false}, "lambda_functions": {"worker": {"environment_variables": {"Q": []}}}}}}`,
		`{"websocket_api_custom_domain": {"domain_name": "a.example.com", "certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/x", "url_prefixes": ["v1"]}}`,
	}
	for _, cfg := range configs {
		p := newProject(t, routeApp, cfg, nil)
		_, sds := schema.CheckConfig([]byte(cfg))
		atSchema := map[[2]int]bool{}
		for _, d := range sds {
			atSchema[[2]int{d.Start, d.End}] = true
		}
		for _, d := range p.check(Options{}).Config {
			if atSchema[[2]int{d.Start, d.End}] {
				t.Errorf("%s at %q duplicates a schema diagnostic on the same range", d.Code, safeSlice(cfg, d.Start, d.End))
			}
		}
		n := 0
		for _, d := range p.check(Options{IncludeSchemaChecks: true}).Config {
			if !overlapCodes[d.Code] {
				continue
			}
			n++
			if !atSchema[[2]int{d.Start, d.End}] {
				t.Errorf("%s at %q is not reported by the schema, so it must not be off by default", d.Code, safeSlice(cfg, d.Start, d.End))
			}
		}
		if n == 0 {
			t.Errorf("config exercises no schema-overlap rule: %s", cfg)
		}
	}
}
