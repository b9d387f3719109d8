package naming

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os/exec"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
)

// Examples from chalice tests/unit/test_utils.py and chalice.md 2.3.
func TestLogicalIDExamples(t *testing.T) {
	cases := map[string]string{
		"my_handler":            "MyHandler",
		"handle_upload":         "HandleUpload",
		"myHandler":             "MyHandler",
		"MY_handler":            "MYHandler",
		"foo__bar":              "FooBar",
		"s3Bucket":              "S3Bucket",
		"CustomName-v2":         "CustomNameV2",
		"a.b":                   "Ab",
		"every_five-event":      "EveryFiveEvent",
		"default-role":          "DefaultRole",
		"managed-layer":         "ManagedLayer",
		"api_handler-log-group": "ApiHandlerLogGroup",
		"___":                   "",
		"":                      "",
		"ßx":                    "SSx",
		"x_ﬁle":                 "XFIle",
	}
	for in, want := range cases {
		if got := LogicalID(in); got != want {
			t.Errorf("LogicalID(%q) = %q, want %q", in, got, want)
		}
	}
}

// corpus builds the deterministic differential-test corpus.
func corpus() []string {
	names := []string{
		"my_handler", "handle_upload", "myHandler", "MY_handler", "foo__bar",
		"s3Bucket", "CustomName-v2", "a.b", "every_five-event", "default-role",
		"managed-layer", "api_handler-log-group", "___", "---", "-_-", "_-_",
		"_", "-", ".", "a", "A", "1", "1abc", "123_456", "9-lives", "__init__",
		"_private", "trailing_", "trailing-", "a..b", "a.-b", "a_.b", "a-.b",
		"x_-y", "x-_y", "α_β", "über_cool", "naïve-fn", "日本語_name",
		"emoji_🚀_launch", "🚀", "🚀_a", "a_🚀", "ß", "ßß_ß", "ﬁle", "ŉ_x",
		"ǰ", "ẖ-ẗ", "ı_i", "ſ_s", "İstanbul", "ǅ_dz", "µ_micro", "K_kelvin",
		"ａｂｃ_fullwidth", "tab\there", "new\nline", "space name",
		"dollar$sign", "a/b", "a\\b", "a:b", "q?", "\u00a0nbsp", "zero\u200bwidth",
		"combining_e\u0301", "\U0001F469\u200d\U0001F4BB_dev", "mIxEd_CaSe-NaMe",
		"HTTPServer_v2", "a1_b2-c3", "__", "--", "a__", "__a", "a--", "--a",
	}
	// Every Unicode scalar value in a position where Chalice upper-cases it.
	// Each piece after a separator gets its first character upper-cased, so a
	// name "c1_c2_..._c64" checks 64 code points at once; every chunk is
	// joined once with "_" and once with "-".
	var chunk []string
	flush := func() {
		if len(chunk) > 0 {
			names = append(names, strings.Join(chunk, "_"), strings.Join(chunk, "-"))
			chunk = chunk[:0]
		}
	}
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if r >= 0xD800 && r < 0xE000 || r == '_' || r == '-' {
			continue
		}
		chunk = append(chunk, string(r)+"z")
		if len(chunk) == 64 {
			flush()
		}
	}
	flush()
	// Random names over a mixed alphabet, fixed seed.
	alphabet := []rune("abcxyzABCXYZ0189-_-_-_. $/ßﬁıſéÜ日🚀\u0301\u200b")
	rng := rand.New(rand.NewPCG(1998, 2079))
	for i := 0; i < 5000; i++ {
		n := 1 + rng.IntN(16)
		var b strings.Builder
		for j := 0; j < n; j++ {
			b.WriteRune(alphabet[rng.IntN(len(alphabet))])
		}
		names = append(names, b.String())
	}
	return names
}

const pyScript = `
import json, sys
from chalice.utils import to_cfn_resource_name
names = json.load(sys.stdin)
out = []
for n in names:
    try:
        out.append(to_cfn_resource_name(n))
    except ValueError:
        out.append(None)
json.dump(out, sys.stdout)
`

// TestLogicalIDMatchesChalice runs Chalice's own to_cfn_resource_name once
// over the whole corpus and compares every result.
func TestLogicalIDMatchesChalice(t *testing.T) {
	py := testenv.Python(t)
	names := corpus()
	if len(names) < 1000 {
		t.Fatalf("corpus too small: %d", len(names))
	}
	in, err := json.Marshal(names)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, "-c", pyScript)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("running chalice's to_cfn_resource_name: %v\n%s", err, stderr.String())
	}
	var want []*string
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	if len(want) != len(names) {
		t.Fatalf("python returned %d results for %d names", len(want), len(names))
	}
	bad := 0
	for i, n := range names {
		got := LogicalID(n)
		if want[i] == nil {
			// Only the empty name raises in Chalice.
			if n != "" || got != "" {
				t.Errorf("LogicalID(%q) = %q; chalice raised ValueError", n, got)
			}
			continue
		}
		if got != *want[i] {
			bad++
			if bad <= 20 {
				t.Errorf("LogicalID(%q) = %q, chalice says %q", n, got, *want[i])
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d names differ", bad, len(names))
	}
	t.Logf("compared %d names", len(names))
}

func BenchmarkLogicalID(b *testing.B) {
	for b.Loop() {
		LogicalID("api_handler-log-group")
	}
}
