// Package packager runs the real `chalice package` behind one Go API shared by the
// language server, the CLI and the CDK construct, so what the editor shows is what
// deploys.
//
// A request names a Chalice project, a stage and a stage config. The packager:
//
//   - copies what Chalice reads (app.py, chalicelib/, vendor/, requirements.txt,
//     .chalice/ config and policy files) into a private work directory and applies
//     the stage config to the copied config.json the way the request's construct
//     flavour does (effective.ApplyStageConfig); the user's directory is only ever
//     read;
//   - runs chalice from the project's interpreter (subprocess mode) or inside a
//     `docker run` (container mode), in its own process group, killed with all its
//     children on cancel or timeout;
//   - caches the output on disk under a content hash of everything that changes it, so
//     identical inputs never run chalice again, even after a restart; concurrent
//     requests for the same inputs share one run, and a request can supersede an older
//     one for the same project;
//   - keeps Chalice's own zip cache (.chalice/deployments) per project inside the
//     cache directory so dependency builds are not repeated;
//   - classifies failures into *Error values that say what happened, where, and what
//     to do, and fixes known defects of the output (reported in Result.Fixups).
package packager

import (
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chalice-lsp/chalice-lsp/packager/template"
	"github.com/chalice-lsp/chalice-lsp/schema/effective"
)

// DefaultTimeout bounds one chalice run when neither the request nor the options set one.
const DefaultTimeout = 120 * time.Second

// DefaultStage is the Chalice stage used when a request names none (Chalice's own default).
const DefaultStage = "dev"

// PackageConfig selects how chalice runs (cdk-chalice's PackageConfig).
type PackageConfig struct {
	// UseContainer runs chalice inside `docker run` so native dependencies build for
	// Lambda's Linux.
	UseContainer bool
	// Image is the container image; "" means public.ecr.aws/sam/build-python<X.Y>
	// for the interpreter's Python version.
	Image string
	// Env is added to the inherited environment (subprocess mode) or passed into the
	// container (container mode, by name only: values travel in the docker process's
	// environment, never in its argument list).
	Env map[string]string
}

// Request is one packaging job.
type Request struct {
	// SourceDir is the Chalice project directory (the one holding .chalice/config.json).
	SourceDir string
	// Stage is the Chalice stage; "" means "dev".
	Stage string
	// StageConfig is a construct's stage_config, applied to a private copy of the
	// project config as StageConfigMode says (effective.ApplyStageConfig). May be
	// nil. Values only known at synth time (jsonpos.OpaqueValue) are packaged as
	// their token string (jsonpos.OpaqueValue.Token).
	StageConfig map[string]any
	// StageConfigMode is the construct flavour's way of applying StageConfig:
	// effective.MergeIntoStage for chalice-lsp's construct (objects merge key by
	// key into stages.<Stage>, anything else replaces), effective.ReplaceStage for
	// cdk-chalice, effective.UserParams (the zero value) for chalice.cdk.Chalice.
	StageConfigMode effective.OverlayMode
	Package         PackageConfig
	// Python is the interpreter (or a virtualenv directory) to run chalice with; ""
	// detects one: .venv or venv in the project and its parents, $VIRTUAL_ENV, then
	// chalice or python3 on PATH.
	Python string
	// Timeout bounds the chalice run; 0 means Options.Timeout, then DefaultTimeout.
	Timeout time.Duration
	// OutDir receives copies of sam.json, deployment.zip and layer-deployment.zip;
	// "" leaves the result in the cache directory (do not modify files there).
	OutDir string
	// Supersede, when not empty, is a slot key (typically the project directory): a
	// newer request with the same slot cancels this one if it is still waiting, and
	// this one then fails with ClassSuperseded.
	Supersede string
}

