package packager

import (
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
	"sort"
	"strings"
	"time"

	"github.com/chalice-lsp/chalice-lsp/packager/naming"
	"github.com/chalice-lsp/chalice-lsp/packager/template"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// entry is a remembered outcome: a result, or a deterministic failure.
type entry struct {
	res *Result
	err *Error
}

// flight is a chalice run that requests with the same key share.
type flight struct {
	key     string
	done    chan struct{}
	res     *Result
	err     error
	cancel  context.CancelCauseFunc
	waiters int
}

// slotReq is the latest request in a Supersede slot.
type slotReq struct {
	cancel context.CancelCauseFunc
	seq    int64
}

// meta is stored next to a cached package.
type meta struct {
	Key        string    `json:"key"`
	Stage      string    `json:"stage"`
	Fixups     []string  `json:"fixups,omitempty"`
	Output     string    `json:"output"`
	DurationMs int64     `json:"durationMs"`
	Chalice    string    `json:"chalice"`
	Python     string    `json:"python"`
	HasLayer   bool      `json:"hasLayer"`
	Created    time.Time `json:"created"`
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

var reEnvKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func (p *Packager) pkg(ctx context.Context, req Request) (*Result, error) {
	start := time.Now()
	seq := p.seq.Add(1) // request order, for Supersede
	if err := ctx.Err(); err != nil {
		return nil, ctxErr(ctx)
	}
	j, err := p.prepare(ctx, req)
	if err != nil {
		return nil, err
	}
	reqCtx, reqCancel := context.WithCancelCause(ctx)
	defer reqCancel(nil)
	var mine *slotReq
	if req.Supersede != "" {
		mine = &slotReq{cancel: reqCancel, seq: seq}
		defer func() {
			p.mu.Lock()
			if p.slots[req.Supersede] == mine {
				delete(p.slots, req.Supersede)
			}
			p.mu.Unlock()
		}()
	}
	// claim takes the Supersede slot (under p.mu): it cancels an older request
	// holding it, or, when a newer request already holds it (this one was slower to
	// prepare), cancels this one.
	claim := func() {
		if mine == nil {
			return
		}
		if old := p.slots[req.Supersede]; old != nil && old != mine {
			if old.seq > mine.seq {
				reqCancel(errSuperseded)
				return
			}
			old.cancel(errSuperseded)
		}
		p.slots[req.Supersede] = mine
	}
	superseded := &Error{Class: ClassSuperseded, Message: "packaging was superseded by a newer request for the same project"}

	p.mu.Lock()
	if e := p.mem[j.key]; e != nil {
		claim()
		p.mu.Unlock()
		if errors.Is(context.Cause(reqCtx), errSuperseded) {
			return nil, superseded
		}
		p.memHits.Add(1)
		return p.finish(j, e, start, true)
	}
	p.mu.Unlock()
	if res := p.loadDisk(j.key); res != nil {
		p.mu.Lock()
		p.mem[j.key] = &entry{res: res}
		claim()
		p.mu.Unlock()
		if errors.Is(context.Cause(reqCtx), errSuperseded) {
			return nil, superseded
		}
		p.diskHits.Add(1)
		p.logf("packager: %s stage %s: cache hit on disk (%s)", j.src, j.stage, j.key[:12])
		return p.finish(j, &entry{res: res}, start, true)
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
	claim()
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
		j.userEnv["AWS_DEFAULT_REGION"] = "us-east-1"
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
			return nil, notInstalled(py, how, pr)
		}
		j.probe = pr
	}

	files, err := listInputs(src)
	if err == nil {
		err = p.hashInputs(files)
	}
	if err != nil {
		return nil, &Error{Class: ClassIO, File: src, Message: "could not read the project: " + err.Error(), Hint: "check file permissions"}
	}
	j.files = files
	j.req.StageConfig = plainValues(req.StageConfig).(map[string]any)
	j.keyInputs = keyInputs{
		Stage: j.stage, StageConfig: j.req.StageConfig,
		Chalice: j.probe.Chalice, Python: j.probe.Python,
		UseContainer: req.Package.UseContainer, Env: j.userEnv,
	}
	if req.Package.UseContainer {
		j.keyInputs.Image = p.image(j)
	}
	j.key, err = computeKey(files, j.keyInputs)
	if err != nil {
		return nil, err
	}
	return j, nil
}

func (p *Packager) image(j *job) string {
	if j.req.Package.Image != "" {
		return j.req.Package.Image
	}
	return DefaultImagePrefix + j.probe.pyMinor()
}

// plainValues copies a stage config, replacing values only known at synth time
// (jsonpos.OpaqueValue, from stage_config dicts in CDK code) by their source text,
// which is what a preview can show in their place.
func plainValues(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = plainValues(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plainValues(e)
		}
		return out
	case jsonpos.OpaqueValue:
		return x.Source
	case *jsonpos.OpaqueValue:
		if x == nil {
			return nil
		}
		return x.Source
	}
	return v
}

