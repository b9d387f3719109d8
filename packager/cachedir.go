package packager

// The cache directory holds templates (with environment-variable values from the
// config and the stage config) and deployment zips, and `package` and the construct
// deploy what they find there. So it must be private: created 0700 with files 0600,
// owned by the user, writable by nobody else, and never a predictable shared path
// such as /tmp/chalice-lsp-cache-<uid> that another user could create first.

import (
	"fmt"
	"os"
	"path/filepath"
)

// defaultCacheDir is <user cache dir>/chalice-lsp ($XDG_CACHE_HOME or ~/.cache on
// Linux). Without either, a fresh private temporary directory: nothing is shared
// with, or predictable by, another user (the cache then lasts one process).
func defaultCacheDir() string {
	if base, err := os.UserCacheDir(); err == nil && base != "" {
		return filepath.Join(base, "chalice-lsp")
	}
	if d, err := os.MkdirTemp("", "chalice-lsp-cache-"); err == nil {
		return d
	}
	return "" // EnsureCacheDir reports it
}

// EnsureCacheDir creates the cache directory (0700) if needed and checks that it
// is safe to trust: a directory owned by the current user that no other user can
// write. A directory of ours that others can only read (made by an older version)
// is made private; anything else is refused with an error that says what to do.
// The check is repeated until it succeeds once.
func (p *Packager) EnsureCacheDir() (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cacheChecked {
		return p.cacheDir, nil
	}
	dir := p.cacheDir
	if dir == "" {
		return "", &Error{Class: ClassIO, Message: "no cache directory: neither XDG_CACHE_HOME nor HOME is set and no temporary directory could be created",
			Hint: "set XDG_CACHE_HOME, or pass --cache-dir"}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", ioErr("create the cache directory "+dir, err)
	}
	if err := checkPrivateDir(dir); err != nil {
		return "", &Error{Class: ClassIO, File: dir, Message: "refusing to use the cache directory " + dir + ": " + err.Error(),
			Hint: "another user could have planted packages there that would then be deployed; remove it, or set XDG_CACHE_HOME or --cache-dir to a directory of your own"}
	}
	p.cacheChecked = true
	return dir, nil
}

// privatize makes a finished package directory private (0700 directories, 0600
// files): chalice writes its output with the process umask.
func privatize(dir string) {
	_ = filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return nil
		}
		switch {
		case info.IsDir():
			_ = os.Chmod(path, 0o700)
		case info.Mode().IsRegular():
			_ = os.Chmod(path, 0o600)
		}
		return nil
	})
}

func errNotPrivate(format string, args ...any) error { return fmt.Errorf(format, args...) }
