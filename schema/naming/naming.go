// Package naming reproduces the logical-ID naming rule of `chalice package`
// (chalice/utils.py to_cfn_resource_name, Chalice 1.33.0).
package naming

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// LogicalID converts a Chalice resource name (a handler's config name such as
// "api_handler", "my-fn" or "default-role") into the CloudFormation logical ID
// `chalice package` gives it, exactly as Chalice's to_cfn_resource_name does:
//
//  1. for each separator, "-" then "_": split on it, drop empty pieces,
//     upper-case the first character of each piece (the rest is untouched) and
//     join the pieces;
//  2. delete every character outside [A-Za-z0-9].
//
// Upper-casing follows Python's str.upper, which applies full Unicode case
// mapping: "ß" becomes "SS" and "ﬁ" becomes "FI", so a name such as "ßx"
// yields "SSx", not "x".
//
// Empty name: Chalice raises ValueError("Invalid name: ”"); LogicalID returns
// "" instead. It also returns "" for names that collapse to nothing (e.g. "___"
// or "-", for which Chalice returns ” as well), so callers must treat "" as
// "no valid logical ID".
//
// Bytes that are not valid UTF-8 (which cannot occur in a Python str) are
// treated as non-alphanumeric characters and dropped.
func LogicalID(name string) string {
	if name == "" {
		return ""
	}
	name = capitalizePieces(name, '-')
	name = capitalizePieces(name, '_')
	var b strings.Builder
	b.Grow(len(name))
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// capitalizePieces is one pass of the rule: split on sep, drop empty pieces,
// upper-case each piece's first character, join without separator.
func capitalizePieces(name string, sep byte) string {
	var b strings.Builder
	b.Grow(len(name) + 4)
	for _, piece := range strings.Split(name, string(sep)) {
		if piece == "" {
			continue
		}
		r, size := utf8.DecodeRuneInString(piece)
		if r == utf8.RuneError && size <= 1 {
			// Invalid byte: keep it as is; it is dropped by the final filter.
			b.WriteString(piece)
			continue
		}
		b.WriteString(pyUpper(r))
		b.WriteString(piece[size:])
	}
	return b.String()
}

// pyUpper returns Python's str.upper() of a single character as far as
// LogicalID can observe it. Python applies the full case mappings of Unicode
// SpecialCasing.txt, where one character can become several; Go's
// unicode.ToUpper only knows the one-to-one mappings. Of Python's 102
// multi-character mappings (Unicode 14, Python 3.11) only the ones below
// produce ASCII letters; all others produce only non-ASCII characters, which
// LogicalID drops whichever mapping is used, so the simple mapping is enough
// for them. The differential test checks every code point against Python.
func pyUpper(r rune) string {
	if s, ok := specialUpper[r]; ok {
		return s
	}
	return string(unicode.ToUpper(r))
}

// specialUpper holds the multi-character upper-case mappings that contain
// ASCII letters.
var specialUpper = map[rune]string{
	0x00DF: "SS",      // ß
	0x0149: "\u02BCN", // ŉ
	0x01F0: "J\u030C", // ǰ
	0x1E96: "H\u0331", // ẖ
	0x1E97: "T\u0308", // ẗ
	0x1E98: "W\u030A", // ẘ
	0x1E99: "Y\u030A", // ẙ
	0x1E9A: "A\u02BE", // ẚ
	0xFB00: "FF",      // ﬀ
	0xFB01: "FI",      // ﬁ
	0xFB02: "FL",      // ﬂ
	0xFB03: "FFI",     // ﬃ
	0xFB04: "FFL",     // ﬄ
	0xFB05: "ST",      // ﬅ
	0xFB06: "ST",      // ﬆ
}
