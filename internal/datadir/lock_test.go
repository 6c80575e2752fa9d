package datadir

import (
	"errors"
	"testing"
)

func TestAcquire(t *testing.T) {
	tests := []struct {
		name        string
		held, asked Mode
		wantBusy    bool
	}{
		{"SharedWithShared", Shared, Shared, false},
		{"ExclusiveWhileShared", Shared, Exclusive, true},
		{"SharedWhileExclusive", Exclusive, Shared, true},
		{"ExclusiveWhileExclusive", Exclusive, Exclusive, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			held, err := Acquire(dir, tt.held)
			if err != nil {
				t.Fatal(err)
			}
			l, err := Acquire(dir, tt.asked)
			if got := errors.Is(err, ErrBusy); got != tt.wantBusy {
				t.Fatalf("busy = %v (err %v), want %v", got, err, tt.wantBusy)
			}
			l.Release()
			if err := held.Release(); err != nil {
				t.Fatal(err)
			}
			// Once released, even an exclusive lock is free again.
			again, err := Acquire(dir, Exclusive)
			if err != nil {
				t.Fatalf("after release: %v", err)
			}
			again.Release()
		})
	}
}

func TestAcquireMissingDir(t *testing.T) {
	if _, err := Acquire(t.TempDir()+"/absent", Shared); err == nil || errors.Is(err, ErrBusy) {
		t.Fatalf("err = %v, want an open error", err)
	}
}
