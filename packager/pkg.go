package packager

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// flight is a chalice run that requests with the same key share.
type flight struct {
	key     string
	done    chan struct{}
	res     *Result
	err     error
	cancel  context.CancelCauseFunc
	waiters int
}

// slotReq is the latest work in a Supersede slot: the newest request's sequence
// number and inputs, and every request still running for those same inputs.
type slotReq struct {
	seq     int64
	key     string                            // cache key of the newest request's inputs
	running map[int64]context.CancelCauseFunc // by seq; emptied as requests finish
}

// job is a normalised request plus everything resolved for it.
type job struct {
	req       Request
	src       string
	stage     string
	env       []string          // full environment of the chalice process
	userEnv   map[string]string // user env plus the region default: the keys passed to docker
	py        string
	probe     *probe
	files     []snapFile
	key       string
	keyInputs keyInputs
	timeout   time.Duration
}

// reEnvKey is a valid environment variable name, the only kind passed to docker.
var reEnvKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// DefaultRegion is the region chalice package runs with when none is set
// (AWS_DEFAULT_REGION / AWS_REGION): it needs one for service principals, never
// credentials. The server and the construct rely on it.
const DefaultRegion = "us-east-1"

// Package packages req.SourceDir for req.Stage, from the cache when the inputs are
// unchanged. Failures are *Error values.
func (p *Packager) Package(ctx context.Context, req Request) (*Result, error) {
	start := time.Now()
	seq := p.seq.Add(1) // request order, for Supersede
	if err := ctx.Err(); err != nil {
		return nil, ctxErr(ctx)
	}
	// The cache is checked before anything in it is read (the interpreter probe too).
	if _, err := p.EnsureCacheDir(); err != nil {
		return nil, err
	}
	j, err := p.prepare(ctx, req)
	if err != nil {
		return nil, err
	}
	reqCtx, reqCancel := context.WithCancelCause(ctx)
	defer reqCancel(nil)
	superseded := &Error{Class: ClassSuperseded, Message: "packaging was superseded by a newer request for the same project"}
	if req.Supersede != "" {
		if !p.claimSlot(req.Supersede, seq, j.key, reqCancel) {
			return nil, superseded
		}
		defer p.releaseSlot(req.Supersede, seq)
	}

	p.mu.Lock()
	e := p.mem[j.key]
	if e != nil {
		p.memClock++
		e.used = p.memClock
	}
	p.mu.Unlock()
	if e != nil {
		p.memHits.Add(1)
		return p.finish(j, e, start, true)
	}
	if res := p.loadDisk(j.key); res != nil {
		e := &entry{res: res}
		p.mu.Lock()
		p.remember(j.key, e)
		p.mu.Unlock()
		p.diskHits.Add(1)
		p.logf("packager: %s stage %s: cache hit on disk (%s)", j.src, j.stage, j.key[:12])
		return p.finish(j, e, start, true)
	}

	p.mu.Lock()
	f := p.flights[j.key]
	if f == nil {
		runCtx, cancel := context.WithCancelCause(context.Background())
		f = &flight{key: j.key, done: make(chan struct{}), cancel: cancel}
		p.flights[j.key] = f
		go p.fly(runCtx, f, j)
	} else {
		p.shared.Add(1)
	}
	f.waiters++
	p.mu.Unlock()

	select {
	case <-f.done:
	case <-reqCtx.Done():
		p.mu.Lock()
		f.waiters--
		last := f.waiters == 0
		if last {
			// Nobody wants this run any more: stop chalice, and let a later request
			// for the same key start afresh instead of joining a dying run.
			f.cancel(context.Cause(reqCtx))
			if p.flights[j.key] == f {
				delete(p.flights, j.key)
			}
		}
		p.mu.Unlock()
		if last {
			<-f.done // the process group is dead when fly returns
		}
		if errors.Is(context.Cause(reqCtx), errSuperseded) {
			return nil, superseded
		}
		return nil, ctxErr(ctx)
	}
	if f.err != nil {
		return nil, f.err
	}
	return p.finish(j, &entry{res: f.res}, start, false)
}

