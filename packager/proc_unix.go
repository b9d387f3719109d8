//go:build unix

package packager

import (
	"os"
	"os/exec"
	"syscall"
)

// procGroup is a started process and every process it starts, ended together. On Unix
// it is a process group: the child leads a new group, which its children join.
type procGroup struct{ cmd *exec.Cmd }

func newProcGroup(cmd *exec.Cmd) *procGroup {
	cmd.SysProcAttr = childAttr()
	return &procGroup{cmd: cmd}
}

func (g *procGroup) start() error { return g.cmd.Start() }

// kill ends every process of the group that is still running.
func (g *procGroup) kill() { _ = syscall.Kill(-g.cmd.Process.Pid, syscall.SIGKILL) }

// close releases what the group holds (nothing on Unix).
func (g *procGroup) close() {}

// killGroupOnCancel makes an exec.CommandContext command end its whole process group
// when the context ends.
func killGroupOnCancel(cmd *exec.Cmd) {
	cmd.SysProcAttr = childAttr()
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}

// fileID is the inode of a file (0 when unknown): part of a file's version stamp.
func fileID(st os.FileInfo) uint64 {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return uint64(s.Ino)
	}
	return 0
}
