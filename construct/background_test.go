package construct_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"syscall"
	"time"
)

// job is a slow external command (a Python CDK synth, a `cdk synth` CLI run) that
// tests wait for. When the whole suite runs, TestMain starts them at once so that
// they overlap with the in-process synthesis instead of adding to it.
type job struct {
	name  string
	once  sync.Once
	start func() *exec.Cmd
	done  chan struct{}
	out   bytes.Buffer
	err   error
	dir   string // scratch directory of the job
	cmd   *exec.Cmd
}

// jobTimeout bounds each background command; Python CDK apps take 20-120 s on a
// loaded 2-core machine.
const jobTimeout = 6 * time.Minute

var (
	jobsMu sync.Mutex
	jobs   = map[string]*job{}
)

// defineJob registers a job; build prepares its scratch dir and returns the command.
func defineJob(name string, build func(dir string) *exec.Cmd) *job {
	j := &job{name: name, done: make(chan struct{})}
	j.start = func() *exec.Cmd {
		dir, err := os.MkdirTemp("", "construct-"+name+"-")
		if err != nil {
			j.err = err
			return nil
		}
		j.dir = dir
		addCleanup(func() { os.RemoveAll(dir) })
		return build(dir)
	}
	jobsMu.Lock()
	jobs[name] = j
	jobsMu.Unlock()
	return j
}

// run starts the job once; safe to call many times.
func (j *job) run() {
	j.once.Do(func() {
		cmd := j.start()
		if cmd == nil {
			close(j.done)
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), jobTimeout)
		c := exec.CommandContext(ctx, cmd.Path, cmd.Args[1:]...)
		c.Dir, c.Env = cmd.Dir, cmd.Env
		// jsii unpacks aws-cdk-lib into its package cache on first use, and two
		// kernels unpacking into the same cache at once fail with ENOTEMPTY. Each
		// background job gets a cache of its own (kept between runs, like the shared
		// one), so a fresh machine's first `make test` cannot race.
		c.Env = append(c.Env, "JSII_RUNTIME_PACKAGE_CACHE_ROOT="+filepath.Join(jsiiCacheRoot(), "job-"+j.name))
		c.Stdout, c.Stderr = &j.out, &j.out
		// Own process group, so a timeout or the end of the tests kills node and
		// python children too.
		c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		c.Cancel = func() error { return syscall.Kill(-c.Process.Pid, syscall.SIGKILL) }
		c.WaitDelay = 5 * time.Second
		j.cmd = c
		if err := c.Start(); err != nil {
			j.err = err
			cancel()
			close(j.done)
			return
		}
		addCleanup(func() {
			cancel()
			<-j.done
		})
		go func() {
			j.err = c.Wait()
			cancel()
			close(j.done)
		}()
	})
}

// wait starts the job if needed and waits for it.
func (j *job) wait() (output string, err error) {
	j.run()
	<-j.done
	return j.out.String(), j.err
}

// startJobsFor starts the jobs whose tests the -test.run pattern selects.
func startJobsFor(tests map[string][]string) {
	pattern := ""
	if f := flag.Lookup("test.run"); f != nil {
		pattern = f.Value.String()
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return
	}
	for name, testNames := range tests {
		for _, tn := range testNames {
			if pattern == "" || re.MatchString(tn) {
				jobs[name].run()
				break
			}
		}
	}
}

// copyTree copies a directory (regular files and directories only).
func copyTree(src, dst string) error {
	return filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !info.Mode().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, info.Mode().Perm())
	})
}

// jsiiCacheRoot is the jsii package cache of this test binary's in-process kernel:
// $JSII_RUNTIME_PACKAGE_CACHE_ROOT (the Makefile points it into .tools), else a folder
// under the user cache dir.
func jsiiCacheRoot() string {
	if root := os.Getenv("JSII_RUNTIME_PACKAGE_CACHE_ROOT"); root != "" {
		return root
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "chalice-lsp-jsii")
}