// claimSlot makes request seq the latest of a Supersede slot and cancels the older
// requests holding it. A request for the same inputs (key) is the same work, so it
// joins them instead: an editor's explicit "package" and a background run started a
// moment later must not cancel each other. It returns false, taking nothing, when a
// newer request for other inputs already claimed the slot (this one was slower to
// prepare), even if that one has finished: an older request must never replace a
// newer one's result.
func (p *Packager) claimSlot(slot string, seq int64, key string, cancel context.CancelCauseFunc) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	old := p.slots[slot]
	if old != nil && old.key == key {
		old.running[seq] = cancel
		old.seq = max(old.seq, seq)
		return true
	}
	if old != nil {
		if old.seq > seq {
			return false
		}
		for _, c := range old.running {
			c(errSuperseded)
		}
	}
	p.slots[slot] = &slotReq{seq: seq, key: key, running: map[int64]context.CancelCauseFunc{seq: cancel}}
	return true
}

// releaseSlot forgets a finished request but keeps the slot's sequence number and
// key, which claimSlot compares against.
func (p *Packager) releaseSlot(slot string, seq int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if s := p.slots[slot]; s != nil {
		delete(s.running, seq)
	}
}

// ctxErr describes why the caller's context ended.
func ctxErr(ctx context.Context) *Error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &Error{Class: ClassTimeout, Message: "the caller's deadline passed before packaging finished; the chalice process was stopped",
			Hint: "give the request more time"}
	}
	return &Error{Class: ClassCancelled, Message: "packaging was cancelled; the chalice process was stopped with all its children"}
}

// finish turns a shared outcome into this request's result.
func (p *Packager) finish(j *job, e *entry, start time.Time, cached bool) (*Result, error) {
	if e.err != nil {
		return nil, e.err
	}
	r := *e.res
	r.Cached = cached
	r.Stage = j.stage
	if j.req.OutDir != "" {
		if err := exportTo(&r, j.req.OutDir); err != nil {
			return nil, &Error{Class: ClassIO, Message: "could not copy the package to " + j.req.OutDir + ": " + err.Error(),
				Hint: "check that the output directory is writable"}
		}
	}
	r.Duration = time.Since(start)
	return &r, nil
}

// exportTo copies the package files into dir and points r at them.
func exportTo(r *Result, dir string) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	cp := func(src string) (string, error) {
		if src == "" {
			return "", nil
		}
		dst := filepath.Join(dir, filepath.Base(src))
		tmp := dst + ".tmp-" + randHex(4)
		if _, err := copyFileHash(src, tmp); err != nil {
			os.Remove(tmp)
			return "", err
		}
		return dst, os.Rename(tmp, dst)
	}
	if r.TemplatePath, err = cp(r.TemplatePath); err != nil {
		return err
	}
	if r.DeploymentZip, err = cp(r.DeploymentZip); err != nil {
		return err
	}
	if r.LayerZip, err = cp(r.LayerZip); err != nil {
		return err
	} else if r.LayerZip == "" {
		// A stale layer zip from an earlier export would contradict the template.
		os.Remove(filepath.Join(dir, "layer-deployment.zip"))
	}
	r.Dir = dir
	return nil
}