func getenvOr(m map[string]string, k, def string) string {
	if v, ok := m[k]; ok {
		return v
	}
	return def
}

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
			p.mem[f.key] = &entry{err: pe}
		}
		f.err = err
	} else {
		p.mem[res.Key] = &entry{res: res}
		f.res = res
	}
	p.mu.Unlock()
	close(f.done)
}

// build does one real packaging run: private copy, chalice, post-processing, cache.
func (p *Packager) build(ctx context.Context, j *job) (*Result, error) {
	start := time.Now()
	workRoot := filepath.Join(p.cacheDir, "work")
	if err := os.MkdirAll(workRoot, 0o755); err != nil {
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
	key, err := computeKey(copied, j.keyInputs)
	if err != nil {
		return nil, err
	}
	srcConfig := filepath.Join(j.src, ".chalice", "config.json")
	if err := writeMergedConfig(project, srcConfig, j.stage, j.req.StageConfig); err != nil {
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
		docker, err := p.dockerPath(j.env)
		if err != nil {
			return nil, err
		}
		if err := os.MkdirAll(out, 0o755); err != nil {
			return nil, ioErr("create the output directory", err)
		}
		req := "chalice"
		if j.probe.Chalice != "" {
			req = "chalice==" + j.probe.Chalice
		}
		name := "chalice-lsp-" + randHex(6)
		keys := sortedKeys(j.userEnv)
		spec.Argv = dockerArgs(containerSpec{Docker: docker, Name: name, Image: p.image(j),
			Project: project, Deployments: deployments, Out: out, PipCache: pipCacheDir(p.cacheDir),
			Stage: j.stage, ChaliceReq: req, Owner: ownerString(), EnvKeys: append(keys, "PIP_CACHE_DIR", "PYTHONDONTWRITEBYTECODE")})
		spec.Env = mergeEnv(j.env, map[string]string{"PIP_CACHE_DIR": "/pip-cache"})
		spec.OnKill = func() { removeContainer(docker, name, j.env) }
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
		e := classify(output, project, j.src)
		if j.req.Package.UseContainer {
			e = remapContainer(e, j.src)
		}
		enrich(e, j.src)
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
		if err := os.WriteFile(samPath, fixed, 0o644); err != nil {
			return nil, ioErr("write the fixed template", err)
		}
	}
	m := meta{Key: key, Stage: j.stage, Fixups: fixups, Output: string(output), DurationMs: time.Since(start).Milliseconds(),
		Chalice: j.probe.Chalice, Python: j.probe.Python, HasLayer: exists(filepath.Join(out, "layer-deployment.zip")), Created: time.Now()}
	mb, _ := json.MarshalIndent(m, "", "  ")
	if err := os.WriteFile(filepath.Join(out, "meta.json"), mb, 0o644); err != nil {
		return nil, ioErr("write the cache entry", err)
	}
	final := filepath.Join(p.cacheDir, "packages", key)
	if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
		return nil, ioErr("create the cache directory", err)
	}
	if err := os.Rename(out, final); err != nil {
		// Another process published the same key first; its files are equivalent.
		if !exists(filepath.Join(final, "meta.json")) {
			return nil, ioErr("publish the package into the cache", err)
		}
	}
	res, err := p.resultFrom(final, &m)
	if err != nil {
		return nil, err
	}
	p.logf("packager: %s stage %s: packaged in %s (%s)", j.src, j.stage, time.Since(start).Round(time.Millisecond), key[:12])
	p.maybePrune()
	return res, nil
}

// Cache entries unused for PruneAge are deleted, as are work directories older
// than a day (left by a process that was killed mid-run).
const (
	PruneAge   = 30 * 24 * time.Hour
	workMaxAge = 24 * time.Hour
)

