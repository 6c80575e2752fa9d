package withings

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bodystats/bodystats/internal/emulator"
	"github.com/bodystats/bodystats/internal/provider"
)

func TestSourceFaultsLeaveItRetryable(t *testing.T) {
	for _, f := range []struct {
		name  string
		fault emulator.Fault
		kind  error
	}{
		{"Truncated", emulator.Fault{Truncate: true, Times: 1, After: 2}, provider.ErrMalformed},
		{"Reset", emulator.Fault{Reset: true, Times: 1, After: 2}, provider.ErrUnreachable},
		{"BadGateway", emulator.Fault{Status: 502, Times: 1, After: 2}, provider.ErrUnavailable},
		{"Status401", emulator.Fault{Status: 401, Times: 1, After: 2}, provider.ErrUnauthorized},
	} {
		t.Run(f.name, func(t *testing.T) {
			h := newHarness(t, 365, emulator.WithingsOptions{PageSize: 60, RateLimit: 1 << 20})
			tok := h.connect(t)
			h.emu.SetFault(f.fault)
			r := &rows{byID: map[string]provider.Reading{}}
			src, _ := NewSource(NewClient(h.signIn.Client(context.Background(), tok), h.srv.URL), provider.SourceEnv{Account: provider.Account{UserID: tok.UserID}, Now: h.clk.Now})
			failed := false
			for i := 0; i < 100; i++ {
				step, err := src.Next(context.Background())
				if err != nil {
					if failed || !errors.Is(err, f.kind) {
						t.Fatalf("step %d: %v, want one %v", i, err, f.kind)
					}
					if provider.Retryable(err) != !errors.Is(err, provider.ErrUnauthorized) {
						t.Errorf("retryable %t for %v", provider.Retryable(err), err)
					}
					failed = true
					continue
				}
				r.apply(step)
				if step.Done {
					break
				}
			}
			if !failed {
				t.Fatal("the fault never fired")
			}
			if diff := cmp.Diff(want(t, h.emu, 1.78), r.byID); diff != "" {
				t.Errorf("after the retry (-emulator +stored):\n%s", diff)
			}
		})
	}
}
