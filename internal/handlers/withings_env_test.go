package handlers_test

import (
	"crypto/rand"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/emulator"
	"github.com/bodystats/bodystats/internal/fitbit"
	"github.com/bodystats/bodystats/internal/handlers"
	"github.com/bodystats/bodystats/internal/provider"
	"github.com/bodystats/bodystats/internal/store"
	"github.com/bodystats/bodystats/internal/syncer"
	"github.com/bodystats/bodystats/internal/withings"
	"github.com/bodystats/bodystats/web"
)

// The three ways back from Withings' consent page.
const (
	redirectDirect  = "direct"  // {BASE_URL}/callback registered at Withings
	redirectForward = "forward" // an https page that forwards the query to /callback (WITHINGS_REDIRECT_URI)
	redirectPaste   = "paste"   // an https page the browser lands on; its address is pasted (POST /callback)
)

// pasteLanding is a registered redirect URI nobody serves: the person copies the address from the address bar.
const pasteLanding = "https://withings-landing.example.org/bodystats"

// newWithingsEnv is the app with Withings (and the 2013 Fitbit flow, for twins) against the emulator. redirect
// is how the consent page leads back; for redirectForward, forward is the forwarding page's address, for
// redirectPaste the page the browser lands on (pasteLanding when "").
func newWithingsEnv(t *testing.T, redirect, forward string) *env {
	t.Helper()
	e := &env{t: t, logs: &syncBuffer{}, now: &atomic.Int64{}}
	e.now.Store(time.Now().Unix())
	e.emu = emulator.New(emulator.Options{})
	e.emu.AddConsumer(consumerKey, consumerSecret)
	e.api = httptest.NewServer(e.emu)
	t.Cleanup(e.api.Close)
	key := make([]byte, 32)
	rand.Read(key)
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "bodystats.db"), store.Options{Key: key, Now: func() time.Time { return time.Unix(e.now.Load(), 0) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e.db = db

	e.app = httptest.NewUnstartedServer(nil)
	base := "http://" + e.app.Listener.Addr().String()
	settings := map[string]string{
		"FITBIT_CONSUMER_KEY": consumerKey, "FITBIT_CONSUMER_SECRET": consumerSecret, "FITBIT_API_URL": e.api.URL, "FITBIT_WWW_URL": e.api.URL,
		"WITHINGS_CLIENT_ID": clientID, "WITHINGS_CLIENT_SECRET": clientSecret,
		"WITHINGS_AUTH_URL": e.api.URL + "/oauth2_user/authorize2", "WITHINGS_API_URL": e.api.URL,
	}
	switch redirect {
	case redirectDirect:
		e.emu.AddWithingsClient(clientID, clientSecret, base+"/callback")
	case redirectForward:
		settings["WITHINGS_REDIRECT_URI"] = forward
		e.emu.AddWithingsClient(clientID, clientSecret, forward)
	case redirectPaste: // forward, when set, is the page the browser lands on
		landing := pasteLanding
		if forward != "" {
			landing = forward
		}
		settings["WITHINGS_REDIRECT_URI"] = landing
		e.emu.AddWithingsClient(clientID, clientSecret, landing)
	}
	penv := provider.Env{Get: func(k string) string { return settings[k] }, CallbackURL: base + "/callback", BaseURL: base}
	sessionKey := make([]byte, 64)
	rand.Read(sessionKey)
	h, err := handlers.New(handlers.Options{
		Store: db, Providers: []provider.Provider{withings.Spec.New(penv), fitbit.OAuth1Spec.New(penv)}, SessionKey: sessionKey,
		Templates: web.Templates(), Static: web.Static(), BaseURL: base, FirstSyncWait: 10 * time.Second,
		Logger: slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Sync:   syncer.Options{Backoff: time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	e.h = h
	e.app.Config.Handler = h.Routes()
	e.app.Start()
	t.Cleanup(func() { e.app.Close(); h.Close() })
	return e
}

// consentWithings follows Connect Withings to the emulator's consent page, allows, and returns where Withings
// sends the browser.
func (b *browser) consentWithings() *url.URL {
	t := b.e.t
	t.Helper()
	p := b.get("/login?provider=withings")
	if p.status != http.StatusFound || !strings.HasPrefix(p.location, b.e.api.URL+"/oauth2_user/authorize2?") {
		t.Fatalf("GET /login?provider=withings: status %d to %q", p.status, p.location)
	}
	consent := b.get(p.location)
	m := requestField.FindStringSubmatch(consent.body)
	if consent.status != http.StatusOK || m == nil || !strings.Contains(consent.body, "not Withings") {
		t.Fatalf("Withings consent page: status %d\n%s", consent.status, consent.body)
	}
	d := b.do(http.MethodPost, b.e.api.URL+"/oauth2_user/authorize2", url.Values{"request": {m[1]}, "decision": {"allow"}})
	u, err := url.Parse(d.location)
	if d.status != http.StatusFound || err != nil || u.Query().Get("code") == "" {
		t.Fatalf("consent decision: status %d, location %q", d.status, d.location)
	}
	return u
}

// connectWithings signs in the way redirect says and waits for the first sync.
func (b *browser) connectWithings(redirect string) syncStatus {
	t := b.e.t
	t.Helper()
	landed := b.consentWithings()
	var p page
	switch redirect {
	case redirectDirect, redirectForward: // the forwarding page hands the query on unchanged
		p = b.get("/callback?" + landed.RawQuery)
	case redirectPaste:
		if !strings.HasPrefix(landed.String(), pasteLanding+"?") {
			t.Fatalf("Withings sent the browser to %s, want %s", landed, pasteLanding)
		}
		p = b.post("/callback", url.Values{"url": {landed.String()}})
	}
	if p.status != http.StatusSeeOther || p.location != "/" {
		t.Fatalf("callback (%s): status %d, location %q, body %s", redirect, p.status, p.location, p.body)
	}
	return b.waitSync()
}

// withingsRow is a weigh-in as the export shows it.
type withingsRow struct{ date, clock, kg, bmi, fat string }

// withingsWant is the emulator's Withings history as the export should show it: every group with a weight the
// person owns, BMI from the 1.78 m height Withings holds, fat % from the fat ratio.
func withingsWant(emu *emulator.Emulator) (map[string]withingsRow, int) {
	loc, _ := time.LoadLocation("Europe/London")
	out, guests := map[string]withingsRow{}, 0
	for _, g := range emu.WithingsGroups() {
		var kg, fat float64
		for _, m := range g.Measures {
			switch m.Type {
			case withings.TypeWeight:
				kg = emulator.WithingsValue(m)
			case withings.TypeFatRatio:
				fat = emulator.WithingsValue(m)
			}
		}
		if kg == 0 {
			continue
		}
		if g.Attrib == 1 {
			guests++
			continue
		}
		at := time.Unix(g.Date, 0).In(loc)
		r := withingsRow{date: at.Format(time.DateOnly), clock: at.Format(time.TimeOnly), kg: strconv.FormatFloat(kg, 'f', -1, 64),
			bmi: strconv.FormatFloat(math.Round(kg/(1.78*1.78)*100)/100, 'f', -1, 64)}
		if fat > 0 {
			r.fat = strconv.FormatFloat(fat, 'f', -1, 64)
		}
		out[strconv.FormatInt(g.GrpID, 10)] = r
	}
	return out, guests
}
