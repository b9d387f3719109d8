package schema

import (
	"math/big"
	"strconv"
	"strings"
)

// num is a JSON number literal. Exact arithmetic (big.Rat) is used only for literals of
// modest size: "1e999999999" would otherwise take seconds and megabytes to expand, and a
// config file must never stall the editor.
type num struct {
	isInt bool
	f     float64  // nearest float64 (±Inf or 0 when out of range)
	r     *big.Rat // exact value, or nil (plain small integers and huge literals)
}

const maxExactExp = 400

// parseNum reads a JSON number literal (as produced by jsonpos; other text gives false).
func parseNum(text string) (num, bool) {
	if len(text) <= 18 && isPlainInt(text) {
		i, err := strconv.ParseInt(text, 10, 64)
		if err == nil {
			return num{isInt: true, f: float64(i)}, true
		}
	}
	s := strings.TrimPrefix(text, "-")
	mant, expPart, hasExp := strings.Cut(strings.ToLower(s), "e")
	intPart, frac, _ := strings.Cut(mant, ".")
	if intPart == "" && frac == "" {
		return num{}, false
	}
	exp := 0
	if hasExp {
		e := strings.TrimLeft(expPart, "+-")
		if e == "" {
			return num{}, false
		}
		for _, c := range e {
			if c < '0' || c > '9' {
				return num{}, false
			}
			if exp < 1e9 {
				exp = exp*10 + int(c-'0')
			}
		}
		if strings.HasPrefix(expPart, "-") {
			exp = -exp
		}
	}
	for _, c := range intPart + frac {
		if c < '0' || c > '9' {
			return num{}, false
		}
	}
	// The value is digits × 10^scale; it is an integer when scale >= 0 or enough
	// trailing zeros of digits cancel a negative scale.
	digits := intPart + frac
	scale := exp - len(frac)
	trimmed := strings.TrimRight(digits, "0")
	zeros := len(digits) - len(trimmed)
	n := num{isInt: trimmed == "" || scale >= 0 || zeros >= -scale}
	n.f, _ = strconv.ParseFloat(text, 64) // ErrRange still gives ±Inf or 0
	if exp <= maxExactExp && exp >= -maxExactExp && len(text) <= 2*maxExactExp {
		n.r, _ = new(big.Rat).SetString(text)
	}
	return n, true
}

func isPlainInt(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// cmp compares n with a schema bound b (bf is b as a float64). Bounds are small
// integers, so a float comparison is exact unless n itself is a long literal, which
// has its exact value in n.r.
func (n num) cmp(b *big.Rat, bf float64) int {
	if n.r != nil {
		return n.r.Cmp(b)
	}
	switch {
	case n.f < bf:
		return -1
	case n.f > bf:
		return 1
	}
	return 0
}

// equal reports whether n equals the schema value v (an enum entry).
func (n num) equal(v any) bool {
	m, ok := parseNum(strings.TrimSpace(toText(v)))
	if !ok {
		return false
	}
	if n.r != nil && m.r != nil {
		return n.r.Cmp(m.r) == 0
	}
	if n.r != nil || m.r != nil {
		// One side exact, the other a plain int or huge: compare as rationals when
		// both are representable, else by float.
		a, b := n.rat(), m.rat()
		if a != nil && b != nil {
			return a.Cmp(b) == 0
		}
	}
	return n.isInt == m.isInt && n.f == m.f
}

func (n num) rat() *big.Rat {
	if n.r != nil {
		return n.r
	}
	if n.isInt && n.f > -1e15 && n.f < 1e15 {
		return new(big.Rat).SetInt64(int64(n.f))
	}
	return nil
}

func toText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case interface{ String() string }:
		return x.String()
	}
	return ""
}
