package packager

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/chalice-lsp/chalice-lsp/internal/safefile"
)

// probe is what the packager knows about an interpreter: its Python version and
// the chalice it can import.
type probe struct {
	Interpreter string `json:"interpreter"` // path as given (not symlink-resolved: venvs rely on it)
	Python      string `json:"python"`      // "3.11.7"
	Chalice     string `json:"chalice"`     // "1.33.0", "" when not importable
	ChaliceFile string `json:"chaliceFile"` // chalice/__init__.py, to notice upgrades
	// SiteDir is the interpreter's site-packages when chalice is missing: installing
	// it there changes the directory, which invalidates the probe.
	SiteDir     string `json:"siteDir,omitempty"`
	ImportError string `json:"importError"`
	// Stamps of the interpreter and chalice's __init__.py when probed; a changed
	// stamp (reinstall, upgrade) invalidates the probe.
	Stamp string `json:"stamp"`
}

// pyMinor returns "3.11" from "3.11.7".
func (pr *probe) pyMinor() string {
	parts := strings.SplitN(pr.Python, ".", 3)
	if len(parts) < 2 {
		return pr.Python
	}
	return parts[0] + "." + parts[1]
}

const probeScript = `import json, sys
out = {"python": "%d.%d.%d" % sys.version_info[:3]}
try:
    import chalice
    out["chalice"] = chalice.__version__
    out["chaliceFile"] = chalice.__file__
except Exception as e:
    import sysconfig
    out["importError"] = "%s: %s" % (type(e).__name__, e)
    out["siteDir"] = sysconfig.get_paths()["purelib"]
print(json.dumps(out))
`

// chaliceMain runs chalice's console entry point from any interpreter; `python -m
// chalice` does not work (the package has no __main__).
//
// The first line makes SIGTERM (what the kernel sends when the server dies, see
// childAttr) kill the whole process group, so processes app.py started at import
// die with the server too.
const chaliceMain = "import os, signal, sys\n" +
	"if hasattr(os, 'killpg'): signal.signal(signal.SIGTERM, lambda *_: os.killpg(0, signal.SIGKILL))\n" +
	"from chalice.cli import main; sys.argv[0] = 'chalice'; sys.exit(main())"

