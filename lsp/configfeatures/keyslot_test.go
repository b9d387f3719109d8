package configfeatures

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/schema"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// apply applies an item the way a client that honours textEdit and
// additionalTextEdits does (VS Code, Helix, eglot).
func apply(src []byte, it Item) string {
	edits := append([]Edit{{Start: it.Start, End: it.End, Text: it.Text}}, it.Extra...)
	sort.Slice(edits, func(i, j int) bool { return edits[i].Start > edits[j].Start })
	out := string(src)
	for _, e := range edits {
		out = out[:e.Start] + e.Text + out[e.End:]
	}
	return out
}

// applyAtWord applies an item the way Neovim 0.7's omnifunc does: newText replaces
// the keyword before the cursor, whatever the range says.
func applyAtWord(src []byte, off int, it Item) string {
	ws := off
	for ws > 0 && isKeyByte(src[ws-1]) {
		ws--
	}
	return string(src[:ws]) + it.Text + string(src[off:])
}

func findItem(items []Item, label string) (Item, bool) {
	for _, it := range items {
		if it.Label == label {
			return it, true
		}
	}
	return Item{}, false
}

// Key completion in config.json, at every place a key can be typed (issue #11 D1):
// only absent keys are offered, and accepting one leaves valid JSON with no
// duplicate, whatever follows or precedes the cursor.
func TestKeyCompletionKeepsJSONValid(t *testing.T) {
	for _, fx := range []string{
		"{\n  \"lam|\"\n  \"lambda_functions\": {}\n}", // auto-closed quote, a member after
		"{\n  \"lam\"|\n  \"lambda_functions\": {}\n}", // cursor after the closing quote
		"{\n  \"lam|\n  \"lambda_functions\": {}\n}",   // no closing quote
		"{\n  \"app_name\": \"x\",\n  \"lam|\"\n}",     // last member, comma already there
		"{\n  \"app_name\": \"x\"\n  \"lam|\"\n}",      // last member, comma missing before
		"{\n  \"app_name\": \"x\"\n  |\n}",             // empty slot after a member without comma
		"{\n  |\n  \"app_name\": \"x\"\n}",             // before a member
		"{|}",                                          // empty object
		"{\"|\"}",                                      // empty object, auto-closed quotes
		"{\"a\": {\"b\": 1}, \"lambda_functions\": {}, \"lam|\" \"stages\": {}}",
		"{\n  \"stages\": {\n    \"dev\": {\n      \"lam|\"\n      \"lambda_memory_size\": 256\n    }\n  }\n}",
	} {
		src, off := caret(t, fx)
		root, _ := jsonpos.Parse(src)
		items := Complete(src, root, off, Context{Kind: schema.ConfigFile})
		ls := itemLabels(items)
		if strings.Contains(fx, `"lambda_functions"`) && slices.Contains(ls, "lambda_functions") {
			t.Errorf("%q: offers lambda_functions, already present", fx)
		}
		if strings.Contains(fx, `"lambda_memory_size"`) && slices.Contains(ls, "lambda_memory_size") {
			t.Errorf("%q: offers lambda_memory_size, already present", fx)
		}
		if strings.Contains(fx, `"app_name"`) && slices.Contains(ls, "app_name") {
			t.Errorf("%q: offers app_name, already present", fx)
		}
		it, ok := findItem(items, "lambda_timeout")
		if !ok {
			t.Errorf("%q: no lambda_timeout in %v", fx, ls)
			continue
		}
		got := apply(src, it)
		var v map[string]any
		if err := json.Unmarshal([]byte(got), &v); err != nil {
			t.Errorf("%q: accepting lambda_timeout gives invalid JSON (%v):\n%s", fx, err, got)
			continue
		}
		if n := strings.Count(got, `"lambda_timeout"`); n != 1 {
			t.Errorf("%q: lambda_timeout %d times:\n%s", fx, n, got)
		}
		// The word the user typed (without the quote) must match the filter text.
		word := string(src[keySlotAt(src, root, off).start:off])
		if !subsequence(word, it.FilterText) {
			t.Errorf("%q: filter text %q does not match the typed %q", fx, it.FilterText, word)
		}
	}
}

// Clients that ignore the edit range (Neovim's omnifunc) and match the typed word
// against newText (issue #11 D5) insert the same thing when the user typed the
// opening quote.
func TestKeyCompletionWorksWithoutTheRange(t *testing.T) {
	for _, fx := range []string{
		"{\n  \"lam|\n  \"app_name\": \"x\"\n}",
		"{\n  \"app_name\": \"x\",\n  \"lam|\n}",
	} {
		src, off := caret(t, fx)
		root, _ := jsonpos.Parse(src)
		it, ok := findItem(Complete(src, root, off, Context{Kind: schema.ConfigFile}), "lambda_timeout")
		if !ok {
			t.Fatalf("%q: no lambda_timeout", fx)
		}
		if !strings.HasPrefix(it.Text, "lam") {
			t.Errorf("%q: newText %q does not start with the typed word", fx, it.Text)
		}
		if got, want := applyAtWord(src, off, it), apply(src, it); got != want {
			t.Errorf("%q: range-ignoring client gets\n%s\nwant\n%s", fx, got, want)
		}
	}
}

func TestKeyCompletionSnippetEscapesDollar(t *testing.T) {
	items := complete(t, `{|}`, Context{Kind: schema.ConfigFile, Snippets: true})
	it, ok := findItem(items, "$schema")
	if !ok || !strings.HasPrefix(it.Text, `"\$schema"`) {
		t.Fatalf("$schema as a snippet must be escaped: %+v", it)
	}
}

// subsequence reports whether the typed word fuzzy-matches filter, as VS Code's
// filter does (every character, in order).
func subsequence(word, filter string) bool {
	i := 0
	for j := 0; j < len(filter) && i < len(word); j++ {
		if filter[j] == word[i] {
			i++
		}
	}
	return i == len(word)
}
