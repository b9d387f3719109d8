package packager

// Chalice's own zip cache (.chalice/deployments), kept per project in the cache
// directory so that the user's project is never written.

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

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
		if err := linkOrCopy(filepath.Join(store, e.Name()), filepath.Join(dst, e.Name())); err != nil {
			return err
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
	_ = os.MkdirAll(store, 0o700)
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
		if linkOrCopy(filepath.Join(dir, name), tmp) == nil {
			_ = os.Rename(tmp, s) // atomic: a concurrent run sees the whole zip or none
		}
		os.Remove(tmp) // left only when the copy or the rename failed

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

// linkOrCopy hard-links src to dst, or copies it where a link is impossible (the
// cache and the work directory on different file systems).
func linkOrCopy(src, dst string) error {
	if os.Link(src, dst) == nil {
		return nil
	}
	_, err := copyFileHash(src, dst)
	return err
}