// prepare validates the request, finds the interpreter and computes the cache key.
func (p *Packager) prepare(ctx context.Context, req Request) (*job, error) {
	j := &job{req: req, stage: req.Stage}
	if j.stage == "" {
		j.stage = DefaultStage
	}
	if strings.ContainsAny(j.stage, "\x00\n") || strings.TrimSpace(j.stage) == "" {
		return nil, &Error{Class: ClassBadRequest, Message: fmt.Sprintf("invalid stage name %q", j.stage), Hint: "use a plain name such as dev or prod"}
	}
	if req.SourceDir == "" {
		return nil, &Error{Class: ClassBadRequest, Message: "no project directory given", Hint: "pass the directory that holds .chalice/config.json"}
	}
	src, err := filepath.Abs(req.SourceDir)
	if err != nil {
		return nil, &Error{Class: ClassIO, Message: err.Error()}
	}
	j.src = src
	if st, err := os.Stat(src); err != nil || !st.IsDir() {
		return nil, &Error{Class: ClassNotProject, File: src, Message: "the project directory " + src + " does not exist",
			Hint: "pass the directory that holds app.py and .chalice/config.json"}
	}
	if _, err := os.Stat(filepath.Join(src, ".chalice", "config.json")); err != nil {
		return nil, &Error{Class: ClassNotProject, File: src, Message: src + " is not a Chalice project: .chalice/config.json is missing",
			Hint: "run `chalice new-project`, or point at the directory that holds .chalice/config.json"}
	}
	if _, err := os.Stat(filepath.Join(src, "app.py")); err != nil {
		return nil, &Error{Class: ClassNotProject, File: src, Message: src + " is not a Chalice project: app.py is missing",
			Hint: "chalice packages the app defined in app.py at the project root"}
	}
	if img := req.Package.Image; img != "" && (strings.HasPrefix(img, "-") || strings.ContainsAny(img, " \t\n\x00")) {
		return nil, &Error{Class: ClassBadRequest, Message: fmt.Sprintf("invalid container image name %q", img),
			Hint: "use a plain image reference such as " + DefaultImagePrefix + "3.12"}
	}
	for k := range req.Package.Env {
		if !reEnvKey.MatchString(k) {
			return nil, &Error{Class: ClassBadRequest, Message: fmt.Sprintf("invalid environment variable name %q in the package env", k),
				Hint: "names are letters, digits and underscores, not starting with a digit"}
		}
	}

	base := p.opts.Environ
	if base == nil {
		base = os.Environ()
	}
	j.userEnv = map[string]string{}
	for k, v := range req.Package.Env {
		j.userEnv[k] = v
	}
	env := mergeEnv(base, req.Package.Env)
	regionKeys := []string{"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"}
	if req.Package.UseContainer {
		// A profile means nothing inside the container (no ~/.aws there).
		regionKeys = regionKeys[:2]
	}
	hasRegion := false
	for _, k := range regionKeys {
		if v := getenv(env, k); v != "" {
			hasRegion = true
			j.userEnv[k] = v // passed into the container and part of the key
		}
	}
	if !hasRegion {
		// chalice package needs a region (for service principals) but no credentials.
		j.userEnv["AWS_DEFAULT_REGION"] = DefaultRegion
	}
	j.env = mergeEnv(env, map[string]string{
		"AWS_DEFAULT_REGION":      getenvOr(j.userEnv, "AWS_DEFAULT_REGION", getenv(env, "AWS_DEFAULT_REGION")),
		"PYTHONDONTWRITEBYTECODE": "1", // importing the app must not leave __pycache__ anywhere
		"PYTHONUNBUFFERED":        "1",
	})
	if getenv(j.env, "AWS_DEFAULT_REGION") == "" {
		j.env = dropEnv(j.env, "AWS_DEFAULT_REGION")
	}

	j.timeout = req.Timeout
	if j.timeout <= 0 {
		j.timeout = p.opts.Timeout
	}
	if j.timeout <= 0 {
		j.timeout = DefaultTimeout
	}

	explicit := req.Python
	if explicit == "" {
		explicit = p.opts.Python
	}
	py, how, ierr := findInterpreter(explicit, src, env)
	if ierr != nil {
		if !(req.Package.UseContainer && req.Package.Image != "") {
			return nil, ierr
		}
		j.probe = &probe{} // container with an explicit image: no host Python needed
	} else {
		j.py = py
		pr, err := p.probeInterpreter(ctx, py, j.env)
		if err != nil {
			return nil, err
		}
		if pr.Chalice == "" && !req.Package.UseContainer {
			return nil, notInstalled(py, how, pr, src)
		}
		j.probe = pr
	}

	lctx, cancel := context.WithTimeout(ctx, j.timeout)
	files, err := listInputs(lctx, src)
	cancel()
	if err == nil {
		err = p.hashInputs(files)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return nil, &Error{Class: ClassTimeout, File: src,
			Message: fmt.Sprintf("listing the project's files did not finish within the packaging timeout (%s)", j.timeout),
			Hint:    "look for symbolic links in chalicelib/ or vendor/ that lead to large directory trees"}
	}
	if errors.Is(err, context.Canceled) {
		return nil, ctxErr(ctx)
	}
	if err != nil {
		return nil, &Error{Class: ClassIO, File: src, Message: "could not read the project: " + err.Error(), Hint: "check file permissions"}
	}
	j.files = files
	if j.req.StageConfig, err = plainStageConfig(req.StageConfig); err != nil {
		return nil, err
	}
	j.keyInputs = keyInputs{
		Stage: j.stage, StageConfig: j.req.StageConfig, Mode: req.StageConfigMode.String(),
		Chalice: j.probe.Chalice, Python: j.probe.Python,
		UseContainer: req.Package.UseContainer, Env: j.userEnv,
	}
	if req.Package.UseContainer {
		j.keyInputs.Image = p.image(j)
	}
	j.key = computeKey(files, j.keyInputs)
	return j, nil
}

