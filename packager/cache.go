package packager

// The result cache: outcomes in memory (bounded) and packages on disk under
// <CacheDir>/packages/<key>, pruned when unused.

import (
	"encoding/json"
	"github.com/chalice-lsp/chalice-lsp/internal/safefile"
	"os"
	"path/filepath"
	"time"

	"github.com/chalice-lsp/chalice-lsp/packager/template"
)

// entry is a remembered outcome: a result, or a deterministic failure.
type entry struct {
	res  *Result
	err  *Error
	used int64 // p.memClock at the last use, for evicting the least recently used
}

// maxTemplate bounds the size of a template read from the cache (CloudFormation's
// own limit for a template is 1 MB; chalice's are far smaller).
const maxTemplate = 64 << 20

// memEntries bounds the outcomes kept in memory. Every edit of a project makes a new
// key, so a long-running server would otherwise keep every template it ever parsed;
// evicted results are still on disk.
const memEntries = 64

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

// remember keeps an outcome in memory, evicting the least recently used one beyond
// memEntries. p.mu must be held.
func (p *Packager) remember(key string, e *entry) {
	p.memClock++
	e.used = p.memClock
	p.mem[key] = e
	for len(p.mem) > memEntries {
		oldest := ""
		for k, o := range p.mem {
			if oldest == "" || o.used < p.mem[oldest].used {
				oldest = k
			}
		}
		delete(p.mem, oldest)
	}
}

// loadDisk returns the cached package for key, or nil. A damaged entry (torn or
// edited files) counts as a miss: the new run replaces it (publish).
func (p *Packager) loadDisk(key string) *Result {
	dir := filepath.Join(p.cacheDir, "packages", key)
	res := p.readEntry(dir, key)
	if res == nil {
		if exists(dir) {
			p.logf("packager: the cache entry %s is damaged; packaging again to replace it", dir)
		}
		return nil
	}
	now := time.Now()
	_ = os.Chtimes(filepath.Join(dir, "meta.json"), now, now) // last use, for pruning
	return res
}

// readEntry reads the published package in dir, or nil when it is missing or
// damaged.
func (p *Packager) readEntry(dir, key string) *Result {
	b, err := safefile.Read(filepath.Join(dir, "meta.json"))
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
	return res
}

// publish moves a finished package directory out to final atomically. When final
// exists, another process published the same key first (its files are
// equivalent) and out is dropped, unless that entry is damaged: then it is
// replaced, renamed aside first so no reader ever sees a half-replaced entry.
func (p *Packager) publish(out, final, key string) error {
	err := os.Rename(out, final)
	if err == nil || !exists(final) {
		return err
	}
	if p.readEntry(final, key) != nil {
		return nil
	}
	aside := final + ".damaged-" + randHex(4)
	if err := os.Rename(final, aside); err != nil {
		return err
	}
	defer os.RemoveAll(aside)
	return os.Rename(out, final)
}

// resultFrom builds a Result for a published package directory.
func (p *Packager) resultFrom(dir string, m *meta) (*Result, error) {
	samPath := filepath.Join(dir, "sam.json")
	src, err := safefile.ReadMax(samPath, maxTemplate)
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