// findInterpreter is the one place the Python that runs chalice is chosen, for
// the language server, `chalice-lsp package` and the Go construct alike. The
// order (README "Which Python packages the app"):
//
//  1. explicit: the chalice.python setting, --python, or Request.Python /
//     Options.Python (an interpreter, a virtualenv directory, or a name on PATH;
//     relative to the project when it exists there);
//  2. $CHALICE_LSP_VENV (a virtualenv directory or an interpreter);
//  3. .venv or venv in the project directory, then in each parent up to the
//     repository root (a directory holding .git), the home directory or /;
//  4. $VIRTUAL_ENV;
//  5. the interpreter in the shebang of `chalice` on PATH;
//  6. python3, then python, on PATH.
//
// It returns the interpreter and how it was found (for messages).
func findInterpreter(explicit, projectDir string, env []string) (string, string, error) {
	if explicit != "" {
		// A relative setting such as ".venv" or "env/bin/python" is relative to the
		// project when it exists there.
		if !filepath.IsAbs(explicit) && exists(filepath.Join(projectDir, explicit)) {
			explicit = filepath.Join(projectDir, explicit)
		}
		return configuredInterpreter(explicit, "the configured", "fix the Python setting (chalice.python or --python), or leave it empty to use the project's .venv", env)
	}
	if v := getenv(env, "CHALICE_LSP_VENV"); v != "" {
		return configuredInterpreter(v, "$CHALICE_LSP_VENV:", "fix or unset CHALICE_LSP_VENV", env)
	}
	// .venv / venv in the project and its parents, up to the repository root (a
	// directory holding .git), the home directory or /.
	home, _ := os.UserHomeDir()
	for dir := projectDir; ; {
		for _, name := range []string{".venv", "venv"} {
			if py := venvPython(filepath.Join(dir, name)); py != "" {
				return py, "the virtualenv " + filepath.Join(dir, name), nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir || dir == home || exists(filepath.Join(dir, ".git")) {
			break
		}
		dir = parent
	}
	if ve := getenv(env, "VIRTUAL_ENV"); ve != "" {
		if py := venvPython(ve); py != "" {
			return py, "$VIRTUAL_ENV (" + ve + ")", nil
		}
	}
	if ch, err := lookPath("chalice", env); err == nil {
		if py := shebangInterpreter(ch, env); py != "" {
			return py, "the interpreter of " + ch, nil
		}
		if py := launcherInterpreter(ch); py != "" {
			return py, "the interpreter of " + ch, nil
		}
	}
	for _, name := range []string{"python3", "python"} {
		if py, err := lookPath(name, env); err == nil {
			return py, name + " on PATH", nil
		}
	}
	return "", "", &Error{Class: ClassChaliceNotInstalled,
		Message: "no Python interpreter found: no .venv or venv in " + projectDir + " or its parents, no $VIRTUAL_ENV, and neither chalice nor python3 on PATH",
		Hint:    "create one in the project: python3 -m venv .venv && " + filepath.Join(".venv", venvLayouts[layoutOf("")]) + " -m pip install chalice"}
}

// venvLayouts are where a virtualenv keeps its interpreter: bin/python on
// Linux and macOS, Scripts\python.exe where `python -m venv` ran on Windows.
// Both are tried whatever the host, in this order: a virtualenv has one of them
// (an MSYS2 Python on Windows makes bin/), and the file that exists decides.
var venvLayouts = [2]string{filepath.Join("bin", "python"), filepath.Join("Scripts", "python.exe")}

// venvPython returns the interpreter of the virtualenv directory dir, "" when it
// has none (see venvLayouts).
func venvPython(dir string) string {
	for _, rel := range venvLayouts {
		if py := filepath.Join(dir, rel); isExec(py) {
			return py
		}
	}
	return ""
}

// configuredInterpreter resolves a configured interpreter or virtualenv
// directory; what names the source in messages, fix says what to do.
func configuredInterpreter(path, what, fix string, env []string) (string, string, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		if py := venvPython(path); py != "" {
			return py, what + " virtualenv " + path, nil
		}
		return "", "", &Error{Class: ClassChaliceNotInstalled,
			Message: fmt.Sprintf("%s Python %s is a directory without %s or %s", what, path, venvLayouts[0], venvLayouts[1]),
			Hint:    "point it at an interpreter or a virtualenv directory; " + fix}
	}
	if isExec(path) {
		return path, what + " interpreter " + path, nil
	}
	if lp, err := lookPath(path, env); err == nil {
		return lp, what + " interpreter " + lp, nil
	}
	return "", "", &Error{Class: ClassChaliceNotInstalled,
		Message: fmt.Sprintf("%s Python interpreter %q does not exist or is not executable", what, path),
		Hint:    fix}
}

// shebangInterpreter reads "#!/path/python" or "#!/usr/bin/env python3" from a
// console script.
func shebangInterpreter(script string, env []string) string {
	f, err := safefile.Open(script)
	if err != nil {
		return ""
	}
	defer f.Close()
	line, _ := bufio.NewReader(f).ReadString('\n')
	if !strings.HasPrefix(line, "#!") {
		return ""
	}
	fields := strings.Fields(strings.TrimSpace(line[2:]))
	if len(fields) == 0 {
		return ""
	}
	if filepath.Base(fields[0]) == "env" && len(fields) > 1 {
		py, err := lookPath(fields[len(fields)-1], env)
		if err != nil {
			return ""
		}
		return py
	}
	if isExec(fields[0]) {
		return fields[0]
	}
	return ""
}

// launcherInterpreter returns the Python a Windows console-script launcher
// (chalice.exe, which has no shebang line to read) belongs to: python.exe beside
// it (a virtualenv's Scripts) or one level up (an installed Python, whose
// scripts live in Python3xx\Scripts).
func launcherInterpreter(script string) string {
	if !strings.EqualFold(filepath.Ext(script), ".exe") {
		return ""
	}
	for _, dir := range []string{filepath.Dir(script), filepath.Dir(filepath.Dir(script))} {
		if py := filepath.Join(dir, "python.exe"); isExec(py) {
			return py
		}
	}
	return ""
}

// probeInterpreter returns the Python and chalice versions of py. Results are
// remembered in memory and on disk, keyed by the interpreter path and revalidated
// by file stamps, so a restarted server does not pay ~0.3 s to import chalice.
func (p *Packager) probeInterpreter(ctx context.Context, py string, env []string) (*probe, error) {
	p.mu.Lock()
	pr := p.probes[py]
	p.mu.Unlock()
	if pr != nil && pr.Stamp != "" && pr.Stamp == pr.stamp() {
		return pr, nil
	}
	sum := sha256.Sum256([]byte(py))
	diskPath := filepath.Join(p.cacheDir, "probes", hex.EncodeToString(sum[:8])+".json")
	if b, err := os.ReadFile(diskPath); err == nil {
		var d probe
		if json.Unmarshal(b, &d) == nil && d.Interpreter == py && d.Stamp != "" && d.Stamp == d.stamp() {
			p.mu.Lock()
			p.probes[py] = &d
			p.mu.Unlock()
			return &d, nil
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, py, "-c", probeScript)
	cmd.Env = env
	cmd.Stdin = nil
	killGroupOnCancel(cmd)
	// Bounded: an interpreter whose site hooks print without end costs nothing.
	stdout, stderr := newTail(MaxOutput), newTail(MaxOutput)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.WaitDelay = time.Second
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil && ctx.Err() == context.Canceled {
			return nil, &Error{Class: ClassCancelled, Message: "packaging was cancelled while checking the Python interpreter"}
		}
		return nil, &Error{Class: ClassChaliceNotInstalled,
			Message: fmt.Sprintf("could not run the Python interpreter %s: %v %s", py, err, strings.TrimSpace(string(stderr.Bytes()))),
			Hint:    "check that the interpreter works, or point the Python setting at another one",
			Output:  append(stdout.Bytes(), stderr.Bytes()...)}
	}
	var d probe
	if err := json.Unmarshal(bytes.TrimSpace(lastLineBytes(stdout.Bytes())), &d); err != nil {
		return nil, &Error{Class: ClassChaliceNotInstalled,
			Message: fmt.Sprintf("the Python interpreter %s printed unexpected output when asked for its version", py),
			Output:  stdout.Bytes()}
	}
	d.Interpreter = py
	d.Stamp = d.stamp()
	p.mu.Lock()
	p.probes[py] = &d
	p.mu.Unlock()
	if b, err := json.Marshal(&d); err == nil {
		_ = writeFileAtomic(diskPath, b)
	}
	return &d, nil
}

// notInstalled is the error for an interpreter that cannot import chalice. Outside
// a virtualenv it suggests creating one in the project: system Pythons usually
// refuse `pip install` (PEP 668), and auto-detection finds the project's .venv.
func notInstalled(py, how string, pr *probe, projectDir string) *Error {
	install := fmt.Sprintf("%s -m pip install chalice", py)
	if !exists(filepath.Join(filepath.Dir(filepath.Dir(py)), "pyvenv.cfg")) {
		// The new virtualenv's own interpreter installs into it, whatever its layout.
		venv := filepath.Join(projectDir, ".venv")
		install = fmt.Sprintf("%s -m venv %s && %s -m pip install chalice", py, venv, filepath.Join(venv, venvLayouts[layoutOf(py)]))
	}
	return &Error{Class: ClassChaliceNotInstalled,
		Message: fmt.Sprintf("chalice is not installed for %s (found via %s, Python %s): %s", py, how, pr.Python, pr.ImportError),
		Hint:    "install it with `" + install + "`, or point the Python setting at an interpreter that has chalice"}
}

// stamp identifies the files a probe depends on: the interpreter, and chalice's
// __init__.py or, without chalice, the site-packages directory it would go into.
func (pr *probe) stamp() string {
	watch := pr.ChaliceFile
	if watch == "" {
		watch = pr.SiteDir
	}
	if watch == "" {
		return "" // nothing to watch (a probe from an older version): never valid
	}
	return stampOf(pr.Interpreter) + "|" + stampOf(watch)
}

// stampOf identifies a file's version by size, mtime and inode ("missing" when it
// cannot be read, "" for no file).
func stampOf(path string) string {
	if path == "" {
		return ""
	}
	st, err := os.Stat(path)
	if err != nil {
		return "missing"
	}
	return fmt.Sprintf("%d:%d:%d", st.Size(), st.ModTime().UnixNano(), fileID(st))
}

// lastLineBytes returns the last non-empty line of b (the probe's JSON, after
// anything a sitecustomize printed).
func lastLineBytes(b []byte) []byte {
	b = bytes.TrimRight(b, "\n")
	if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
		return b[i+1:]
	}
	return b
}

