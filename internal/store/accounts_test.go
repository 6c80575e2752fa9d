package store

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestUpsertAccount(t *testing.T) {
	clk := newClock()
	db := mustOpenWith(t, filepath.Join(t.TempDir(), "bodystats.db"), Options{Key: testKey, Now: clk.Now})
	ctx := t.Context()

	first, err := db.UpsertAccount(ctx, Account{
		Provider: "fitbit-oauth1", ExternalUserID: "22AB3C", DisplayName: "Sam",
		TimeZone: "Europe/Berlin", HeightCm: 178.5, MemberSince: "2012-05-01",
	})
	if err != nil {
		t.Fatal(err)
	}
	created := clk.Now()
	want := Account{
		ID: first.ID, Provider: "fitbit-oauth1", ExternalUserID: "22AB3C", DisplayName: "Sam",
		TimeZone: "Europe/Berlin", HeightCm: 178.5, MemberSince: "2012-05-01", SourceID: first.SourceID,
		CreatedAt: created, UpdatedAt: created,
	}
	if first.ID <= 0 || first.SourceID <= 0 {
		t.Fatalf("ID, SourceID = %d, %d; want > 0", first.ID, first.SourceID)
	}
	if src, err := db.Source(ctx, first.SourceID); err != nil || src.ID != first.SourceID || src.Kind != KindAccount ||
		src.AccountID != first.ID || src.Provider != "fitbit-oauth1" {
		t.Errorf("the account's source = %+v, %v; want source %d of account %d", src, err, first.SourceID, first.ID)
	}
	if diff := cmp.Diff(want, first); diff != "" {
		t.Errorf("inserted account (-want +got):\n%s", diff)
	}

	t.Run("UnknownValuesKeepKnown", func(t *testing.T) {
		clk.Advance(time.Minute)
		got, err := db.UpsertAccount(ctx, Account{Provider: "fitbit-oauth1", ExternalUserID: "22AB3C", DisplayName: "Samuel"})
		if err != nil {
			t.Fatal(err)
		}
		want.DisplayName, want.UpdatedAt = "Samuel", clk.Now()
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("updated account (-want +got):\n%s", diff)
		}
	})

	t.Run("KnownValuesReplace", func(t *testing.T) {
		got, err := db.UpsertAccount(ctx, Account{
			Provider: "fitbit-oauth1", ExternalUserID: "22AB3C", TimeZone: "America/Chicago", HeightCm: 179, MemberSince: "2013-01-02",
		})
		if err != nil {
			t.Fatal(err)
		}
		want.TimeZone, want.HeightCm, want.MemberSince = "America/Chicago", 179, "2013-01-02"
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("updated account (-want +got):\n%s", diff)
		}
		stored, err := db.Account(ctx, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, stored); diff != "" {
			t.Errorf("Account (-want +got):\n%s", diff)
		}
	})

	t.Run("OtherProviderIsOtherAccount", func(t *testing.T) {
		got, err := db.UpsertAccount(ctx, Account{Provider: "google-health", ExternalUserID: "22AB3C"})
		if err != nil {
			t.Fatal(err)
		}
		if got.ID == first.ID || got.SourceID == first.SourceID {
			t.Errorf("ID, SourceID = %d, %d; same as the fitbit-oauth1 account's", got.ID, got.SourceID)
		}
	})
}

func TestUpsertAccountInvalid(t *testing.T) {
	db := mustOpen(t)
	for _, tc := range []struct {
		name string
		a    Account
	}{
		{"NoProvider", Account{ExternalUserID: "x"}},
		{"NoExternalID", Account{Provider: "fitbit"}},
		{"NegativeHeight", Account{Provider: "fitbit", ExternalUserID: "x", HeightCm: -1}},
		{"BadMemberSince", Account{Provider: "fitbit", ExternalUserID: "x", MemberSince: "2012-5-1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := db.UpsertAccount(t.Context(), tc.a); err == nil {
				t.Fatal("UpsertAccount succeeded, want error")
			}
		})
	}
}

func TestAccount(t *testing.T) {
	db := mustOpen(t)
	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := db.Account(t.Context(), 999); !errors.Is(err, ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	})
}

