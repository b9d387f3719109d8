package packager

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Paths inside the container.
const (
	containerApp = "/app"
	containerOut = "/out"
)

// DefaultImagePrefix + "<X.Y>" is the default build image (AWS SAM's build images,
// as cdk-chalice uses).
const DefaultImagePrefix = "public.ecr.aws/sam/build-python"

// containerScript runs inside the image. It is a constant: every user-controlled
// value (stage, chalice requirement, owner) arrives as a positional parameter, and
// environment values arrive through `-e NAME` from the docker client's environment,
// so nothing the user typed is ever parsed as shell code.
//
// It installs the app's requirements (chalice imports app.py, which imports them)
// and chalice itself (so users need not list chalice in requirements.txt), packages
// into the output mount, and hands the files back to the host user.
const containerScript = `set -eu
stage=$1 chalice_req=$2 owner=$3
export PIP_DISABLE_PIP_VERSION_CHECK=1
if [ -f requirements.txt ]; then
  python -m pip install --quiet --requirement requirements.txt "$chalice_req"
else
  python -m pip install --quiet "$chalice_req"
fi
status=0
python -c 'import sys; from chalice.cli import main; sys.exit(main())' package "--stage=$stage" ` + containerOut + ` || status=$?
chown -R "$owner" ` + containerOut + ` ` + containerApp + `/.chalice/deployments 2>/dev/null || true
exit "$status"
`

// containerSpec is what the docker command is built from.
type containerSpec struct {
	Docker      string
	Name        string // container name, so a cancelled run can be removed
	Image       string
	Project     string // host dir mounted read-only at /app
	Deployments string // host dir mounted read-write at /app/.chalice/deployments
	Out         string // host dir mounted read-write at /out
	PipCache    string // host dir mounted at /pip-cache ("" = none)
	Stage       string
	ChaliceReq  string // "chalice==1.33.0"
	Owner       string // "uid:gid"
	EnvKeys     []string
}

// dockerArgs returns the docker client's argument list (argv[0] is the client).
func dockerArgs(s containerSpec) []string {
	args := []string{s.Docker, "run", "--rm", "--init",
		"--name", s.Name,
		"--volume", s.Project + ":" + containerApp + ":ro",
		"--volume", s.Deployments + ":" + containerApp + "/.chalice/deployments:rw",
		"--volume", s.Out + ":" + containerOut + ":rw",
	}
	if s.PipCache != "" {
		args = append(args, "--volume", s.PipCache+":/pip-cache:rw")
	}
	args = append(args, "--workdir", containerApp)
	for _, k := range s.EnvKeys {
		args = append(args, "--env", k)
	}
	args = append(args, "--entrypoint", "/bin/sh", s.Image,
		"-c", containerScript, "chalice-lsp-package", s.Stage, s.ChaliceReq, s.Owner)
	return args
}

// containerRun fills in spec to package j with `docker run`: the project copy in
// spec.Dir mounted read-only, chalice's zip cache and the output directory writable.
func (p *Packager) containerRun(j *job, spec *runSpec, deployments, out string) error {
	docker, err := p.dockerPath(j.env)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return ioErr("create the output directory", err)
	}
	req := "chalice"
	if j.probe.Chalice != "" {
		req = "chalice==" + j.probe.Chalice // the version the host would package with
	}
	name := "chalice-lsp-" + randHex(6)
	spec.Argv = dockerArgs(containerSpec{Docker: docker, Name: name, Image: p.image(j),
		Project: spec.Dir, Deployments: deployments, Out: out, PipCache: pipCacheDir(p.cacheDir),
		Stage: j.stage, ChaliceReq: req, Owner: ownerString(),
		EnvKeys: append(sortedKeys(j.userEnv), "PIP_CACHE_DIR", "PYTHONDONTWRITEBYTECODE")})
	spec.Env = mergeEnv(j.env, map[string]string{"PIP_CACHE_DIR": "/pip-cache"})
	spec.OnKill = func() { removeContainer(docker, name, j.env) }
	return nil
}

// dockerPath finds the docker client.
func (p *Packager) dockerPath(env []string) (string, error) {
	if p.opts.Docker != "" {
		if isExec(p.opts.Docker) {
			return p.opts.Docker, nil
		}
		if lp, err := lookPath(p.opts.Docker, env); err == nil {
			return lp, nil
		}
		return "", &Error{Class: ClassContainer, Message: fmt.Sprintf("the configured docker client %q was not found", p.opts.Docker),
			Hint: "install Docker, fix the docker setting, or turn container packaging off (UseContainer false)"}
	}
	lp, err := lookPath("docker", env)
	if err != nil {
		return "", &Error{Class: ClassContainer, Message: "container packaging is on but the docker client is not on PATH",
			Hint: "install Docker (and start its engine), or turn container packaging off (UseContainer false)"}
	}
	return lp, nil
}

// removeContainer stops a container whose client was killed.
func removeContainer(docker, name string, env []string) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, docker, "rm", "--force", name)
	cmd.Env = env
	_ = cmd.Run()
}

// classifyContainer recognises docker's own failures; others fall through to the
// chalice classification.
func classifyContainer(out []byte, image string) *Error {
	text := string(out)
	switch {
	case strings.Contains(text, "Cannot connect to the Docker daemon") || strings.Contains(text, "error during connect"):
		return &Error{Class: ClassContainer, Message: "the docker client cannot reach a Docker engine",
			Hint: "start Docker (or set DOCKER_HOST), or turn container packaging off", Output: out}
	case strings.Contains(text, "Unable to find image") && (strings.Contains(text, "pull access denied") || strings.Contains(text, "manifest unknown") || strings.Contains(text, "not found")):
		return &Error{Class: ClassContainer, Message: fmt.Sprintf("the container image %s could not be pulled", image),
			Hint: "check the image name; the default is " + DefaultImagePrefix + "<python X.Y> and must match a Python version Lambda supports", Output: out}
	case strings.Contains(text, "ERROR: Could not find a version") || strings.Contains(text, "ERROR: No matching distribution"):
		return &Error{Class: ClassContainer, Message: "pip inside the container could not install the app's requirements or chalice: " + lastNonEmptyLine(text),
			Hint: "check requirements.txt and the image's Python version", Output: out}
	}
	return nil
}

// ownerString is "uid:gid" of this process, to chown the container's output.
func ownerString() string {
	return fmt.Sprintf("%d:%d", os.Getuid(), os.Getgid())
}

// pipCacheDir returns (creating it) the pip cache shared by container runs, so
// requirements are downloaded once.
func pipCacheDir(cacheDir string) string {
	d := filepath.Join(cacheDir, "container-pip")
	_ = os.MkdirAll(d, 0o700)
	return d
}
