package ihealth

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/emulator"
	"github.com/bodystats/bodystats/internal/provider"
	"github.com/bodystats/bodystats/internal/store"
	"github.com/bodystats/bodystats/internal/tokens"
)

// TestStateTravelsInsideTheRedirectURI: the consent URL's redirect_uri is the callback with the state in its
// query, Pending keeps it byte for byte, and the callback's state is checked.
func TestStateTravelsInsideTheRedirectURI(t *testing.T) {
	f := newFixture(t, 30, emulator.IHealthOptions{})
	authURL, p, err := f.signIn.Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(authURL)
	q := u.Query()
	if u.Path != AuthPath || q.Get("response_type") != "code" || q.Get("client_id") != testClient || !strings.Contains(q.Get("APIName"), APIName) {
		t.Errorf("consent URL %s", authURL)
	}
	if q.Get("redirect_uri") != p.RedirectURI || p.RedirectURI != testCallback+"?state="+p.State || len(p.State) < 40 {
		t.Errorf("redirect_uri %q, pending %q (state %q)", q.Get("redirect_uri"), p.RedirectURI, p.State)
	}
	if strings.Contains(authURL, testSecret) || strings.Contains(authURL, url.QueryEscape(testSecret)) {
		t.Error("the consent URL carries the client secret")
	}
	cb := connect.ParseCallback(consent(t, authURL, "allow"))
	if cb.State != p.State || cb.Code == "" {
		t.Fatalf("callback %+v: want the pending state and a code", cb)
	}
	another := p.State[:len(p.State)-1] + "A"
	if another == p.State {
		another = p.State[:len(p.State)-1] + "B"
	}
	for name, c := range map[string]struct {
		cb   connect.Callback
		want error
	}{
		"no state":      {connect.Callback{Code: "x"}, connect.ErrMissingParam},
		"another state": {connect.Callback{Code: "x", State: another}, connect.ErrMismatch},
		"denied":        {connect.Callback{State: p.State, Error: "access_denied"}, connect.ErrDenied},
		"no code":       {connect.Callback{State: p.State}, connect.ErrMissingParam},
	} {
		if err := f.signIn.Check(p, c.cb); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
	other := p
	other.RedirectURI += "&x=1" // not what the consent page was given
	if _, err := f.signIn.Complete(t.Context(), other, cb); !errors.Is(err, connect.ErrRejected) {
		t.Errorf("exchange with another redirect URI: %v, want ErrRejected", err)
	}
	// The refused exchange spent the code, as iHealth's single-use codes are.
	if _, err := f.signIn.Complete(t.Context(), p, cb); !errors.Is(err, connect.ErrInvalidGrant) {
		t.Errorf("a spent code: %v, want ErrInvalidGrant", err)
	}
	authURL, p, _ = f.signIn.Begin(t.Context())
	tok, err := f.signIn.Complete(t.Context(), p, connect.ParseCallback(consent(t, authURL, "allow")))
	if err != nil || tok.UserID != f.emu.IHealthUserID() || tok.Kind != "oauth2" || tok.RefreshToken == "" {
		t.Fatalf("Complete = %+v, %v", tok, err)
	}
	if d := time.Until(tok.Expiry); d > tokenLifetimeCap || d < tokenLifetimeCap-time.Minute {
		t.Errorf("expiry in %v, want the 48 h cap (Expires says 42.5 days)", d)
	}
}

// TestBadTokenAnswers: no UserID, an Expires that is not a number, an HTML page: clear refusals.
func TestBadTokenAnswers(t *testing.T) {
	cases := []struct {
		name   string
		status int
		body   string
		want   error
		says   string
	}{
		{"no UserID", 200, `{"AccessToken":"a","Expires":3672000,"RefreshToken":"r","APIName":"OpenApiWeight"}`, connect.ErrRejected, "UserID"},
		{"Expires not a number", 200, `{"AccessToken":"a","Expires":"soon","RefreshToken":"r","UserID":"u1"}`, connect.ErrRejected, "Expires"},
		{"Expires negative", 200, `{"AccessToken":"a","Expires":-5,"RefreshToken":"r","UserID":"u1"}`, connect.ErrRejected, "Expires"},
		{"HTML page", 200, `<html><body>Server Error</body></html>`, connect.ErrRejected, "not JSON"},
		{"HTML 502", 502, `<html><body>Bad Gateway</body></html>`, connect.ErrProviderFailed, ""},
		{"weight not granted", 200, `{"AccessToken":"a","Expires":3672000,"RefreshToken":"r","UserID":"u1","APIName":"OpenApiBP"}`, connect.ErrScopeMissing, ""},
		{"secret refused", 200, `{"Error":"client_secret_mismatch","ErrorCode":1002,"ErrorDescription":"x"}`, connect.ErrRejected, ""},
		{"code refused", 200, `{"Error":"is_not_authorized","ErrorCode":"0002","ErrorDescription":"x"}`, connect.ErrInvalidGrant, ""},
	}
	for _, c := range cases {
		srv := httptest.NewServer(&fake{status: c.status, body: c.body})
		s := NewSignIn(Config{ClientID: "c", ClientSecret: "s", APIURL: srv.URL, CallbackURL: testCallback})
		p := connect.Pending{Provider: ID, State: "st", RedirectURI: testCallback + "?state=st"}
		_, err := s.Complete(t.Context(), p, connect.Callback{State: "st", Code: "code-value"})
		if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %v, want %v saying %q", c.name, err, c.want, c.says)
		}
		if err != nil && strings.Contains(err.Error(), "code-value") {
			t.Errorf("%s: the error quotes the code", c.name)
		}
		srv.Close()
	}
}

