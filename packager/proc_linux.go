package packager

import "syscall"

// childAttr starts a child (chalice, the interpreter probe, the docker client) in its
// own process group, so killing the group stops everything it started, and asks the
// kernel to send it SIGTERM when the server dies, even by SIGKILL (PR_SET_PDEATHSIG).
// chaliceMain answers that SIGTERM by killing its whole group, grandchildren
// included, which a parent-death signal alone would not reach.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
}
