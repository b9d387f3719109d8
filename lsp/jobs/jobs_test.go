package jobs

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// TestDebounceLeavesSupersedingToThePackager: a pending job scheduled again never
// runs; a running one is not cancelled (the packager supersedes or joins it), and
// the key's newest job starts beside it on the worker the key holds, even with a
// budget of one worker.
func TestDebounceLeavesSupersedingToThePackager(t *testing.T) {
	r := New(context.Background(), 1)
	defer r.Close()
	release := make(chan struct{})
	started := make(chan struct{})
	firstCancelled := make(chan bool, 1)
	r.Schedule("p", 0, func(ctx context.Context) {
		close(started)
		select {
		case <-ctx.Done():
			firstCancelled <- true
		case <-release:
			firstCancelled <- false
		}
	})
	<-started
	r.Schedule("p", time.Hour, func(ctx context.Context) { t.Error("debounced job ran") })
	third := make(chan struct{})
	r.Schedule("p", 0, func(ctx context.Context) { close(third) })
	<-third // would block forever if the newest waited for the running job's worker
	close(release)
	if <-firstCancelled {
		t.Fatal("scheduling the key again cancelled its running job")
	}
	// The worker is free again for another key.
	other := make(chan struct{})
	r.Schedule("q", 0, func(context.Context) { close(other) })
	<-other
}

func TestCloseCancelsAndWaits(t *testing.T) {
	r := New(context.Background(), 2)
	var finished atomic.Int32
	started := make(chan struct{}, 2)
	for _, k := range []string{"a", "b"} {
		r.Schedule(k, 0, func(ctx context.Context) {
			started <- struct{}{}
			<-ctx.Done()
			finished.Add(1)
		})
	}
	<-started
	<-started
	r.Schedule("c", time.Hour, func(context.Context) { t.Error("pending job ran after Close") })
	r.Close()
	if finished.Load() != 2 {
		t.Fatalf("Close returned before running jobs finished: %d", finished.Load())
	}
	r.Schedule("d", 0, func(context.Context) { t.Error("job scheduled after Close ran") })
}

func TestCancelKey(t *testing.T) {
	r := New(context.Background(), 1)
	// Hold the only worker slot, so "x" cannot start whichever way its timer races
	// Cancel: Cancel either stops the timer, or finds the job waiting for the slot.
	release, holding := make(chan struct{}), make(chan struct{})
	r.Schedule("hold", 0, func(context.Context) { close(holding); <-release })
	<-holding
	var ran atomic.Bool
	r.Schedule("x", 0, func(context.Context) { ran.Store(true) })
	r.Cancel("x")
	close(release)
	ok := make(chan struct{})
	r.Schedule("y", 0, func(context.Context) { close(ok) })
	<-ok
	r.Close() // waits for every timer and job: "x" has had every chance to run
	if ran.Load() {
		t.Fatal("cancelled job ran")
	}
}
