package store

import (
	"bytes"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func TestFlows(t *testing.T) {
	clk := newClock()
	db := mustOpenWith(t, filepath.Join(t.TempDir(), "bodystats.db"), Options{Key: testKey, Now: clk.Now})
	ctx := t.Context()

	if _, err := db.Flow(ctx, "k1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("before put: err = %v, want ErrNotFound", err)
	}
	if err := db.PutFlow(ctx, "k1", []byte("state-1"), 10*time.Minute); err != nil {
		t.Fatal(err)
	}

	t.Run("ReadDoesNotConsume", func(t *testing.T) {
		for range 2 {
			got, err := db.Flow(ctx, "k1")
			if err != nil {
				t.Fatal(err)
			}
			if want := []byte("state-1"); !bytes.Equal(got, want) {
				t.Errorf("Flow = %q, want %q", got, want)
			}
		}
	})

	t.Run("Replace", func(t *testing.T) {
		if err := db.PutFlow(ctx, "k1", []byte("state-2"), 10*time.Minute); err != nil {
			t.Fatal(err)
		}
		got, err := db.Flow(ctx, "k1")
		if err != nil {
			t.Fatal(err)
		}
		if want := []byte("state-2"); !bytes.Equal(got, want) {
			t.Errorf("Flow = %q, want %q", got, want)
		}
	})

	t.Run("ErrExpired", func(t *testing.T) {
		if err := db.PutFlow(ctx, "k2", []byte("short"), time.Minute); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Minute - time.Nanosecond)
		if _, err := db.Flow(ctx, "k2"); err != nil {
			t.Errorf("just before expiry: err = %v", err)
		}
		clk.Advance(time.Nanosecond)
		if _, err := db.Flow(ctx, "k2"); !errors.Is(err, ErrExpired) {
			t.Errorf("at expiry: err = %v, want ErrExpired", err)
		}
	})

	t.Run("Prune", func(t *testing.T) {
		if err := db.PruneFlows(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Flow(ctx, "k2"); !errors.Is(err, ErrNotFound) {
			t.Errorf("expired flow after prune: err = %v, want ErrNotFound", err)
		}
		if _, err := db.Flow(ctx, "k1"); err != nil {
			t.Errorf("live flow after prune: err = %v", err)
		}
	})

	t.Run("DeleteOnce", func(t *testing.T) {
		for i, want := range []bool{true, false} {
			got, err := db.DeleteFlow(ctx, "k1")
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("DeleteFlow #%d = %v, want %v", i+1, got, want)
			}
		}
		if _, err := db.Flow(ctx, "k1"); !errors.Is(err, ErrNotFound) {
			t.Errorf("after delete: err = %v, want ErrNotFound", err)
		}
	})
}

func TestPutFlowInvalid(t *testing.T) {
	db := mustOpen(t)
	if err := db.PutFlow(t.Context(), "", []byte("x"), time.Minute); err == nil {
		t.Error("empty key: PutFlow succeeded, want error")
	}
	if err := db.PutFlow(t.Context(), "k", []byte("x"), 0); err == nil {
		t.Error("zero ttl: PutFlow succeeded, want error")
	}
}

func TestFlowPayloadIsBoundToKey(t *testing.T) {
	db := mustOpen(t)
	ctx := t.Context()
	for _, k := range []string{"a", "b"} {
		if err := db.PutFlow(ctx, k, []byte("payload-"+k), time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.db.ExecContext(ctx, `UPDATE flows SET payload = (SELECT payload FROM flows WHERE key = 'b') WHERE key = 'a'`); err != nil {
		t.Fatal(err)
	}
	_, err := db.Flow(ctx, "a")
	if err == nil {
		t.Fatal("Flow succeeded after its payload moved")
	}
	if want := "store: open sealed flow: " + errSealedAuth.Error(); err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
}

func TestDeleteFlowConcurrent(t *testing.T) {
	db := mustOpen(t)
	ctx := t.Context()
	const callers = 16
	for round := range 5 {
		if err := db.PutFlow(ctx, "shared", []byte("state"), time.Minute); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		results := make(chan bool, callers)
		for range callers {
			wg.Go(func() {
				<-start
				ok, err := db.DeleteFlow(ctx, "shared")
				if err != nil {
					t.Error(err)
				}
				results <- ok
			})
		}
		close(start)
		wg.Wait()
		close(results)
		winners := 0
		for ok := range results {
			if ok {
				winners++
			}
		}
		if winners != 1 {
			t.Errorf("round %d: %d callers got true, want 1", round, winners)
		}
	}
}
