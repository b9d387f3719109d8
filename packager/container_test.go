package packager_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/chalice-lsp/chalice-lsp/packager"
)

// standInDocker is a fake docker client (there is no Docker engine here). It
// records its arguments and the values of the variables named by --env, then does
// what the container would do: runs the real chalice on the mounted project into
// the mounted output directory, so the rest of the pipeline sees real output.
const standInDocker = `#!/bin/bash
set -u
rec="$STANDIN_RECORD"
printf '%s\0' "$@" > "$rec.args"
: > "$rec.env"
app= out= stage=
args=("$@")
i=0
while [ $i -lt ${#args[@]} ]; do
  a=${args[$i]}
  case "$a" in
    --volume)
      i=$((i+1)); v=${args[$i]}; host=${v%%:*}; rest=${v#*:}; target=${rest%%:*}
      case "$target" in /app) app=$host;; /out) out=$host;; esac;;
    --env)
      i=$((i+1)); k=${args[$i]}; printf '%s=%s\0' "$k" "${!k-<unset>}" >> "$rec.env";;
    chalice-lsp-package)
      stage=${args[$((i+1))]}; break;;
  esac
  i=$((i+1))
done
if [ -n "${STANDIN_FAIL-}" ]; then echo "$STANDIN_FAIL" >&2; exit 125; fi
cd "$app" && exec "$STANDIN_CHALICE" package --stage "$stage" "$out"
`

func installStandIn(t *testing.T) (binDir, record string) {
	t.Helper()
	binDir = t.TempDir()
	if err := os.WriteFile(filepath.Join(binDir, "docker"), []byte(standInDocker), 0o755); err != nil {
		t.Fatal(err)
	}
	return binDir, filepath.Join(t.TempDir(), "record")
}

func readNul(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the stand-in docker was not run: %v", err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\x00"), "\x00")
}

func TestContainerMode(t *testing.T) {
	t.Parallel()
	py := testenv.Python(t)
	bin, record := installStandIn(t)
	cache := t.TempDir()
	env := baseEnv("PATH="+bin+":"+os.Getenv("PATH"), "STANDIN_RECORD="+record, "STANDIN_CHALICE="+testenv.Chalice(t))
	p := packager.New(packager.Options{CacheDir: cache, Python: py, Environ: env})
	// A stage name full of shell syntax must arrive as one plain argument.
	stage := `qa;$(touch PWNED)'"`
	res, err := pkg(t, p, packager.Request{SourceDir: app(t, "basic"), Stage: stage,
		Package: packager.PackageConfig{UseContainer: true, Env: map[string]string{"SECRET_TOKEN": "s3cr3t value"}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Template.Resource("APIHandler") == nil || res.Template.Resource("Worker") == nil {
		t.Fatalf("resources: %v", res.Template.IDs())
	}
	if tag := res.Template.Resource("Worker").Props.Lookup("/Tags/aws-chalice"); tag == nil || !strings.Contains(tag.Text, "stage="+stage) {
		t.Errorf("stage did not reach chalice intact: %v", tag)
	}

	args := readNul(t, record+".args")
	py311 := regexp.MustCompile(`^3\.\d+$`).FindString(minor(res.PythonVersion))
	if py311 == "" {
		t.Fatalf("python version %q", res.PythonVersion)
	}
	work := regexp.QuoteMeta(filepath.Join(cache, "work")) + `/[0-9a-f]{16}-\d+`
	want := []string{
		// "$@" of the stand-in: argv[0] (the docker client found on PATH) is not included.
		"^run$", "^--rm$", "^--init$",
		"^--name$", `^chalice-lsp-[0-9a-f]{12}$`,
		"^--volume$", "^" + work + "/project:/app:ro$",
		"^--volume$", "^" + work + "/project/.chalice/deployments:/app/.chalice/deployments:rw$",
		"^--volume$", "^" + work + "/out:/out:rw$",
		"^--volume$", "^" + regexp.QuoteMeta(filepath.Join(cache, "container-pip")) + ":/pip-cache:rw$",
		"^--workdir$", "^/app$",
		"^--env$", "^AWS_DEFAULT_REGION$",
		"^--env$", "^SECRET_TOKEN$",
		"^--env$", "^PIP_CACHE_DIR$",
		"^--env$", "^PYTHONDONTWRITEBYTECODE$",
		"^--entrypoint$", "^/bin/sh$",
		"^" + regexp.QuoteMeta("public.ecr.aws/sam/build-python"+py311) + "$",
		"^-c$", `(?s)^set -eu\n.*pip install.*--requirement requirements.txt "\$chalice_req".*from chalice.cli import main.* package "--stage=\$stage" /out.*`,
		"^chalice-lsp-package$", "^" + regexp.QuoteMeta(stage) + "$",
		"^" + regexp.QuoteMeta("chalice=="+res.ChaliceVersion) + "$", `^\d+:\d+$`,
	}
	if len(args) != len(want) {
		t.Fatalf("docker got %d args, want %d:\n%q", len(args), len(want), args)
	}
	for i := range want {
		if !regexp.MustCompile(want[i]).MatchString(args[i]) {
			t.Errorf("arg %d = %q, want match for %s", i, args[i], want[i])
		}
	}
	for _, a := range args {
		if strings.Contains(a, "s3cr3t") {
			t.Errorf("an env value leaked into docker's argument list: %q", a)
		}
	}
	if script := args[len(args)-5]; strings.Contains(script, "PWNED") {
		t.Errorf("user input was interpolated into the container script")
	}
	gotEnv := readNul(t, record+".env")
	for _, kv := range []string{"AWS_DEFAULT_REGION=us-east-1", "SECRET_TOKEN=s3cr3t value", "PIP_CACHE_DIR=/pip-cache", "PYTHONDONTWRITEBYTECODE=1"} {
		found := false
		for _, g := range gotEnv {
			found = found || g == kv
		}
		if !found {
			t.Errorf("docker's environment lacks %s (got %q)", kv, gotEnv)
		}
	}
	if _, err := os.Stat(filepath.Join(app(t, "basic"), "PWNED")); err == nil {
		t.Error("shell injection created a file")
	}

	// The same request in subprocess mode is a different cache entry.
	sub, err := pkg(t, p, packager.Request{SourceDir: app(t, "basic"), Stage: stage,
		Package: packager.PackageConfig{Env: map[string]string{"SECRET_TOKEN": "s3cr3t value"}}})
	if err != nil {
		t.Fatal(err)
	}
	if sub.Key == res.Key {
		t.Error("container and subprocess results share a cache key")
	}
}

func minor(v string) string {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return v
	}
	return parts[0] + "." + parts[1]
}

func TestContainerErrors(t *testing.T) {
	t.Parallel()
	py := testenv.Python(t)
	bin, record := installStandIn(t)

	// The engine is unreachable.
	env := baseEnv("PATH="+bin+":"+os.Getenv("PATH"), "STANDIN_RECORD="+record,
		"STANDIN_FAIL=docker: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?")
	p := packager.New(packager.Options{CacheDir: t.TempDir(), Python: py, Environ: env})
	_, err := pkg(t, p, packager.Request{SourceDir: app(t, "basic"),
		Package: packager.PackageConfig{UseContainer: true, Image: "example.com/custom:1"}})
	e := asError(t, err, packager.ClassContainer)
	if !strings.Contains(e.Hint, "start Docker") {
		t.Errorf("hint: %s", e.Hint)
	}
	if args := readNul(t, record+".args"); !bytes.Contains([]byte(strings.Join(args, "\n")), []byte("\nexample.com/custom:1\n")) {
		t.Errorf("custom image not used: %q", args)
	}

	// No docker client at all.
	empty := t.TempDir()
	p = packager.New(packager.Options{CacheDir: t.TempDir(), Python: py, Environ: baseEnv("PATH=" + empty)})
	_, err = pkg(t, p, packager.Request{SourceDir: app(t, "basic"), Package: packager.PackageConfig{UseContainer: true}})
	e = asError(t, err, packager.ClassContainer)
	if !strings.Contains(e.Message, "docker") || !strings.Contains(e.Hint, "UseContainer") {
		t.Errorf("message %q hint %q", e.Message, e.Hint)
	}
}
