package effective

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

type oracleCase struct {
	Config    string   `json:"config"`
	User      *string  `json:"user"`
	Stages    []string `json:"stages"`
	Functions []string `json:"functions"`
	Keys      []string `json:"keys"`
	Mode      string   `json:"mode"`
}

var modeNames = map[OverlayMode]string{UserParams: "user", MergeIntoStage: "merge", ReplaceStage: "replace"}

type oracleValue struct {
	Value json.RawMessage `json:"value"`
	From  json.RawMessage `json:"from"`
	Error string          `json:"error"`
}

type oracleResult struct {
	Stage    string                 `json:"stage"`
	Function string                 `json:"function"`
	Values   map[string]oracleValue `json:"values"`
}

// runOracle evaluates every case with chalice.config.Config in one Python process.
func runOracle(t *testing.T, cases []oracleCase) [][]oracleResult {
	t.Helper()
	py := testenv.Python(t)
	in, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	if f := os.Getenv("ORACLE_DUMP"); f != "" {
		_ = os.WriteFile(f, in, 0o644)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, py, filepath.Join("testdata", "config_oracle.py"))
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("running the Chalice oracle (%s): %v\n%s", py, err, stderr.String())
	}
	var res [][]oracleResult
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	if err := dec.Decode(&res); err != nil {
		t.Fatalf("decoding oracle output: %v", err)
	}
	if len(res) != len(cases) {
		t.Fatalf("oracle returned %d results for %d cases", len(res), len(cases))
	}
	return res
}

var originCode = map[Origin]string{
	OriginStageFunction: "SF", OriginUser: "U", OriginStage: "S",
	OriginTopFunction: "TF", OriginTop: "T", OriginDefault: "D",
}

// configValue is what the Config property returns (build-time defaults are applied
// later, so Config itself returns None for them).
func configValue(v Value) any {
	if !v.Found || v.Origin == OriginBuildDefault {
		return nil
	}
	return v.Value
}

func TestDifferentialAgainstChaliceConfig(t *testing.T) {
	const n = 400
	g := &generator{r: rand.New(rand.NewPCG(20261123, 1))}
	var allKeys []string
	for _, k := range keys {
		allKeys = append(allKeys, k.Name)
	}
	type genCase struct {
		cfg, user string
		malformed bool
	}
	var gens []genCase
	var cases []oracleCase
	var modes []OverlayMode
	for i := 0; i < n; i++ {
		cfg, user := g.config()
		gens = append(gens, genCase{cfg, user, g.malformed})
		stages := []string{"dev", "prod", "pr~od/x", "missing"}
		mode := OverlayMode(i % 3)
		modes = append(modes, mode)
		c := oracleCase{Config: cfg, Stages: stages, Functions: append(append([]string{}, genFunctions...), "nofn"), Keys: allKeys, Mode: modeNames[mode]}
		if user != "" {
			u := user
			c.User = &u
		}
		cases = append(cases, c)
	}
	start := time.Now()
	results := runOracle(t, cases)
	t.Logf("oracle: %v", time.Since(start))

	clean, compared, levelChecked, exactLevel := 0, 0, 0, 0
	seenOrigins := map[Origin]int{}
	inOverlay := map[OverlayMode]int{}
	for i, gc := range gens {
		root, errs := jsonpos.Parse([]byte(gc.cfg))
		if len(errs) > 0 {
			t.Fatalf("case %d: generated config does not parse: %v\n%s", i, errs, gc.cfg)
		}
		var user *jsonpos.Node
		if gc.user != "" {
			user, errs = jsonpos.Parse([]byte(gc.user))
			if len(errs) > 0 {
				t.Fatalf("case %d: generated overlay does not parse: %v", i, errs)
			}
		}
		crashed := false
		for _, r := range results[i] {
			for _, key := range allKeys {
				ov := r.Values[key]
				if ov.Error != "" {
					crashed = true
					if !gc.malformed {
						t.Errorf("case %d: Chalice failed on a well-formed config for %s/%s/%s: %s\n%s", i, r.Stage, r.Function, key, ov.Error, gc.cfg)
					}
					continue
				}
				v := ResolveOverlay(root, r.Stage, r.Function, key, Overlay{Node: user, Mode: modes[i]})
				if v.InOverlay {
					inOverlay[modes[i]]++
				}
				compared++
				seenOrigins[v.Origin]++
				where := fmt.Sprintf("case %d (%s) stage %q function %q key %q", i, modes[i], r.Stage, r.Function, key)
				if !sameJSON(configValue(v), ov.Value) {
					t.Errorf("%s: Chalice gives %s, Resolve gives %#v (level %s)\nconfig: %s\nuser: %s", where, ov.Value, configValue(v), v.Level, gc.cfg, gc.user)
					continue
				}
				checkPointer(t, where, root, user, v)
				if v.Origin == OriginMerged {
					var from map[string][]string
					if err := json.Unmarshal(ov.From, &from); err != nil {
						t.Fatalf("%s: %v", where, err)
					}
					for _, e := range v.Entries {
						if _, isMap := e.Value.(map[string]any); isMap && e.InOverlay && len(from[e.Name]) == 0 {
							continue // deep-merged inside the map: a new object in Python
						}
						levelChecked++
						if checkLevel(t, where+" entry "+e.Name, e.Origin, from[e.Name], e.Value) {
							exactLevel++
						}
					}
					continue
				}
				if configValue(v) == nil || v.MergedWithFile {
					continue // None, or a dict the merge created: no object identity to compare
				}
				var from []string
				if err := json.Unmarshal(ov.From, &from); err != nil {
					t.Fatalf("%s: %v", where, err)
				}
				levelChecked++
				if checkLevel(t, where, v.Origin, from, v.Value) {
					exactLevel++
				}
			}
		}
		if !crashed {
			clean++
		}
	}
	t.Logf("%d configs (%d that Chalice evaluates without crashing), %d values compared, %d levels checked (%d unambiguous)", n, clean, compared, levelChecked, exactLevel)
	if clean < 300 {
		t.Errorf("only %d generated configs evaluated cleanly; want at least 300", clean)
	}
	for _, o := range []Origin{OriginStageFunction, OriginUser, OriginStage, OriginTopFunction, OriginTop, OriginDefault, OriginConfigDefault, OriginBuildDefault, OriginMerged, OriginNone} {
		if seenOrigins[o] == 0 {
			t.Errorf("the generator never produced a value from origin %d", o)
		}
	}
	for _, m := range []OverlayMode{UserParams, MergeIntoStage, ReplaceStage} {
		if inOverlay[m] == 0 {
			t.Errorf("no value came from the overlay in mode %s", m)
		}
	}
}

