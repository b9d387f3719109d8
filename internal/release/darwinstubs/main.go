// Command darwinstubs writes the macOS text stubs (.tbd) that a cross-linker needs to
// link a cgo build of chalice-lsp for darwin without a macOS SDK.
//
//	go run ./internal/release/darwinstubs OUTDIR
//
// Zig ships libSystem's stubs but no frameworks. Go's runtime and standard library
// call CoreFoundation, Security and libresolv, and name every such symbol in a
// `//go:cgo_import_dynamic local remote "library"` line in their own sources. This
// reads those lines from $(go env GOROOT)/src (so the stubs always match the Go in
// use) and writes, for each library other than libSystem, a TAPI v4 stub exporting
// exactly those symbols, laid out where `-F OUTDIR -L OUTDIR` finds them:
//
//	OUTDIR/CoreFoundation.framework/CoreFoundation.tbd
//	OUTDIR/Security.framework/Security.tbd
//	OUTDIR/libresolv.9.tbd and OUTDIR/libresolv.tbd
//
// The binary then loads the real libraries at run time from their install names.
package main

import (
	"bufio"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: darwinstubs OUTDIR")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "darwinstubs:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	root, err := goroot()
	if err != nil {
		return err
	}
	libs, err := imports(filepath.Join(root, "src"))
	if err != nil {
		return err
	}
	want := []string{
		"/System/Library/Frameworks/CoreFoundation.framework/Versions/A/CoreFoundation",
		"/System/Library/Frameworks/Security.framework/Versions/A/Security",
		"/usr/lib/libresolv.9.dylib",
	}
	for _, lib := range want {
		syms := libs[lib]
		if len(syms) == 0 {
			return fmt.Errorf("no cgo_import_dynamic line in %s names %s: has Go changed how it links on darwin?", root, lib)
		}
		var paths []string
		switch base := filepath.Base(lib); {
		case strings.Contains(lib, ".framework/"):
			paths = []string{filepath.Join(out, base+".framework", base+".tbd")}
		default: // /usr/lib/libresolv.9.dylib: -lresolv and -lresolv.9 both resolve
			name := strings.TrimSuffix(base, ".dylib")
			paths = []string{filepath.Join(out, name+".tbd"), filepath.Join(out, strings.SplitN(name, ".", 2)[0]+".tbd")}
		}
		for _, p := range paths {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(p, tbd(lib, syms), 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

func goroot() (string, error) {
	b, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOROOT: %w", err)
	}
	return strings.TrimSpace(string(b)), nil
}

// imports maps each library path named in a cgo_import_dynamic line under src to the
// sorted, distinct symbols imported from it.
func imports(src string) (map[string][]string, error) {
	set := map[string]map[string]bool{}
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "cmd") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64<<10), 64<<20)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) != 4 || fields[0] != "//go:cgo_import_dynamic" {
				continue
			}
			lib := strings.Trim(fields[3], `"`)
			if set[lib] == nil {
				set[lib] = map[string]bool{}
			}
			set[lib][fields[2]] = true
		}
		return sc.Err()
	})
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for lib, s := range set {
		for sym := range s {
			out[lib] = append(out[lib], sym)
		}
		sort.Strings(out[lib])
	}
	return out, nil
}

// tbd renders a TAPI v4 text stub for install name lib exporting syms (C names; the
// Mach-O symbol gets the leading underscore).
func tbd(lib string, syms []string) []byte {
	var b strings.Builder
	targets := "[ x86_64-macos, arm64-macos ]"
	fmt.Fprintf(&b, "--- !tapi-tbd\ntbd-version: 4\ntargets: %s\ninstall-name: '%s'\ncurrent-version: 0\ncompatibility-version: 0\nexports:\n  - targets: %s\n    symbols: [ ", targets, lib, targets)
	for i, s := range syms {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("_" + s)
	}
	b.WriteString(" ]\n...\n")
	return []byte(b.String())
}