// TestExpiresVariants: a lifetime in seconds, a Unix time (the sample's comment), none: all at most 48 hours.
func TestExpiresVariants(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	for raw, want := range map[string]time.Time{
		`3600`:       now.Add(time.Hour),
		`"3600"`:     now.Add(time.Hour),
		`3672000`:    now.Add(48 * time.Hour),
		`1777644000`: time.Unix(1777644000, 0), // 2026-05-01T14:00Z
		`null`:       now.Add(48 * time.Hour),
	} {
		got, err := expiryOf([]byte(raw), now)
		if err != nil || !got.Equal(want) {
			t.Errorf("Expires %s: %v, %v; want %v", raw, got, err, want)
		}
	}
}

// TestUserRegionIsTrustedOnlyForIHealthHosts: the account's credentials go to iHealth's own hosts only.
func TestUserRegionIsTrustedOnlyForIHealthHosts(t *testing.T) {
	for region, want := range map[string]string{
		"https://openapi.ihealthlabs.eu":      "https://openapi.ihealthlabs.eu",
		"https://api.ihealthlabs.com:8443":    "https://api.ihealthlabs.com:8443",
		"openapi.ihealthlabs.eu":              "https://openapi.ihealthlabs.eu",
		"http://openapi.ihealthlabs.eu":       "",
		"https://ihealthlabs.eu.evil.com":     "",
		"https://user@openapi.ihealthlabs.eu": "",
		"https://openapi.ihealthlabs.eu/x":    "",
		"":                                    "",
	} {
		if got := regionOf(region, DefaultAPIURL); got != want {
			t.Errorf("regionOf(%q) = %q, want %q", region, got, want)
		}
	}
}

// TestRefreshWithAndWithoutRotation: a rotated refresh token replaces the old one; without rotation (the same
// one again, or none in the answer) the old one stays. A dead grant is connect.ErrInvalidGrant.
func TestRefreshWithAndWithoutRotation(t *testing.T) {
	for name, o := range map[string]emulator.IHealthOptions{
		"rotating": {Rotate: true}, "same token": {}, "no token in the answer": {OmitRefreshToken: true},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, 30, o)
			tok := f.connectAccount(t)
			tok.UserID = "" // package tokens does not keep it; the refresh works without
			fresh, err := f.signIn.Refresh(t.Context(), tok)
			if err != nil {
				t.Fatal(err)
			}
			if rotated := fresh.RefreshToken != tok.RefreshToken; rotated != o.Rotate {
				t.Errorf("rotated %v, want %v", rotated, o.Rotate)
			}
			if fresh.Token == tok.Token || fresh.Secret != tok.Secret || fresh.Scope == "" {
				t.Errorf("refreshed %+v from %+v", fresh, tok)
			}
			again, err := f.signIn.Refresh(t.Context(), fresh)
			if err != nil || again.Token == "" {
				t.Errorf("second refresh with the kept token: %v", err)
			}
			if _, err := f.signIn.Refresh(t.Context(), tok); o.Rotate && !errors.Is(err, connect.ErrInvalidGrant) {
				t.Errorf("the rotated-away refresh token: %v, want ErrInvalidGrant", err)
			}
			f.emu.RevokeIHealthGrants()
			if _, err := f.signIn.Refresh(t.Context(), again); !errors.Is(err, connect.ErrInvalidGrant) {
				t.Errorf("dead grant: %v, want ErrInvalidGrant", err)
			}
		})
	}
}

// managed is the account as the app runs it: the token in a real store, package tokens refreshing it.
func managed(t *testing.T, f *fixture, tok connect.Token) (*tokens.Manager, *store.DB, store.Account) {
	t.Helper()
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "t.db"), store.Options{Key: make([]byte, 32)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	acct, err := db.UpsertAccount(t.Context(), store.Account{Provider: ID, ExternalUserID: tok.UserID})
	if err != nil {
		t.Fatal(err)
	}
	err = db.SaveCredentials(t.Context(), acct.ID, store.Credentials{Kind: tok.Kind, Token: tok.Token, Secret: tok.Secret,
		RefreshToken: tok.RefreshToken, Expiry: tok.Expiry, Scope: tok.Scope})
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	return tokens.New(db, []connect.Provider{f.prov}, quiet), db, acct
}

func (f *fixture) managedSource(t *testing.T, m *tokens.Manager, acct store.Account, userID string) provider.Source {
	t.Helper()
	hc, err := m.Client(t.Context(), acct)
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.prov.Source(provider.SourceEnv{HTTP: hc, Account: provider.Account{ID: acct.ID, UserID: userID},
		Now: func() time.Time { return testToday.Add(12 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestExpiredAccessTokenRefreshedOnce: iHealth says unauthorized_token with HTTP 200; the app refreshes once,
// stores the new pair (rotated here) before using it, and the request goes through.
func TestExpiredAccessTokenRefreshedOnce(t *testing.T) {
	f := newFixture(t, 30, emulator.IHealthOptions{Rotate: true})
	tok := f.connectAccount(t)
	m, db, acct := managed(t, f, tok)
	f.emu.ExpireIHealthTokens() // the stored expiry still looks fine: only the answer says otherwise
	s := f.managedSource(t, m, acct, tok.UserID)
	if _, err := s.Next(t.Context()); err != nil {
		t.Fatalf("Next: %v", err)
	}
	if _, _, refreshes, _ := f.emu.IHealthRequests(); refreshes != 1 {
		t.Errorf("%d refreshes, want 1", refreshes)
	}
	creds, _ := db.Credentials(t.Context(), acct.ID)
	if creds.Token == tok.Token || creds.RefreshToken == tok.RefreshToken || creds.Secret != tok.Secret {
		t.Error("the refreshed pair (and the region) was not stored")
	}
	if _, err := s.Next(t.Context()); err != nil {
		t.Fatalf("second Next: %v", err)
	}
	if _, _, refreshes, _ := f.emu.IHealthRequests(); refreshes != 1 {
		t.Errorf("%d refreshes after the second request, want still 1", refreshes)
	}
}

// TestDeadGrantNeedsReconnect: a revoked grant marks the account for reconnect; its data is not the sync's to
// touch.
func TestDeadGrantNeedsReconnect(t *testing.T) {
	f := newFixture(t, 30, emulator.IHealthOptions{})
	tok := f.connectAccount(t)
	m, db, acct := managed(t, f, tok)
	f.emu.RevokeIHealthGrants()
	_, err := f.managedSource(t, m, acct, tok.UserID).Next(t.Context())
	if !errors.Is(err, provider.ErrReconnect) {
		t.Fatalf("Next = %v, want ErrReconnect", err)
	}
	if a, _ := db.Account(t.Context(), acct.ID); !a.NeedsReconnect {
		t.Error("account not marked for reconnect")
	}
}

// TestCredentialsTravelInTheQueryOnly: the data request carries the five credentials in its query and no
// Authorization header; a request for another host is not sent at all.
func TestCredentialsTravelInTheQueryOnly(t *testing.T) {
	var got *http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Clone(r.Context())
		_, _ = io.WriteString(w, `{"WeightDataList":[],"WeightUnit":0,"NextPageUrl":""}`)
	}))
	defer srv.Close()
	s := NewSignIn(Config{ClientID: "cid", ClientSecret: "cs", SC: "sc1", SV: "sv1", APIURL: srv.URL, CallbackURL: testCallback})
	hc := s.Client(t.Context(), connect.Token{Token: "AT*x-1"})
	if _, err := NewClient(hc, srv.URL).Weights(t.Context(), "u1", 1, 2, 1); err != nil {
		t.Fatal(err)
	}
	q := got.URL.Query()
	for k, v := range map[string]string{"client_id": "cid", "client_secret": "cs", "access_token": "AT*x-1", "sc": "sc1", "sv": "sv1", "page_index": "1"} {
		if q.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, q.Get(k), v)
		}
	}
	if got.Header.Get("Authorization") != "" || got.URL.Path != "/openapiv2/user/u1/weight.json/" {
		t.Errorf("header %q, path %s", got.Header.Get("Authorization"), got.URL.Path)
	}
	_, err := NewClient(hc, "http://other.invalid").Weights(t.Context(), "u1", 1, 2, 1)
	if !errors.Is(err, provider.ErrBadRequest) || strings.Contains(err.Error(), "AT*x-1") {
		t.Errorf("another host: %v", err)
	}
}
