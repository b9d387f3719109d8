//go:build !unix

package safefile

import "os"

// openNonBlocking opens path read-only. Outside Unix there are no FIFOs or device
// nodes in the file system to block on; Open still checks the type on the handle.
func openNonBlocking(path string) (*os.File, error) { return os.Open(path) }