// maybePrune trims the cache at most once an hour per Packager.
func (p *Packager) maybePrune() {
	p.mu.Lock()
	if !p.lastPrune.IsZero() && time.Since(p.lastPrune) < time.Hour {
		p.mu.Unlock()
		return
	}
	p.lastPrune = time.Now()
	p.mu.Unlock()
	now := time.Now()
	pkgs := filepath.Join(p.cacheDir, "packages")
	if ents, err := os.ReadDir(pkgs); err == nil {
		for _, e := range ents {
			// meta.json's mtime is the last use: disk hits touch it.
			st, err := os.Stat(filepath.Join(pkgs, e.Name(), "meta.json"))
			if err == nil && now.Sub(st.ModTime()) < PruneAge {
				continue
			}
			if err != nil {
				if info, ierr := e.Info(); ierr != nil || now.Sub(info.ModTime()) < workMaxAge {
					continue // maybe being published right now
				}
			}
			p.mu.Lock()
			delete(p.mem, e.Name())
			p.mu.Unlock()
			os.RemoveAll(filepath.Join(pkgs, e.Name()))
		}
	}
	work := filepath.Join(p.cacheDir, "work")
	if ents, err := os.ReadDir(work); err == nil {
		for _, e := range ents {
			if info, err := e.Info(); err == nil && now.Sub(info.ModTime()) > workMaxAge {
				os.RemoveAll(filepath.Join(work, e.Name()))
			}
		}
	}
}

func isExitError(err error) bool {
	var ee interface{ ExitCode() int }
	return errors.As(err, &ee)
}

func ioErr(what string, err error) *Error {
	return &Error{Class: ClassIO, Message: "could not " + what + ": " + err.Error(), Hint: "check that the cache directory is writable and the disk is not full"}
}

// remapContainer maps /app paths in a container traceback back to the project.
func remapContainer(e *Error, src string) *Error {
	if e.File == "" {
		e.File, e.Line = userFrame(string(e.Output), "", src)
		if e.File != "" && e.Class == ClassFailed {
			e.Class = ClassAppImport
		}
	}
	return e
}

// enrich points config errors at the line of the key chalice complained about, and
// duplicate-name errors at the handler that collides.
func enrich(e *Error, src string) {
	if e.Line != 0 || e.File == "" {
		return
	}
	b, err := os.ReadFile(e.File)
	if err != nil {
		return
	}
	text := string(e.Output)
	switch {
	case e.Class == ClassInvalidConfig && strings.Contains(text, "Unknown version"):
		e.Line = keyLine(b, "version")
	case e.Class == ClassInvalidConfig && strings.Contains(text, "Invalid VPC params"):
		e.Line = keyLine(b, "subnet_ids", "security_group_ids")
	case e.Class == ClassInvalidConfig && strings.Contains(text, "IAM policy file"):
		e.Line = keyLine(b, "iam_policy_file", "autogen_policy")
	case e.Class == ClassInvalidConfig && strings.Contains(text, "_create_domain_name_model"):
		e.Line = keyLine(b, "api_gateway_custom_domain", "websocket_api_custom_domain")
	case e.Class == ClassDuplicateName:
		if all := reDuplicate.FindAllStringSubmatch(text, -1); all != nil {
			id := all[len(all)-1][1]
			names := colliding(string(b), id)
			if len(names) >= 2 {
				e.Line = names[1].line
				e.Message = fmt.Sprintf("handlers %q (line %d) and %q (line %d) both get the CloudFormation logical ID %q: Chalice drops '_' and '-' and capitalises the letter after them",
					names[0].name, names[0].line, names[1].name, names[1].line, id)
			} else if len(names) == 1 {
				e.Line = names[0].line
			}
		}
	case e.Class == ClassUnsupported:
		if i := strings.Index(string(b), "on_s3_event"); i >= 0 {
			e.Line = lineOf(b, i)
		}
	}
}

var (
	reDef     = regexp.MustCompile(`(?m)^[ \t]*(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)`)
	reNameArg = regexp.MustCompile(`name[ \t]*=[ \t]*['"]([^'"]+)['"]`)
)

type namedLine struct {
	name string
	line int
}