// image is the container image for j: the requested one, or the SAM build image
// of the host interpreter's Python X.Y.
func (p *Packager) image(j *job) string {
	if j.req.Package.Image != "" {
		return j.req.Package.Image
	}
	return DefaultImagePrefix + j.probe.pyMinor()
}

// plainStageConfig returns a copy of a stage config made only of JSON values
// (map[string]any, []any, json.Number, string, bool, nil), so that applying it merges
// a caller's typed maps (map[string]string environment variables, say) key by key
// instead of replacing the object from config.json with them.
func plainStageConfig(sc map[string]any) (map[string]any, error) {
	if sc == nil {
		return nil, nil // no stage config, not an empty one
	}
	b, err := json.Marshal(jsonpos.Plain(sc))
	if err != nil {
		return nil, &Error{Class: ClassBadRequest, Message: "the stage config cannot be encoded as JSON: " + err.Error(),
			Hint: "stage config values must be JSON values (strings, numbers, booleans, lists, objects)"}
	}
	out := map[string]any{}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&out); err != nil {
		return nil, &Error{Class: ClassBadRequest, Message: "the stage config is not a JSON object: " + err.Error()}
	}
	return out, nil
}

// getenvOr returns m[k] when k is set (even to ""), else def.
func getenvOr(m map[string]string, k, def string) string {
	if v, ok := m[k]; ok {
		return v
	}
	return def
}

