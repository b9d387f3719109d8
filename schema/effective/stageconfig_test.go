package effective

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// applyCase is one generated config.json and stage_config, applied in one mode for
// one stage.
type applyCase struct {
	i         int
	mode      OverlayMode
	stage     string
	root      *jsonpos.Node
	user      *jsonpos.Node
	cfg, sc   string // the documents as generated
	applied   string // ApplyStageConfig's config.json
	malformed bool
}

// applyCases generates n configs with a stage_config each, in every mode, for
// several stages (one of them missing from every config).
func applyCases(t *testing.T, n int) []applyCase {
	t.Helper()
	g := &generator{r: rand.New(rand.NewPCG(20261205, 3))}
	var out []applyCase
	for i := 0; i < n; i++ {
		cfg, user := g.config()
		if user == "" {
			continue
		}
		root, errs := jsonpos.Parse([]byte(cfg))
		if len(errs) > 0 {
			t.Fatalf("generated config does not parse: %v", errs)
		}
		un, errs := jsonpos.Parse([]byte(user))
		if len(errs) > 0 {
			t.Fatalf("generated stage_config does not parse: %v", errs)
		}
		cfgMap, ok := root.Value().(map[string]any)
		if !ok {
			continue
		}
		for _, mode := range []OverlayMode{UserParams, MergeIntoStage, ReplaceStage} {
			for _, stage := range []string{"dev", "prod", "pr~od/x", "missing"} {
				sc := Overlay{Node: un, Mode: mode}.Plain()
				if sc == nil {
					continue
				}
				before := fmt.Sprint(cfgMap, sc)
				b, err := json.Marshal(ApplyStageConfig(cfgMap, stage, sc, mode))
				if err != nil {
					t.Fatal(err)
				}
				if after := fmt.Sprint(cfgMap, sc); after != before {
					t.Fatalf("ApplyStageConfig modified its inputs:\n%s\n%s", before, after)
				}
				out = append(out, applyCase{i: i, mode: mode, stage: stage, root: root, user: un, cfg: cfg, sc: user,
					applied: string(b), malformed: g.malformed})
			}
		}
	}
	return out
}

// TestApplyStageConfigAgreesWithResolveOverlay: the config.json the packager writes
// (ApplyStageConfig) resolves, without any overlay, to the values ResolveOverlay
// computes from the two documents layered, for every key, function and mode.
func TestApplyStageConfigAgreesWithResolveOverlay(t *testing.T) {
	compared := map[OverlayMode]int{}
	for _, c := range applyCases(t, 300) {
		if c.malformed {
			continue // where Chalice would crash, both treat the container as absent, differently
		}
		applied, errs := jsonpos.Parse([]byte(c.applied))
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		for _, fn := range append(append([]string{}, genFunctions...), "nofn") {
			for _, k := range keys {
				want := ResolveOverlay(c.root, c.stage, fn, k.Name, Overlay{Node: c.user, Mode: c.mode})
				got := Resolve(applied, c.stage, fn, k.Name, nil)
				if !equalValue(normalize(configValue(got)), normalize(configValue(want))) {
					t.Errorf("case %d (%s) stage %q function %q key %q: the applied file gives %#v, the overlay %#v (%s)\nconfig: %s\nstage_config: %s\napplied: %s",
						c.i, c.mode, c.stage, fn, k.Name, configValue(got), configValue(want), want.Level, c.cfg, c.sc, c.applied)
				}
				compared[c.mode]++
			}
		}
	}
	for _, m := range []OverlayMode{UserParams, MergeIntoStage, ReplaceStage} {
		if compared[m] < 1000 {
			t.Errorf("mode %s: only %d values compared", m, compared[m])
		}
	}
}

// TestApplyStageConfigAgainstChalice: Chalice reading the config.json the packager
// writes (chalice package: no user params) sees what it sees when the construct
// applies its stage_config its own way: for chalice.cdk.Chalice, Chalice's real user
// params (chalice.api.package_app's chalice_config); for cdk-chalice, its
// stages[stage] = stage_config; for chalice-lsp's construct, the deep merge.
func TestApplyStageConfigAgainstChalice(t *testing.T) {
	cases := applyCases(t, 150)
	var allKeys []string
	for _, k := range keys {
		allKeys = append(allKeys, k.Name)
	}
	fns := append(append([]string{}, genFunctions...), "nofn")
	var oracle []oracleCase
	for _, c := range cases {
		sc := c.sc
		oracle = append(oracle,
			oracleCase{Config: c.cfg, User: &sc, Stages: []string{c.stage}, Functions: fns, Keys: allKeys, Mode: modeNames[c.mode]},
			oracleCase{Config: c.applied, Stages: []string{c.stage}, Functions: fns, Keys: allKeys, Mode: modeNames[UserParams]})
	}
	res := runOracle(t, oracle)
	compared := map[OverlayMode]int{}
	for i, c := range cases {
		construct, file := res[2*i], res[2*i+1]
		for j := range construct {
			where := fmt.Sprintf("case %d (%s) stage %q function %q", c.i, c.mode, c.stage, construct[j].Function)
			// Packaging reads every key for every function: one crash fails it.
			if crash := rowError(construct[j]); crash != "" {
				if !c.malformed {
					t.Errorf("%s: Chalice failed on a well-formed config: %s", where, crash)
				}
				if rowError(file[j]) == "" {
					t.Errorf("%s: Chalice crashes with the construct's stage_config (%s) but not on the applied config.json\nconfig: %s\nstage_config: %s\napplied: %s", where, crash, c.cfg, c.sc, c.applied)
				}
				continue
			}
			for _, key := range allKeys {
				want, got := construct[j].Values[key], file[j].Values[key]
				if got.Error != "" {
					t.Errorf("%s key %q: Chalice fails on the applied config.json (%s) but not with the construct's stage_config\nconfig: %s\nstage_config: %s\napplied: %s", where, key, got.Error, c.cfg, c.sc, c.applied)
					continue
				}
				if !sameRaw(want.Value, got.Value) {
					t.Errorf("%s key %q: with the construct Chalice sees %s, with the applied config.json %s\nconfig: %s\nstage_config: %s\napplied: %s", where, key, want.Value, got.Value, c.cfg, c.sc, c.applied)
				}
				compared[c.mode]++
			}
		}
	}
	t.Logf("values compared per mode: %v", compared)
	for _, m := range []OverlayMode{UserParams, MergeIntoStage, ReplaceStage} {
		if compared[m] < 1000 {
			t.Errorf("mode %s: only %d values compared", m, compared[m])
		}
	}
}

// rowError returns the first error Chalice raised for one stage and function.
func rowError(r oracleResult) string {
	for _, v := range r.Values {
		if v.Error != "" {
			return v.Error
		}
	}
	return ""
}

// sameRaw compares two of the oracle's JSON values, numbers by value and kind.
func sameRaw(a, b json.RawMessage) bool {
	var v any
	dec := json.NewDecoder(bytes.NewReader(a))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return false
	}
	return sameJSON(v, b)
}
