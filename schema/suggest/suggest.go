// Package suggest produces "did you mean" candidates and the replacement text of quick
// fixes, so that every checker in chalice-lsp (config keys, enum values, function
// names in lambda_functions) ranks and spells its suggestions the same way.
package suggest

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
)

// Closest returns up to limit candidates that look like a misspelling of word, best
// first (ties in name order). Spelling is compared case-insensitively with '-' and ' '
// read as '_', by Distance. A candidate counts when:
//   - it is the same once case and the separators '_', '-' and ' ' are ignored
//     ("fooBar" -> "foo_bar"); it then ranks first,
//   - its distance is at most a third of the shorter name's length (at least 1), or
//   - it contains the word or is contained in it, both at least 4 letters long
//     ("timeout" -> "lambda_timeout").
func Closest(word string, candidates []string, limit int) []string {
	w := normalize(word)
	if w == "" {
		return nil
	}
	type scored struct {
		name string
		d    int
	}
	var found []scored
	for _, c := range candidates {
		nc := normalize(c)
		d := Distance(w, nc)
		if fold(w) == fold(nc) {
			d = 0
		}
		short := min(len([]rune(w)), len([]rune(nc)))
		ok := d <= max(1, short/3)
		if !ok && short >= 4 && (strings.Contains(nc, w) || strings.Contains(w, nc)) {
			ok = true
		}
		if ok {
			found = append(found, scored{c, d})
		}
	}
	sort.SliceStable(found, func(i, j int) bool {
		if found[i].d != found[j].d {
			return found[i].d < found[j].d
		}
		return found[i].name < found[j].name
	})
	var out []string
	for i := 0; i < len(found) && i < limit; i++ {
		out = append(out, found[i].name)
	}
	return out
}

func normalize(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.NewReplacer("-", "_", " ", "_").Replace(s)
}

// fold drops the separators of a normalized name: "foo_bar" and "fooBar" are the same
// handler name to a person, though Chalice keeps them apart.
func fold(s string) string { return strings.ReplaceAll(s, "_", "") }

// maxRunes bounds the names Distance compares letter by letter: names that long are
// not misspellings of a config key or handler name, and the work is quadratic.
const maxRunes = 64

// Distance is the optimal string alignment distance between a and b in runes: the
// Levenshtein distance where swapping two neighbours also costs one ("lmada" ->
// "lambda" is 2, not 3). Beyond 64 runes it only tells equal (0) from different (the
// longer length).
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > maxRunes || len(rb) > maxRunes {
		if a == b {
			return 0
		}
		return max(len(ra), len(rb))
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// Quote writes s as a JSON string literal, the replacement text of every suggested
// key or string value. Unlike json.Marshal it leaves <, > and & alone: the text goes
// into a config file, not into HTML. For the ASCII names offered it is also valid
// Python and Go source, where CDK stage_config literals live.
func Quote(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return strconv.Quote(s)
	}
	return strings.TrimSuffix(b.String(), "\n")
}