// layoutOf returns the index in venvLayouts of the layout py suggests: the
// Windows one for an interpreter named *.exe (or on Windows), else bin/.
func layoutOf(py string) int {
	if runtime.GOOS == "windows" || strings.EqualFold(filepath.Ext(py), ".exe") {
		return 1
	}
	return 0
}

// isExec reports whether path is a file the system would run. Windows has no
// execute bits (Go reports none there): a file that exists is taken as is, and
// lookPath supplies the extension.
func isExec(path string) bool {
	st, err := os.Stat(path)
	if err != nil || st.IsDir() {
		return false
	}
	return runtime.GOOS == "windows" || st.Mode()&0o111 != 0
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// lookPath finds name on the PATH of env (not the packager's own PATH, which may
// differ from the user's environment given in Options.Environ).
//
// On Windows a name without an extension is tried with each of $PATHEXT's
// (".COM;.EXE;.BAT;.CMD" when unset), as cmd.exe does: "python3" finds
// python3.exe.
func lookPath(name string, env []string) (string, error) {
	exts := []string{""}
	if runtime.GOOS == "windows" && filepath.Ext(name) == "" {
		pathext := getenv(env, "PATHEXT")
		if pathext == "" {
			pathext = ".COM;.EXE;.BAT;.CMD"
		}
		exts = strings.Split(strings.ToLower(pathext), ";")
	}
	find := func(p string) string {
		for _, ext := range exts {
			if isExec(p + ext) {
				return p + ext
			}
		}
		return ""
	}
	if strings.ContainsRune(name, '/') || strings.ContainsRune(name, filepath.Separator) {
		if p := find(name); p != "" {
			return p, nil
		}
		return "", os.ErrNotExist
	}
	for _, dir := range filepath.SplitList(getenv(env, "PATH")) {
		if dir == "" {
			dir = "."
		}
		if p := find(filepath.Join(dir, name)); p != "" {
			return p, nil
		}
	}
	return "", os.ErrNotExist
}

// getenv returns the last value of key in env ("" when unset).
func getenv(env []string, key string) string {
	v := ""
	for _, kv := range env {
		if len(kv) > len(key) && kv[len(key)] == '=' && kv[:len(key)] == key {
			v = kv[len(key)+1:]
		}
	}
	return v
}

// mergeEnv returns base with the keys of extra replaced or appended.
func mergeEnv(base []string, extra map[string]string) []string {
	out := make([]string, 0, len(base)+len(extra))
	for _, kv := range base {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := extra[k]; ok {
			continue
		}
		out = append(out, kv)
	}
	for _, k := range sortedKeys(extra) {
		out = append(out, k+"="+extra[k])
	}
	return out
}

// writeFileAtomic writes b to path through a temporary file and a rename, so a
// concurrent reader sees the old content or the new, never a torn file.
func writeFileAtomic(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}
