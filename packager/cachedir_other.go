//go:build !unix

package packager

import "os"

// checkPrivateDir checks that dir is a directory (file ownership is not checked
// outside Unix; the user's profile directory is private there).
func checkPrivateDir(dir string) error {
	st, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return errNotPrivate("it is not a directory")
	}
	return nil
}
