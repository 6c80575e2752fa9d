package store

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestCredentialsRoundTrip(t *testing.T) {
	db := mustOpen(t)
	ctx := t.Context()
	a := mustAccount(t, db, "fitbit", "A")

	if _, err := db.Credentials(ctx, a.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("before save: err = %v, want ErrNotFound", err)
	}
	for _, want := range []Credentials{
		{Kind: "oauth1", Token: "tok-1", Secret: "sec-1"},
		{Kind: "oauth2", Token: "access-2", RefreshToken: "refresh-2", Scope: "weight profile",
			Expiry: time.Date(2026, 3, 14, 10, 26, 53, 123456789, time.UTC)},
	} {
		t.Run(want.Kind, func(t *testing.T) {
			if err := db.SaveCredentials(ctx, a.ID, want); err != nil {
				t.Fatal(err)
			}
			got, err := db.Credentials(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("credentials (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("ExpiryKeepsInstant", func(t *testing.T) {
		berlin := time.FixedZone("CET", 3600)
		want := time.Date(2026, 3, 14, 11, 0, 0, 0, berlin)
		if err := db.SaveCredentials(ctx, a.ID, Credentials{Kind: "oauth2", Token: "t", Expiry: want}); err != nil {
			t.Fatal(err)
		}
		got, err := db.Credentials(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Expiry.Equal(want) {
			t.Errorf("Expiry = %v, want %v", got.Expiry, want)
		}
	})

	t.Run("Delete", func(t *testing.T) {
		if err := db.DeleteCredentials(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Credentials(ctx, a.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("after delete: err = %v, want ErrNotFound", err)
		}
		if err := db.DeleteCredentials(ctx, a.ID); err != nil {
			t.Errorf("second delete: %v", err)
		}
	})
}

func TestSaveCredentialsInvalid(t *testing.T) {
	db := mustOpen(t)
	a := mustAccount(t, db, "fitbit", "A")
	for _, tc := range []struct {
		name      string
		accountID int64
		c         Credentials
		notFound  bool
	}{
		{"UnknownKind", a.ID, Credentials{Kind: "oauth3", Token: "t"}, false},
		{"EmptyToken", a.ID, Credentials{Kind: "oauth2"}, false},
		{"NoAccount", a.ID + 100, Credentials{Kind: "oauth2", Token: "t"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := db.SaveCredentials(t.Context(), tc.accountID, tc.c)
			if err == nil {
				t.Fatal("SaveCredentials succeeded, want error")
			}
			if got := errors.Is(err, ErrNotFound); got != tc.notFound {
				t.Errorf("errors.Is(%v, ErrNotFound) = %v, want %v", err, got, tc.notFound)
			}
		})
	}
}

// TestSealedCredentialsAreBound moves sealed values with raw SQL, as someone editing the file could; each move
// must fail to open, and the error must not carry either secret.
func TestSealedCredentialsAreBound(t *testing.T) {
	for _, tc := range []struct {
		name   string
		update string // run with ?1 = account A, ?2 = account B
		want   string // the error's tail
	}{
		{"OtherRow", `UPDATE credentials SET token = (SELECT token FROM credentials WHERE account_id = ?2) WHERE account_id = ?1`,
			"token: " + errSealedAuth.Error()},
		{"OtherColumn", `UPDATE credentials SET secret = token WHERE account_id = ?1`,
			"secret: " + errSealedAuth.Error()},
		{"Truncated", `UPDATE credentials SET token = substr(token, 1, length(token) - 1) WHERE account_id = ?1`,
			"token: " + errSealedAuth.Error()},
		{"UnknownVersion", `UPDATE credentials SET token = CAST(X'02' || substr(token, 2) AS BLOB) WHERE account_id = ?1`,
			"token: unknown seal version 2"},
		{"Empty", `UPDATE credentials SET refresh_token = X'' WHERE account_id = ?1`,
			"refresh_token: " + errSealedEmpty.Error()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := mustOpen(t)
			ctx := t.Context()
			a := mustAccount(t, db, "fitbit", "A")
			b := mustAccount(t, db, "fitbit", "B")
			if err := db.SaveCredentials(ctx, a.ID, Credentials{Kind: "oauth1", Token: "token-of-a", Secret: "secret-of-a"}); err != nil {
				t.Fatal(err)
			}
			if err := db.SaveCredentials(ctx, b.ID, Credentials{Kind: "oauth1", Token: "token-of-b", Secret: "secret-of-b"}); err != nil {
				t.Fatal(err)
			}
			if _, err := db.db.ExecContext(ctx, tc.update, a.ID, b.ID); err != nil {
				t.Fatal(err)
			}

			_, err := db.Credentials(ctx, a.ID)
			if err == nil {
				t.Fatal("Credentials succeeded after the sealed value moved")
			}
			msg := err.Error()
			if want := "store: open sealed credentials: " + tc.want; msg != want {
				t.Errorf("error = %q, want %q", msg, want)
			}
			for _, secret := range []string{"token-of-a", "secret-of-a", "token-of-b", "secret-of-b"} {
				if strings.Contains(msg, secret) {
					t.Errorf("error %q contains %q", msg, secret)
				}
			}
			if _, err := db.Credentials(ctx, b.ID); err != nil {
				t.Errorf("untouched account B: %v", err)
			}
		})
	}
}

func TestCredentialsWrongKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bodystats.db")
	db := mustOpenWith(t, path, Options{Key: testKey})
	a := mustAccount(t, db, "fitbit", "A")
	if err := db.SaveCredentials(t.Context(), a.ID, oauth1Creds("tok")); err != nil {
		t.Fatal(err)
	}
	db.Close()

	otherKey := make([]byte, 32)
	db = mustOpenWith(t, path, Options{Key: otherKey})
	if _, err := db.Credentials(t.Context(), a.ID); err == nil || errors.Is(err, ErrNotFound) {
		t.Errorf("err = %v, want an open error", err)
	}
}