// checkLevel compares our origin with the levels whose dict holds the very object
// Chalice returned. Small ints, booleans and one-character strings are shared objects
// in CPython, so several levels may match; the origin must be one of them, and the
// only one when there is just one. It reports whether the check was unambiguous.
func checkLevel(t *testing.T, where string, o Origin, from []string, val any) bool {
	t.Helper()
	if o == OriginConfigDefault {
		// True/False are singletons: a level holding an explicit false may "match"
		// the False that Config.automatic_layer returns when nothing is set.
		if _, isBool := val.(bool); isBool || len(from) == 0 {
			return len(from) == 0
		}
	}
	if len(from) == 0 {
		// No dict holds it: a Config property fallback or the aws-chalice tag.
		if o != OriginConfigDefault && o != OriginChalice {
			t.Errorf("%s: Chalice's value %v comes from no level, Resolve says origin %d", where, val, o)
		}
		return true
	}
	code, ok := originCode[o]
	if !ok {
		t.Errorf("%s: Chalice's value comes from %v, Resolve says origin %d", where, from, o)
		return false
	}
	for _, f := range from {
		if f == code {
			return len(from) == 1
		}
	}
	t.Errorf("%s: Chalice's value comes from %v, Resolve says %s", where, from, code)
	return false
}

// checkPointer verifies that Pointer leads to Node in its document.
func checkPointer(t *testing.T, where string, root, user *jsonpos.Node, v Value) {
	t.Helper()
	check := func(inOverlay bool, ptr string, n *jsonpos.Node) {
		if n == nil {
			return
		}
		doc := root
		if inOverlay {
			doc = user
		}
		if got := doc.Lookup(ptr); got != n {
			t.Errorf("%s: pointer %q does not lead to the value node", where, ptr)
		}
	}
	check(v.InOverlay, v.Pointer, v.Node)
	for _, e := range v.Entries {
		check(e.InOverlay, e.Pointer, e.Node)
	}
}

// sameJSON compares a Go value (jsonpos.Node.Value shape) with Python's JSON output:
// numbers by value and by int/float kind.
func sameJSON(goVal any, py json.RawMessage) bool {
	var pv any
	dec := json.NewDecoder(bytes.NewReader(py))
	dec.UseNumber()
	if err := dec.Decode(&pv); err != nil {
		return false
	}
	return equalValue(normalize(goVal), pv)
}

func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = normalize(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalize(e)
		}
		return out
	}
	return v
}

func equalValue(a, b any) bool {
	an, aok := a.(json.Number)
	bn, bok := b.(json.Number)
	if aok || bok {
		if !aok || !bok {
			return false
		}
		if isIntLiteral(string(an)) != isIntLiteral(string(bn)) {
			return false
		}
		if isIntLiteral(string(an)) {
			return pyNumber(string(an)) == pyNumber(string(bn))
		}
		af, _ := strconv.ParseFloat(string(an), 64)
		bf, _ := strconv.ParseFloat(string(bn), 64)
		return af == bf
	}
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, e := range x {
			f, ok := y[k]
			if !ok || !equalValue(e, f) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equalValue(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}

// TestGeneratorIsDeterministic guards the "deterministic seeded generator" promise:
// the same seed gives the same documents.
func TestGeneratorIsDeterministic(t *testing.T) {
	a := &generator{r: rand.New(rand.NewPCG(7, 7))}
	b := &generator{r: rand.New(rand.NewPCG(7, 7))}
	for i := 0; i < 20; i++ {
		ca, ua := a.config()
		cb, ub := b.config()
		if ca != cb || ua != ub {
			t.Fatalf("config %d differs between two generators with the same seed", i)
		}
	}
	if !strings.Contains(encode(gObj{{"a", nil}, {"a", json.Number("1")}}, 0), `"a": null,`) {
		t.Fatal("encode must keep duplicate keys")
	}
}