// Result is a packaged project.
type Result struct {
	// Dir holds sam.json, deployment.zip and, with a managed layer,
	// layer-deployment.zip. It is OutDir when one was requested, else a directory in
	// the cache that callers must treat as read-only.
	Dir           string
	TemplatePath  string
	DeploymentZip string
	// LayerZip is "" when the app has no managed layer.
	LayerZip string
	// Template is the parsed sam.json; shared between results of the same key, so
	// treat it as read-only.
	Template *template.Template
	// Stage is the Chalice stage that was packaged.
	Stage string
	// Key is the cache key (hex SHA-256 of every input that changes the output).
	Key string
	// Cached is true when no chalice process ran for this request.
	Cached bool
	// Duration is the wall time of this request.
	Duration time.Duration
	// Fixups describe changes made to chalice's output (e.g. chalice #2079).
	Fixups []string
	// Output is chalice's combined stdout and stderr from the run that produced
	// the result.
	Output []byte
	// ChaliceVersion and PythonVersion are those of the interpreter that packaged
	// (for container mode: the host interpreter the container was matched to).
	ChaliceVersion, PythonVersion string
}

// Options configure a Packager.
type Options struct {
	// CacheDir holds packaged results, Chalice zip caches and work directories; ""
	// means <os.UserCacheDir()>/chalice-lsp (XDG_CACHE_HOME on Linux).
	CacheDir string
	// Environ is the base environment of chalice runs; nil means os.Environ().
	Environ []string
	// Python is the default interpreter for requests that name none.
	Python string
	// Timeout is the default run timeout; 0 means DefaultTimeout.
	Timeout time.Duration
	// Docker is the docker client to run in container mode; "" looks up "docker"
	// on the PATH of the effective environment.
	Docker string
	// KeepZips is how many Chalice deployment zips to keep per project; 0 means 8.
	KeepZips int
	// Logf, when set, receives one line per notable event (runs, cache hits).
	Logf func(format string, args ...any)
}

// Stats counts what a Packager did since it was created.
type Stats struct {
	// Runs is the number of chalice processes (or docker runs) started.
	Runs int64
	// MemoryHits and DiskHits count requests answered from the cache.
	MemoryHits, DiskHits int64
	// Shared counts requests that joined a run already in flight.
	Shared int64
}

// Packager runs and caches chalice packaging. It is safe for concurrent use; create
// one per process and share it.
type Packager struct {
	opts     Options
	cacheDir string

	runs, memHits, diskHits, shared atomic.Int64
	seq                             atomic.Int64

	mu       sync.Mutex
	mem      map[string]*entry   // key -> finished result or deterministic failure
	memClock int64               // counts uses of mem entries
	flights  map[string]*flight  // key -> run in progress
	slots    map[string]*slotReq // Supersede slot -> latest request (kept when it ends, for its seq)
	hashMemo map[string]fileStamp
	probes   map[string]*probe // interpreter path -> probe result

	lastPrune time.Time
	// cacheChecked is set once EnsureCacheDir found the cache directory private.
	cacheChecked bool
}

// New returns a Packager. It creates nothing on disk until the first request.
func New(opts Options) *Packager {
	dir := opts.CacheDir
	if dir == "" {
		dir = defaultCacheDir()
	}
	if abs, err := filepath.Abs(dir); dir != "" && err == nil {
		dir = abs
	}
	if opts.KeepZips <= 0 {
		opts.KeepZips = 8
	}
	return &Packager{
		opts:     opts,
		cacheDir: dir,
		mem:      map[string]*entry{},
		flights:  map[string]*flight{},
		slots:    map[string]*slotReq{},
		hashMemo: map[string]fileStamp{},
		probes:   map[string]*probe{},
	}
}

// CacheDir returns the directory the packager caches into.
func (p *Packager) CacheDir() string { return p.cacheDir }

// Stats returns counters of what the packager did.
func (p *Packager) Stats() Stats {
	return Stats{Runs: p.runs.Load(), MemoryHits: p.memHits.Load(), DiskHits: p.diskHits.Load(), Shared: p.shared.Load()}
}

func (p *Packager) logf(format string, args ...any) {
	if p.opts.Logf != nil {
		p.opts.Logf(format, args...)
	}
}
