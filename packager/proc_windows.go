//go:build windows

package packager

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// procGroup is a started process and every process it starts, ended together. On
// Windows it is a job object with JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE: the process
// starts suspended, joins the job, then resumes, so even what it starts at once is
// in the job. kill terminates the job; and as only this process holds the job's
// handle, the job (and every process in it) also ends when the server dies.
type procGroup struct {
	cmd *exec.Cmd
	job windows.Handle
}

var ntResumeProcess = windows.NewLazySystemDLL("ntdll.dll").NewProc("NtResumeProcess")

func newProcGroup(cmd *exec.Cmd) *procGroup {
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: windows.CREATE_SUSPENDED | windows.CREATE_NEW_PROCESS_GROUP}
	return &procGroup{cmd: cmd}
}

func (g *procGroup) start() error {
	job, err := windows.CreateJobObject(nil, nil)
	if err != nil {
		return fmt.Errorf("creating a job object for the chalice process: %w", err)
	}
	info := windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION{}
	info.BasicLimitInformation.LimitFlags = windows.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
	if _, err := windows.SetInformationJobObject(job, windows.JobObjectExtendedLimitInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info))); err != nil {
		windows.CloseHandle(job)
		return fmt.Errorf("configuring the job object for the chalice process: %w", err)
	}
	if err := g.cmd.Start(); err != nil {
		windows.CloseHandle(job)
		return err
	}
	g.job = job
	h, err := windows.OpenProcess(windows.PROCESS_SET_QUOTA|windows.PROCESS_TERMINATE|windows.PROCESS_SUSPEND_RESUME, false, uint32(g.cmd.Process.Pid))
	if err == nil {
		err = windows.AssignProcessToJobObject(job, h)
		if err == nil {
			if r, _, _ := ntResumeProcess.Call(uintptr(h)); r != 0 {
				err = fmt.Errorf("NtResumeProcess: status 0x%x", r)
			}
		}
		windows.CloseHandle(h)
	}
	if err != nil {
		_ = g.cmd.Process.Kill()
		_ = g.cmd.Wait()
		g.close()
		return fmt.Errorf("starting the chalice process in a job object: %w", err)
	}
	return nil
}

// kill ends every process of the job that is still running.
func (g *procGroup) kill() {
	if g.job != 0 {
		_ = windows.TerminateJobObject(g.job, 1)
	}
}

// close releases the job (which also ends any process still in it).
func (g *procGroup) close() {
	if g.job != 0 {
		windows.CloseHandle(g.job)
		g.job = 0
	}
}

// killGroupOnCancel: on Windows the default Cancel (TerminateProcess) is used; the
// interpreter probe starts no children.
func killGroupOnCancel(cmd *exec.Cmd) {}

// fileID is 0 on Windows (a file index needs the file opened): size and mtime stamp it.
func fileID(st os.FileInfo) uint64 { return 0 }
