package suggest

import (
	"slices"
	"testing"
)

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"a", "", 1}, {"ab", "ba", 1}, {"lamda", "lambda", 1}, {"kitten", "sitting", 3}, {"é😀", "😀é", 1}} {
		if got := Distance(c.a, c.b); got != c.d {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
	long := string(make([]rune, maxRunes+1))
	if Distance(long, long) != 0 || Distance(long, "x") != maxRunes+1 {
		t.Error("long names: only equal or not")
	}
}

// TestClosestHandlerNames covers the function names of lambda_functions (schema/rules),
// which ignore case and separators as people do.
func TestClosestHandlerNames(t *testing.T) {
	names := []string{"api_handler", "foo_bar", "nightly_cleanup", "resize_image", "worker"}
	cases := map[string][]string{
		"wroker":         {"worker"},
		"resize_imge":    {"resize_image"},
		"fooBar":         {"foo_bar"},
		"FOO-BAR":        {"foo_bar"},
		"nightly":        {"nightly_cleanup"},
		"api_handlers":   {"api_handler"},
		"something_else": nil,
		"":               nil,
	}
	for word, want := range cases {
		if got := Closest(word, names, 3); !slices.Equal(got, want) {
			t.Errorf("Closest(%q) = %q, want %q", word, got, want)
		}
	}
	// Best first, ties by name, at most limit.
	if got := Closest("ab", []string{"ac", "ab_", "AB", "xb"}, 2); !slices.Equal(got, []string{"AB", "ab_"}) {
		t.Errorf("ranking: %q", got)
	}
}

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{`a`: `"a"`, `<&>`: `"<&>"`, "x\"y\n": `"x\"y\n"`, "é": `"é"`} {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
		}
	}
}
