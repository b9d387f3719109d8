// Command bincheck checks release binaries that cannot run here, from their headers:
//
//	go run ./internal/release/bincheck OS/ARCH FILE [OS/ARCH FILE]...
//
// Every binary must be the executable format and CPU of its target. For darwin it also
// checks what a Mac will do with it: the minimum macOS version (LC_BUILD_VERSION, 11.0
// on purpose), the libraries it loads (only libSystem and those the .tbd stubs stand
// for; CoreFoundation on arm64, where cgo's runtime needs it), that it is a cgo build
// (imports pthread_create) and that tree-sitter is linked in rather than imported. The linux and
// windows/amd64 binaries are also run under qemu-user and wine by test-release.sh.
package main

import (
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/binary"
	"fmt"
	"os"
	"slices"
	"strings"
)

// Minimum macOS version the release targets (see scripts/release.sh).
const wantMinOS = "11.0"

func main() {
	args := os.Args[1:]
	if len(args) == 0 || len(args)%2 != 0 {
		fmt.Fprintln(os.Stderr, "usage: bincheck OS/ARCH FILE [OS/ARCH FILE]...")
		os.Exit(2)
	}
	failed := false
	for i := 0; i < len(args); i += 2 {
		if err := check(args[i], args[i+1]); err != nil {
			fmt.Fprintf(os.Stderr, "bincheck: %s (%s): %v\n", args[i+1], args[i], err)
			failed = true
			continue
		}
		fmt.Printf("bincheck: %s: ok\n", args[i])
	}
	if failed {
		os.Exit(1)
	}
}

func check(target, file string) error {
	switch target {
	case "linux/amd64":
		return checkELF(file, elf.EM_X86_64)
	case "linux/arm64":
		return checkELF(file, elf.EM_AARCH64)
	case "windows/amd64":
		return checkPE(file, pe.IMAGE_FILE_MACHINE_AMD64)
	case "windows/arm64":
		return checkPE(file, pe.IMAGE_FILE_MACHINE_ARM64)
	case "darwin/amd64":
		return checkMachO(file, macho.CpuAmd64)
	case "darwin/arm64":
		return checkMachO(file, macho.CpuArm64)
	}
	return fmt.Errorf("unknown target")
}

func checkELF(file string, m elf.Machine) error {
	f, err := elf.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	if f.Machine != m || f.Type != elf.ET_EXEC && f.Type != elf.ET_DYN {
		return fmt.Errorf("ELF %s %s, want an executable for %s", f.Type, f.Machine, m)
	}
	return nil
}

func checkPE(file string, m uint16) error {
	f, err := pe.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	if f.Machine != m {
		return fmt.Errorf("PE machine 0x%x, want 0x%x", f.Machine, m)
	}
	if f.Characteristics&pe.IMAGE_FILE_EXECUTABLE_IMAGE == 0 {
		return fmt.Errorf("PE file is not an executable image")
	}
	return nil
}

func checkMachO(file string, cpu macho.Cpu) error {
	f, err := macho.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	if f.Cpu != cpu || f.Type != macho.TypeExec {
		return fmt.Errorf("Mach-O %v %v, want an executable for %v", f.Type, f.Cpu, cpu)
	}
	minOS := ""
	for _, l := range f.Loads {
		raw := l.Raw()
		// LC_BUILD_VERSION (0x32): cmd, cmdsize, platform, minos (xxxx.yy.zz nibbles), sdk, ...
		if len(raw) >= 16 && f.ByteOrder.Uint32(raw) == 0x32 {
			if p := f.ByteOrder.Uint32(raw[8:]); p != 1 {
				return fmt.Errorf("LC_BUILD_VERSION platform %d, want 1 (macOS)", p)
			}
			minOS = version(f.ByteOrder, raw[12:16])
		}
	}
	if minOS != wantMinOS {
		return fmt.Errorf("minimum macOS %q, want %s", minOS, wantMinOS)
	}
	libs, err := f.ImportedLibraries()
	if err != nil {
		return err
	}
	// Only libraries of macOS itself, and only those the .tbd stubs (or zig's libSystem)
	// stand for; cgo's runtime on arm64 links CoreFoundation.
	stubbed := []string{
		"/usr/lib/libSystem.B.dylib",
		"/System/Library/Frameworks/CoreFoundation.framework/Versions/A/CoreFoundation",
		"/System/Library/Frameworks/Security.framework/Versions/A/Security",
		"/usr/lib/libresolv.9.dylib",
	}
	need := []string{"/usr/lib/libSystem.B.dylib"}
	if cpu == macho.CpuArm64 {
		need = append(need, "/System/Library/Frameworks/CoreFoundation.framework/Versions/A/CoreFoundation")
	}
	for _, want := range need {
		if !slices.Contains(libs, want) {
			return fmt.Errorf("does not load %s (loads %s)", want, strings.Join(libs, ", "))
		}
	}
	for _, l := range libs {
		if !slices.Contains(stubbed, l) {
			return fmt.Errorf("loads %s, which the release does not expect", l)
		}
	}
	syms, err := f.ImportedSymbols()
	if err != nil {
		return err
	}
	// cgo's runtime starts threads through libSystem; tree-sitter is linked in, not imported.
	if !slices.Contains(syms, "_pthread_create") {
		return fmt.Errorf("does not import _pthread_create: not a cgo build?")
	}
	for _, s := range syms {
		if strings.HasPrefix(s, "_ts_") {
			return fmt.Errorf("imports %s: tree-sitter must be linked in", s)
		}
	}
	return nil
}

func version(bo binary.ByteOrder, b []byte) string {
	v := bo.Uint32(b)
	s := fmt.Sprintf("%d.%d", v>>16, (v>>8)&0xff)
	if v&0xff != 0 {
		s += fmt.Sprintf(".%d", v&0xff)
	}
	return s
}
