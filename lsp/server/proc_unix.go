//go:build !windows

package server

import (
	"errors"
	"syscall"
)

// processGone reports whether no process pid exists any more.
func processGone(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err != nil && errors.Is(err, syscall.ESRCH)
}