func TestConnectedAccount(t *testing.T) {
	clk := newClock()
	db := mustOpenWith(t, filepath.Join(t.TempDir(), "bodystats.db"), Options{Key: testKey, Now: clk.Now})
	ctx := t.Context()

	if _, err := db.ConnectedAccount(ctx); !errors.Is(err, ErrNotFound) {
		t.Fatalf("empty store: err = %v, want ErrNotFound", err)
	}
	a := mustAccount(t, db, "fitbit-oauth1", "A")
	b := mustAccount(t, db, "google-health", "B")
	if _, err := db.ConnectedAccount(ctx); !errors.Is(err, ErrNotFound) {
		t.Fatalf("no credentials: err = %v, want ErrNotFound", err)
	}

	steps := []struct {
		name string
		do   func() error
		want int64 // 0: ErrNotFound
	}{
		{"SaveA", func() error { return db.SaveCredentials(ctx, a.ID, oauth1Creds("a")) }, a.ID},
		{"SaveB", func() error { return db.SaveCredentials(ctx, b.ID, oauth1Creds("b")) }, b.ID},
		// A refresh (or a reconnect) of the older account does not change which account a browser without its
		// own is shown: the newest account stays.
		{"SaveAAgain", func() error { return db.SaveCredentials(ctx, a.ID, oauth1Creds("a2")) }, b.ID},
		{"DeleteA", func() error { return db.DeleteCredentials(ctx, a.ID) }, b.ID},
		{"DeleteB", func() error { return db.DeleteCredentials(ctx, b.ID) }, 0},
	}
	for _, s := range steps {
		clk.Advance(time.Second)
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		got, err := db.ConnectedAccount(ctx)
		if s.want == 0 {
			if !errors.Is(err, ErrNotFound) {
				t.Errorf("after %s: err = %v, want ErrNotFound", s.name, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("after %s: %v", s.name, err)
		}
		if got.ID != s.want {
			t.Errorf("after %s: connected account = %d, want %d", s.name, got.ID, s.want)
		}
	}
}

func mustAccount(tb testing.TB, db *DB, provider, externalID string) Account {
	tb.Helper()
	a, err := db.UpsertAccount(tb.Context(), Account{Provider: provider, ExternalUserID: externalID})
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

func oauth1Creds(token string) Credentials {
	return Credentials{Kind: "oauth1", Token: token, Secret: token + "-secret"}
}

func TestAccountFlags(t *testing.T) {
	db := mustOpen(t)
	ctx := t.Context()
	a, err := db.UpsertAccount(ctx, Account{Provider: "google-health", ExternalUserID: "42"})
	if err != nil {
		t.Fatal(err)
	}
	if a.NeedsReconnect || a.HeightCm != 0 {
		t.Fatalf("new account = %+v", a)
	}
	if err := db.SetNeedsReconnect(ctx, a.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := db.SetHeight(ctx, a.ID, 171.5); err != nil {
		t.Fatal(err)
	}
	// A later profile update keeps both: the flag belongs to the token path, the height to the person.
	if _, err := db.UpsertAccount(ctx, Account{Provider: "google-health", ExternalUserID: "42", DisplayName: "Sam"}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Account(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.NeedsReconnect || got.HeightCm != 171.5 || got.DisplayName != "Sam" {
		t.Errorf("account = %+v, want needs reconnect, height 171.5, name Sam", got)
	}
	if err := db.SetNeedsReconnect(ctx, a.ID, false); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Account(ctx, a.ID); got.NeedsReconnect {
		t.Error("SetNeedsReconnect(false) did not clear the flag")
	}
	for _, cm := range []float64{0, -1} {
		if err := db.SetHeight(ctx, a.ID, cm); err == nil {
			t.Errorf("SetHeight(%v) accepted", cm)
		}
	}
	if err := db.SetNeedsReconnect(ctx, 999, true); !errors.Is(err, ErrNotFound) {
		t.Errorf("SetNeedsReconnect(unknown) = %v, want ErrNotFound", err)
	}
}
