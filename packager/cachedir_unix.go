//go:build unix

package packager

import (
	"os"
	"syscall"
)

// checkPrivateDir checks that dir (symlinks followed) is a directory owned by the
// current user and writable by no one else; a directory of ours that is merely
// readable by others becomes 0700.
func checkPrivateDir(dir string) error {
	st, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return errNotPrivate("it is not a directory")
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	if uid := os.Getuid(); int(sys.Uid) != uid {
		return errNotPrivate("it belongs to user %d, not to you (user %d)", sys.Uid, uid)
	}
	if st.Mode().Perm()&0o022 != 0 {
		return errNotPrivate("other users can write to it (mode %04o)", st.Mode().Perm())
	}
	if st.Mode().Perm()&0o077 != 0 {
		return os.Chmod(dir, 0o700)
	}
	return nil
}
