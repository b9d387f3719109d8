// Package jobs runs keyed background work (packaging a Chalice project) with
// debouncing: scheduling a key again drops that key's pending job, so a burst of
// saves runs once. It does not supersede running work: the packager owns that
// (packager.Request.Supersede), because it alone sees every request (explicit
// commands too) and knows whether a newer one has other inputs (cancel the older
// run) or the same (join it). A key's newer job therefore starts while its older
// one still runs, on the worker the key already holds; jobs for different keys
// share a small worker budget so background work never takes every core.
package jobs

import (
	"context"
	"sync"
	"time"
)

// Runner schedules jobs. The zero value is not usable; call New.
type Runner struct {
	ctx    context.Context
	cancel context.CancelFunc
	sem    chan struct{}
	wg     sync.WaitGroup

	mu    sync.Mutex
	slots map[string]*slot
}

type slot struct {
	gen     uint64
	timer   *time.Timer
	cancels map[uint64]context.CancelFunc // of the running jobs, by gen (for Cancel)
	running int                           // jobs of the key running (or waiting for a worker)
	held    bool                          // the key holds a worker while any of its jobs runs
}

// New returns a runner whose jobs run under parent with at most parallelism jobs at
// once (minimum 1).
func New(parent context.Context, parallelism int) *Runner {
	if parallelism < 1 {
		parallelism = 1
	}
	ctx, cancel := context.WithCancel(parent)
	return &Runner{ctx: ctx, cancel: cancel, sem: make(chan struct{}, parallelism), slots: map[string]*slot{}}
}

// Schedule runs fn for key after delay; an earlier pending job for key never
// runs. A running one is left to the packager to supersede or join. fn's context
// is cancelled by Cancel(key) and Close (fn must honour it).
func (r *Runner) Schedule(key string, delay time.Duration, fn func(ctx context.Context)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ctx.Err() != nil {
		return
	}
	s := r.slots[key]
	if s == nil {
		s = &slot{cancels: map[uint64]context.CancelFunc{}}
		r.slots[key] = s
	}
	s.gen++
	gen := s.gen
	if s.timer != nil && s.timer.Stop() {
		r.wg.Done() // the stopped timer's func will never run
	}
	r.wg.Add(1)
	s.timer = time.AfterFunc(delay, func() {
		defer r.wg.Done()
		r.run(key, s, gen, fn)
	})
}

func (r *Runner) run(key string, s *slot, gen uint64, fn func(ctx context.Context)) {
	r.mu.Lock()
	if s.gen != gen || r.ctx.Err() != nil {
		r.mu.Unlock()
		return
	}
	ctx, cancel := context.WithCancel(r.ctx)
	s.cancels[gen] = cancel
	s.running++
	held := s.held
	r.mu.Unlock()
	defer func() {
		cancel()
		r.mu.Lock()
		delete(s.cancels, gen)
		s.running--
		release := s.running == 0 && s.held
		if release {
			s.held = false
		}
		r.mu.Unlock()
		if release {
			<-r.sem
		}
	}()
	if !held {
		select {
		case r.sem <- struct{}{}:
			r.mu.Lock()
			extra := s.held // another job of the key took a worker meanwhile
			s.held = true
			r.mu.Unlock()
			if extra {
				<-r.sem
			}
		case <-ctx.Done():
			return
		}
	}
	if ctx.Err() == nil {
		fn(ctx)
	}
}

// Cancel drops the pending or running job for key.
func (r *Runner) Cancel(key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.slots[key]
	if s == nil {
		return
	}
	s.gen++
	if s.timer != nil && s.timer.Stop() {
		r.wg.Done()
	}
	for _, c := range s.cancels {
		c()
	}
}

// Close cancels every job and waits for running ones to return.
func (r *Runner) Close() {
	r.mu.Lock()
	r.cancel()
	for _, s := range r.slots {
		if s.timer != nil && s.timer.Stop() {
			r.wg.Done()
		}
	}
	r.mu.Unlock()
	r.wg.Wait()
}
