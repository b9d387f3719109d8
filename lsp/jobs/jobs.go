// Package jobs runs keyed background work (packaging a Chalice project) with
// debouncing and supersession: scheduling a key again cancels that key's pending
// or running job, so only the newest request for a project does real work. Jobs
// for different keys share a small worker budget so background work never takes
// every core.
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
	gen    uint64
	timer  *time.Timer
	cancel context.CancelFunc // of the running job, if any
	done   chan struct{}      // closed when the latest started job returns
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

// Schedule runs fn for key after delay, superseding any earlier job for key: a
// pending one never runs, a running one has its context cancelled (fn must honour
// it) and finishes before the new one starts. fn's context is also cancelled by
// Close.
func (r *Runner) Schedule(key string, delay time.Duration, fn func(ctx context.Context)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ctx.Err() != nil {
		return
	}
	s := r.slots[key]
	if s == nil {
		s = &slot{}
		r.slots[key] = s
	}
	s.gen++
	gen := s.gen
	if s.timer != nil && s.timer.Stop() {
		r.wg.Done() // the stopped timer's func will never run
	}
	if s.cancel != nil {
		s.cancel()
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
	prev := s.done
	done := make(chan struct{})
	s.cancel, s.done = cancel, done
	r.mu.Unlock()
	defer close(done)
	defer cancel()

	if prev != nil {
		select {
		case <-prev: // the superseded run has wound down
		case <-ctx.Done():
			return
		}
	}
	select {
	case r.sem <- struct{}{}:
	case <-ctx.Done():
		return
	}
	defer func() { <-r.sem }()
	if ctx.Err() == nil {
		fn(ctx)
	}
	r.mu.Lock()
	if s.gen == gen {
		s.cancel = nil
	}
	r.mu.Unlock()
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
	if s.cancel != nil {
		s.cancel()
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
