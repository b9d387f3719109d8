package schema

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
)

// closest returns up to limit candidates that look like a misspelling of word, best
// first. Spelling is compared case-insensitively with '-' and ' ' read as '_', by
// Damerau-Levenshtein distance (optimal string alignment: a swap of two neighbours
// costs one). A candidate that contains the word, or is contained in it, also counts
// ("timeout" -> "lambda_timeout").
func closest(word string, candidates []string, limit int) []string {
	w := normalizeKey(word)
	if w == "" {
		return nil
	}
	type scored struct {
		name string
		d    int
	}
	var found []scored
	for _, c := range candidates {
		nc := normalizeKey(c)
		d := osaDistance(w, nc)
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

func normalizeKey(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.NewReplacer("-", "_", " ", "_").Replace(s)
}

// osaDistance is the optimal string alignment distance between a and b, in runes.
func osaDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		// Keys that long are not misspellings of a config key; skip the work.
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

// parseFloat reads a number the way Python's float() does for the decimal forms
// chalice accepts in "version" (it also accepts "inf" and "nan", which are no versions).
func parseFloat(s string) (float64, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	return f, true
}

func jsonNumber(s string) json.Number { return json.Number(s) }

// jsonQuote writes s as a JSON string literal, the form of every suggested
// replacement (also valid Python and Go source for the ASCII keys and values offered).
func jsonQuote(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return strconv.Quote(s)
	}
	return strings.TrimSuffix(b.String(), "\n")
}