// colliding finds the handler names in app.py (def names and name= arguments) whose
// logical ID is id, in source order.
func colliding(src, id string) []namedLine {
	var out []namedLine
	for _, re := range []*regexp.Regexp{reDef, reNameArg} {
		for _, m := range re.FindAllStringSubmatchIndex(src, -1) {
			if name := src[m[2]:m[3]]; naming.LogicalID(name) == id {
				out = append(out, namedLine{name, lineOf([]byte(src), m[2])})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].line < out[j].line })
	return out
}

// seedDeployments links the project's stored chalice zips into a run's private
// .chalice/deployments, so chalice reuses them. Chalice only reads existing zips
// (it copies them into the output), so sharing the inode is safe.
func (p *Packager) seedDeployments(store, dst string) error {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	ents, err := os.ReadDir(store)
	if err != nil {
		return nil // no store yet
	}
	for _, e := range ents {
		if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), ".zip") {
			continue
		}
		s := filepath.Join(store, e.Name())
		if err := os.Link(s, filepath.Join(dst, e.Name())); err != nil {
			if _, err := copyFileHash(s, filepath.Join(dst, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// keepDeployments moves zips chalice created in a successful run into the project's
// store (a failed or killed run may leave a half-written zip, so only successes
// count), then trims the store to the newest KeepZips.
func (p *Packager) keepDeployments(dir, store string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	_ = os.MkdirAll(store, 0o755)
	now := time.Now()
	for _, e := range ents {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasSuffix(name, ".zip") || strings.HasSuffix(name, ".tmp.zip") {
			continue
		}
		s := filepath.Join(store, name)
		if exists(s) {
			_ = os.Chtimes(s, now, now) // recently used: keep it when trimming
			continue
		}
		tmp := s + ".tmp-" + randHex(4)
		if err := os.Link(filepath.Join(dir, name), tmp); err != nil {
			if _, err := copyFileHash(filepath.Join(dir, name), tmp); err != nil {
				os.Remove(tmp)
				continue
			}
		}
		if err := os.Rename(tmp, s); err != nil {
			os.Remove(tmp)
		}
	}
	ents, err = os.ReadDir(store)
	if err != nil {
		return
	}
	type zf struct {
		name string
		mod  time.Time
	}
	var zs []zf
	for _, e := range ents {
		if info, err := e.Info(); err == nil && strings.HasSuffix(e.Name(), ".zip") {
			zs = append(zs, zf{e.Name(), info.ModTime()})
		}
	}
	sort.Slice(zs, func(i, j int) bool { return zs[i].mod.After(zs[j].mod) })
	for i := p.opts.KeepZips; i < len(zs); i++ {
		os.Remove(filepath.Join(store, zs[i].name))
	}
}

// loadDisk returns the cached package for key, or nil.
func (p *Packager) loadDisk(key string) *Result {
	dir := filepath.Join(p.cacheDir, "packages", key)
	b, err := os.ReadFile(filepath.Join(dir, "meta.json"))
	if err != nil {
		return nil
	}
	var m meta
	if json.Unmarshal(b, &m) != nil || m.Key != key {
		return nil
	}
	res, err := p.resultFrom(dir, &m)
	if err != nil {
		return nil
	}
	now := time.Now()
	_ = os.Chtimes(filepath.Join(dir, "meta.json"), now, now) // last use, for pruning
	return res
}

// resultFrom builds a Result for a published package directory.
func (p *Packager) resultFrom(dir string, m *meta) (*Result, error) {
	samPath := filepath.Join(dir, "sam.json")
	src, err := os.ReadFile(samPath)
	if err != nil {
		return nil, ioErr("read the packaged template", err)
	}
	t, err := template.Parse(samPath, src)
	if err != nil {
		return nil, &Error{Class: ClassFailed, Message: "chalice wrote a template that cannot be read: " + err.Error(), Output: []byte(m.Output)}
	}
	r := &Result{Dir: dir, TemplatePath: samPath, DeploymentZip: filepath.Join(dir, "deployment.zip"),
		Template: t, Stage: m.Stage, Key: m.Key, Fixups: m.Fixups, Output: []byte(m.Output),
		ChaliceVersion: m.Chalice, PythonVersion: m.Python}
	if m.HasLayer {
		r.LayerZip = filepath.Join(dir, "layer-deployment.zip")
	}
	return r, nil
}

func randHex(n int) string {
	b := make([]byte, n)
	if _, err := io.ReadFull(rand.Reader, b); err != nil {
		return fmt.Sprint(time.Now().UnixNano())
	}
	return hex.EncodeToString(b)
}