// dropEnv returns env without key.
func dropEnv(env []string, key string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, key+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// fly runs chalice for a flight and publishes the outcome.
func (p *Packager) fly(ctx context.Context, f *flight, j *job) {
	res, err := p.build(ctx, j)
	p.mu.Lock()
	if p.flights[f.key] == f {
		delete(p.flights, f.key)
	}
	if err != nil {
		var pe *Error
		if errors.As(err, &pe) && pe.deterministic() {
			p.remember(f.key, &entry{err: pe})
		}
		f.err = err
	} else {
		p.remember(res.Key, &entry{res: res})
		f.res = res
	}
	p.mu.Unlock()
	close(f.done)
}

// build does one real packaging run: private copy, chalice, post-processing, cache.
func (p *Packager) build(ctx context.Context, j *job) (*Result, error) {
	start := time.Now()
	workRoot := filepath.Join(p.cacheDir, "work")
	if err := os.MkdirAll(workRoot, 0o700); err != nil {
		return nil, ioErr("create the cache directory", err)
	}
	work, err := os.MkdirTemp(workRoot, j.key[:16]+"-")
	if err != nil {
		return nil, ioErr("create a work directory", err)
	}
	defer os.RemoveAll(work)
	project := filepath.Join(work, "project")
	out := filepath.Join(work, "out")

	copied, err := copyInputs(j.files, project)
	if err != nil {
		return nil, &Error{Class: ClassIO, File: j.src, Message: "could not copy the project: " + err.Error(), Hint: "check file permissions and free disk space"}
	}
	// The copy is what chalice packages; if the user saved a file since it was
	// hashed, the result belongs under the key of what was copied.
	key := computeKey(copied, j.keyInputs)
	srcConfig := filepath.Join(j.src, ".chalice", "config.json")
	if err := writeMergedConfig(project, srcConfig, j.stage, j.req.StageConfig, j.req.StageConfigMode); err != nil {
		var pe *Error
		if errors.As(err, &pe) {
			return nil, pe
		}
		return nil, ioErr("write the merged config", err)
	}
	deployments := filepath.Join(project, ".chalice", "deployments")
	store := filepath.Join(p.cacheDir, "deployments", sha16(j.src))
	if err := p.seedDeployments(store, deployments); err != nil {
		return nil, ioErr("prepare chalice's zip cache", err)
	}

	runCtx, cancel := context.WithTimeoutCause(ctx, j.timeout, errRunTimeout)
	defer cancel()
	spec := runSpec{Dir: project, Log: filepath.Join(work, "output.log")}
	if j.req.Package.UseContainer {
		if err := p.containerRun(j, &spec, deployments, out); err != nil {
			return nil, err
		}
	} else {
		// --stage=NAME keeps a stage that starts with "-" from being read as a flag.
		spec.Argv = []string{j.py, "-c", chaliceMain, "--project-dir", project, "package", "--stage=" + j.stage, out}
		spec.Env = j.env
	}
	p.logf("packager: %s stage %s: running %s", j.src, j.stage, strings.Join(spec.Argv[:min(len(spec.Argv), 3)], " "))
	output, runErr := p.run(runCtx, spec)
	if runErr != nil {
		if errors.Is(runErr, errKilled) {
			return nil, killErr(runCtx, j.timeout, context.Cause(ctx), output)
		}
		if len(output) == 0 && !isExitError(runErr) {
			return nil, &Error{Class: ClassFailed, Message: "could not start " + spec.Argv[0] + ": " + runErr.Error(), Output: output}
		}
		if j.req.Package.UseContainer {
			if ce := classifyContainer(output, p.image(j)); ce != nil {
				return nil, ce
			}
		}
		seen := project // where chalice saw the project, for traceback paths
		if j.req.Package.UseContainer {
			seen = containerApp
		}
		e := classify(output, seen, j.src)
		interp := j.py
		if j.req.Package.UseContainer {
			interp = "" // the image's Python
		}
		enrich(e, j.src, project, j.stage, interp, j.req.StageConfig, j.req.StageConfigMode)
		return nil, e
	}
	p.keepDeployments(deployments, store)

	// Post-process, then publish the package atomically into the cache.
	samPath := filepath.Join(out, "sam.json")
	sam, err := os.ReadFile(samPath)
	if err != nil {
		return nil, &Error{Class: ClassFailed, Message: "chalice package succeeded but wrote no sam.json", Hint: "see the chalice output", Output: output}
	}
	fixed, fixups := fixTemplate(sam)
	if len(fixups) > 0 {
		if err := os.WriteFile(samPath, fixed, 0o600); err != nil {
			return nil, ioErr("write the fixed template", err)
		}
	}
	m := meta{Key: key, Stage: j.stage, Fixups: fixups, Output: string(output), DurationMs: time.Since(start).Milliseconds(),
		Chalice: j.probe.Chalice, Python: j.probe.Python, HasLayer: exists(filepath.Join(out, "layer-deployment.zip")), Created: time.Now()}
	mb, _ := json.MarshalIndent(m, "", "  ")
	if err := os.WriteFile(filepath.Join(out, "meta.json"), mb, 0o600); err != nil {
		return nil, ioErr("write the cache entry", err)
	}
	privatize(out)
	final := filepath.Join(p.cacheDir, "packages", key)
	if err := os.MkdirAll(filepath.Dir(final), 0o700); err != nil {
		return nil, ioErr("create the cache directory", err)
	}
	if err := p.publish(out, final, key); err != nil {
		return nil, ioErr("publish the package into the cache", err)
	}
	res, err := p.resultFrom(final, &m)
	if err != nil {
		return nil, err
	}
	p.logf("packager: %s stage %s: packaged in %s (%s)", j.src, j.stage, time.Since(start).Round(time.Millisecond), key[:12])
	p.maybePrune()
	return res, nil
}

// isExitError reports whether the process ran and exited non-zero (as opposed to
// failing to start).
func isExitError(err error) bool {
	var ee interface{ ExitCode() int }
	return errors.As(err, &ee)
}

// ioErr is the error for a failure to read or write the packager's own files.
func ioErr(what string, err error) *Error {
	return &Error{Class: ClassIO, Message: "could not " + what + ": " + err.Error(), Hint: "check that the cache directory is writable and the disk is not full"}
}

// randHex returns n random bytes in hex, for unique temporary names.
func randHex(n int) string {
	b := make([]byte, n)
	if _, err := io.ReadFull(rand.Reader, b); err != nil {
		return fmt.Sprint(time.Now().UnixNano())
	}
	return hex.EncodeToString(b)
}
