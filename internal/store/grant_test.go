package store

import (
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// TestGrantedAt: the grant's time is when its refresh token was first stored; a refresh that keeps the refresh
// token (Google's) keeps it, a new refresh token (a reconnect, or Fitbit's rotation) starts it again.
func TestGrantedAt(t *testing.T) {
	c := newClock()
	db := mustOpenWith(t, filepath.Join(t.TempDir(), "bodystats.db"), Options{Key: testKey, Now: c.Now})
	ctx := t.Context()
	a := mustAccount(t, db, "google-health", "4815162342")
	if _, _, err := db.GrantedAt(ctx, a.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("without credentials: err = %v, want ErrNotFound", err)
	}
	granted := c.Now()
	steps := []struct {
		after   time.Duration
		refresh string
		want    func() time.Time
	}{
		{0, "1//grant-1", func() time.Time { return granted }},
		{time.Hour, "1//grant-1", func() time.Time { return granted }},          // an access-token refresh
		{6 * 24 * time.Hour, "1//grant-1", func() time.Time { return granted }}, // still the 7-day grant
		{24 * time.Hour, "1//grant-2", func() time.Time { return c.Now() }},     // reconnected
	}
	for i, s := range steps {
		c.Advance(s.after)
		if err := db.SaveCredentials(ctx, a.ID, Credentials{Kind: "oauth2", Token: "ya29.access", RefreshToken: s.refresh}); err != nil {
			t.Fatal(err)
		}
		got, saved, err := db.GrantedAt(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := s.want(); !got.Equal(want) || !saved.Equal(c.Now()) {
			t.Errorf("step %d: GrantedAt = %v, saved %v; want %v, %v", i, got, saved, want, c.Now())
		}
	}
}
