//go:build unix && !linux

package packager

import "syscall"

// childAttr starts a child in its own process group (see proc_linux.go; other
// Unixes have no parent-death signal).
func childAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }
