package store

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func apiHash(s string) []byte {
	sum := sha256.Sum256([]byte(s))
	return sum[:]
}

func TestAPITokens(t *testing.T) {
	ctx := t.Context()
	c := newClock()
	path := filepath.Join(t.TempDir(), "bodystats.db")
	db := mustOpenWith(t, path, Options{Key: testKey, Now: c.Now})
	const secret = "bst_the-token-text-that-must-never-be-stored"
	tok, err := db.CreateAPIToken(ctx, "phone", apiHash(secret))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		got, err := db.APITokenByHash(ctx, apiHash(secret))
		if err != nil || got.Name != "phone" || got.SourceID != tok.SourceID || !got.LastUsedAt.IsZero() {
			t.Fatalf("by hash: %+v, %v; want phone, source %d, never used", got, err, tok.SourceID)
		}
		src, err := db.Source(ctx, tok.SourceID)
		if err != nil || src.Kind != KindAPI || src.Provider != "api" || src.Name != "phone" {
			t.Fatalf("source: %+v, %v; want an api source named phone", src, err)
		}
	})
	t.Run("ErrExists", func(t *testing.T) {
		if _, err := db.CreateAPIToken(ctx, "phone", apiHash("other")); !errors.Is(err, ErrExists) {
			t.Fatalf("second token named phone: %v, want ErrExists", err)
		}
		srcs, _ := db.Sources(ctx)
		if len(srcs) != 1 {
			t.Fatalf("%d sources after a refused create, want 1", len(srcs))
		}
	})
	t.Run("Touch", func(t *testing.T) {
		c.Advance(90e9)
		if err := db.TouchAPIToken(ctx, apiHash(secret)); err != nil {
			t.Fatal(err)
		}
		list, err := db.APITokens(ctx)
		if err != nil || len(list) != 1 || !list[0].LastUsedAt.Equal(c.Now()) {
			t.Fatalf("list: %+v, %v; want phone last used %v", list, err, c.Now())
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := db.APITokenByHash(ctx, apiHash("bst_wrong")); !errors.Is(err, ErrNotFound) {
			t.Fatalf("wrong token: %v, want ErrNotFound", err)
		}
		if err := db.RevokeAPIToken(ctx, "nobody"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("revoke unknown: %v, want ErrNotFound", err)
		}
	})
	t.Run("NeverPlaintext", func(t *testing.T) {
		db.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
		for _, f := range []string{path, path + "-wal"} {
			b, _ := os.ReadFile(f)
			if bytes.Contains(b, []byte(secret)) {
				t.Fatalf("%s holds the token's text", filepath.Base(f))
			}
		}
	})
	t.Run("RevokeKeepsWeighins", func(t *testing.T) {
		m := Measurement{SourceID: tok.SourceID, Provider: "api", ExternalID: "2026-11-30T06:41:09Z", Date: "2026-11-30",
			Time: "07:41:09", TimeZone: "+01:00", WeightKg: 79.4, Source: "API", Method: MethodCopy}
		if _, err := db.UpsertMeasurements(ctx, []Measurement{m}); err != nil {
			t.Fatal(err)
		}
		if err := db.RevokeAPIToken(ctx, "phone"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.APITokenByHash(ctx, apiHash(secret)); !errors.Is(err, ErrNotFound) {
			t.Fatalf("revoked token: %v, want ErrNotFound", err)
		}
		if n, _ := db.CountMeasurements(ctx, tok.SourceID); n != 1 {
			t.Fatalf("%d weigh-ins after revoke, want 1", n)
		}
		// The name is free again: a new token gets a new source.
		again, err := db.CreateAPIToken(ctx, "phone", apiHash("bst_new"))
		if err != nil || again.SourceID == tok.SourceID {
			t.Fatalf("new phone token: %+v, %v; want a new source", again, err)
		}
	})
	t.Run("RemoveSourceEndsToken", func(t *testing.T) {
		tk, err := db.CreateAPIToken(ctx, "script", apiHash("bst_script"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.RemoveSource(ctx, tk.SourceID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.APITokenByHash(ctx, apiHash("bst_script")); !errors.Is(err, ErrNotFound) {
			t.Fatalf("token of a removed source: %v, want ErrNotFound", err)
		}
	})
	t.Run("BadInput", func(t *testing.T) {
		for _, name := range []string{"", "  "} {
			if _, err := db.CreateAPIToken(ctx, name, apiHash("x")); err == nil {
				t.Errorf("name %q accepted", name)
			}
		}
		if _, err := db.CreateAPIToken(ctx, "short", []byte("abc")); err == nil {
			t.Error("a 3-byte hash accepted")
		}
	})
}
