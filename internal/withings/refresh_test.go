package withings

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/emulator"
	"github.com/bodystats/bodystats/internal/provider"
)

// use sends one getmeas with tok, the first use that ends the refresh token it came from.
func (h *harness) use(t *testing.T, tok connect.Token) error {
	t.Helper()
	_, err := NewClient(h.signIn.Client(context.Background(), tok), h.srv.URL).GetMeas(context.Background(), MeasQuery{Types: []int{TypeHeight}})
	return err
}

func TestRefreshRotationOverManyRefreshes(t *testing.T) {
	h := newHarness(t, 30, emulator.WithingsOptions{RateLimit: 1 << 20})
	ctx := context.Background()
	tok := h.connect(t)
	seen := map[string]bool{tok.RefreshToken: true}
	for i := range 60 {
		h.clk.Add(3 * time.Hour) // each access token has expired by the next round
		if err := h.use(t, tok); !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("round %d: an expired access token: %v", i, err)
		}
		next, err := h.signIn.Refresh(ctx, tok)
		if err != nil {
			t.Fatalf("round %d: refresh: %v", i, err)
		}
		if seen[next.RefreshToken] || next.Token == tok.Token || next.UserID != "4827163" {
			t.Fatalf("round %d: the pair was not rotated (user %q)", i, next.UserID)
		}
		seen[next.RefreshToken] = true
		if err := h.use(t, next); err != nil {
			t.Fatalf("round %d: the new access token: %v", i, err)
		}
		h.clk.Add(11 * time.Second) // past the 10-second dedupe of identical requests
		if _, err := h.signIn.Refresh(ctx, tok); !errors.Is(err, connect.ErrInvalidGrant) {
			t.Fatalf("round %d: the old refresh token once the new access token was used: %v", i, err)
		}
		tok = next
	}
	if code, refreshes, _, _, _ := h.emu.WithingsStats(); code != 1 || refreshes != 60 {
		t.Errorf("exchanges %d, refreshes %d; want 1 and 60", code, refreshes)
	}
}

func TestRefreshGracePeriod(t *testing.T) {
	h := newHarness(t, 30, emulator.WithingsOptions{})
	ctx := context.Background()
	old := h.connect(t)
	first, err := h.signIn.Refresh(ctx, old)
	if err != nil {
		t.Fatal(err)
	}
	// The new access token is not used: the old refresh token still works for 8 hours (a lost answer is no dead grant).
	h.clk.Add(7*time.Hour + 59*time.Minute)
	second, err := h.signIn.Refresh(ctx, old)
	if err != nil {
		t.Fatalf("within the grace period: %v", err)
	}
	h.clk.Add(2 * time.Minute)
	_, err = h.signIn.Refresh(ctx, old)
	assertStatus(t, err, connect.ErrInvalidGrant, 503)
	if errors.Is(err, provider.ErrRateLimited) {
		t.Errorf("a dead grant is not a rate limit: %v", err)
	}
	// The pairs it issued live on.
	if _, err := h.signIn.Refresh(ctx, first); err != nil {
		t.Errorf("the first successor: %v", err)
	}
	if err := h.use(t, second); err != nil {
		t.Errorf("the second successor's access token: %v", err)
	}
}

func TestRefreshOldAccessTokenDiesWhenTheNewOneIsUsed(t *testing.T) {
	h := newHarness(t, 30, emulator.WithingsOptions{})
	old := h.connect(t)
	next, err := h.signIn.Refresh(context.Background(), old)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.use(t, old); err != nil {
		t.Fatalf("the old access token before the new one is used: %v", err)
	}
	if err := h.use(t, next); err != nil {
		t.Fatal(err)
	}
	if err := h.use(t, old); !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("the old access token after: %v", err)
	}
}

func TestRefreshRateLimitedIsNoDeadGrant(t *testing.T) {
	h := newHarness(t, 30, emulator.WithingsOptions{})
	tok := h.connect(t)
	if _, err := h.signIn.Refresh(context.Background(), tok); err != nil {
		t.Fatal(err)
	}
	_, err := h.signIn.Refresh(context.Background(), tok) // the same arguments within 10 s
	if !errors.Is(err, provider.ErrRateLimited) || errors.Is(err, connect.ErrInvalidGrant) || provider.RetryAfter(err) <= 0 {
		t.Fatalf("got %v (wait %v), want a rate limit with a wait", err, provider.RetryAfter(err))
	}
}

func TestRefreshWithoutRefreshToken(t *testing.T) {
	h := newHarness(t, 30, emulator.WithingsOptions{})
	if _, err := h.signIn.Refresh(context.Background(), connect.Token{Kind: "oauth2", Token: "a"}); !errors.Is(err, connect.ErrInvalidGrant) {
		t.Fatalf("got %v", err)
	}
}
