package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/emulator"
	"github.com/bodystats/bodystats/internal/provider"
	"github.com/bodystats/bodystats/internal/store"
	"github.com/bodystats/bodystats/internal/withings"
)

// withingsPageSize is the emulator's getmeas page size (Withings documents none).
const withingsPageSize = 200

// withingsBench is a Withings account on the emulator, synced by the engine.
type withingsBench struct {
	p   provider.Provider
	tok connect.Token
}

func (b *withingsBench) Provider(id string) (provider.Provider, bool) { return b.p, id == withings.ID }

func (b *withingsBench) Client(ctx context.Context, _ store.Account) (*http.Client, error) {
	return b.p.Client(ctx, b.tok), nil
}

// runWithings syncs the emulator's Withings history with the engine and returns its figures and the lower bound:
// the profile (the heights, with the time zone) plus the pages the history needs.
func runWithings(ctx context.Context, emu *emulator.Emulator, url string) (result, int, error) {
	emu.SetWithings(emulator.WithingsOptions{PageSize: withingsPageSize, RateLimit: 1 << 20})
	emu.AddWithingsClient("wcid", "wsecret", "http://bench.invalid/callback")
	access, refresh := emu.IssueWithingsToken("wcid")
	settings := map[string]string{"WITHINGS_CLIENT_ID": "wcid", "WITHINGS_CLIENT_SECRET": "wsecret", "WITHINGS_API_URL": url,
		"WITHINGS_AUTH_URL": url + "/oauth2_user/authorize2"}
	b := &withingsBench{
		p:   withings.Spec.New(provider.Env{Get: func(k string) string { return settings[k] }, CallbackURL: "http://bench.invalid/callback"}),
		tok: connect.Token{Kind: "oauth2", Token: access, RefreshToken: refresh, Expiry: time.Now().Add(3 * time.Hour)},
	}
	groups, weighIns := 0, 0
	for _, g := range emu.WithingsGroups() {
		types := make([]int, 0, len(g.Measures))
		for _, m := range g.Measures {
			types = append(types, m.Type)
		}
		if slices.ContainsFunc(types, func(t int) bool { return slices.Contains([]int{1, 4, 5, 6, 8}, t) }) {
			groups++
		}
		if slices.Contains(types, withings.TypeWeight) {
			weighIns++
		}
	}
	bound := 1 + (groups+withingsPageSize-1)/withingsPageSize

	dir, err := os.MkdirTemp("", "syncbench")
	if err != nil {
		return result{}, 0, err
	}
	defer os.RemoveAll(dir)
	db, err := store.Open(ctx, filepath.Join(dir, "b.db"), store.Options{Key: make([]byte, 32)})
	if err != nil {
		return result{}, 0, err
	}
	defer db.Close()
	acct, err := db.UpsertAccount(ctx, store.Account{Provider: withings.ID, ExternalUserID: strconv.FormatInt(emu.WithingsUserID(), 10)})
	if err != nil {
		return result{}, 0, err
	}
	res, err := timeSync(ctx, db, b, acct, weighIns)
	return res, bound, err
}
