package jobs

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestSupersede(t *testing.T) {
	r := New(context.Background(), 1)
	defer r.Close()
	var ran []int
	var mu sync.Mutex
	done := make(chan struct{})
	started := make(chan struct{})
	// First job starts and blocks until cancelled.
	r.Schedule("p", 0, func(ctx context.Context) {
		close(started)
		<-ctx.Done()
		mu.Lock()
		ran = append(ran, 1)
		mu.Unlock()
	})
	<-started
	// Second is superseded before it starts; third runs.
	r.Schedule("p", time.Hour, func(ctx context.Context) { t.Error("superseded job ran") })
	r.Schedule("p", 0, func(ctx context.Context) {
		mu.Lock()
		ran = append(ran, 3)
		mu.Unlock()
		close(done)
	})
	<-done
	mu.Lock()
	defer mu.Unlock()
	if len(ran) != 2 || ran[0] != 1 || ran[1] != 3 {
		t.Fatalf("want the cancelled run to finish before the newest starts, got %v", ran)
	}
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
