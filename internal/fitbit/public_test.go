package fitbit

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/dghubble/oauth1"

	"github.com/bodystats/bodystats/internal/emulator"
	"github.com/bodystats/bodystats/internal/provider"
)

const (
	publicKey    = "bodystats"
	publicSecret = "consumer s3cret&+/"
)

// recorder keeps the Authorization header of every request it passes on.
type recorder struct {
	mu      sync.Mutex
	headers []string
	urls    []string
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.headers = append(r.headers, req.Header.Get("Authorization"))
	r.urls = append(r.urls, req.URL.String())
	r.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

func publicFixture(t *testing.T) (*emulator.Emulator, *httptest.Server, *recorder, *http.Client) {
	t.Helper()
	emu := emulator.New(emulator.Options{Days: 30})
	emu.AddConsumer(publicKey, publicSecret)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	rec := &recorder{}
	return emu, srv, rec, &http.Client{Transport: rec}
}

// TestPublicProfileIDs: the table of IDs the page is tested with, read from the emulator.
func TestPublicProfileIDs(t *testing.T) {
	emu, srv, rec, hc := publicFixture(t)
	logs := emu.WeightLogs()
	latest := logs[len(logs)-1].WeightKg
	cases := []struct {
		id        string
		want      error
		name      string
		hasWeight bool
		sent      bool
	}{
		{"7BDEMO", nil, "Sam", true, true},
		{emulator.PublicNoBodyUserID, nil, "USERNAME", false, true},
		{emulator.PrivateUserID, ErrPrivateProfile, "", false, true},
		{"ZZZZZ9", ErrNoSuchUser, "", false, true},
		{"1ABCD", ErrBadUserID, "", false, false},
		{"1ABCDEF", ErrBadUserID, "", false, false},
		{"1AB/DE", ErrBadUserID, "", false, false},
		{"1AB DE", ErrBadUserID, "", false, false},
		{"-", ErrBadUserID, "", false, false},
		{"", ErrBadUserID, "", false, false},
	}
	for _, c := range cases {
		before := len(rec.urls)
		p, err := ReadPublicProfile(t.Context(), hc, srv.URL, publicKey, publicSecret, c.id)
		if !errors.Is(err, c.want) {
			t.Errorf("%q: %v, want %v", c.id, err, c.want)
			continue
		}
		if sent := len(rec.urls) > before; sent != c.sent {
			t.Errorf("%q: request sent %v, want %v", c.id, sent, c.sent)
		}
		if err != nil {
			continue
		}
		if p.DisplayName != c.name || p.HasWeight != c.hasWeight || !strings.HasPrefix(p.Avatar, srv.URL) {
			t.Errorf("%q: %+v", c.id, p)
		}
		if c.hasWeight && p.WeightKg != latest {
			t.Errorf("%q: weight %v, want the latest weigh-in %v kg", c.id, p.WeightKg, latest)
		}
	}
	if errors.Is(ErrPrivateProfile, ErrNoSuchUser) || !errors.Is(ErrNoSuchUser, provider.ErrNotFound) {
		t.Error("the kinds are not told apart")
	}
}

// TestPublicReadIsSignedWithAnEmptyTokenSecret: the request carries no user token, its signature is HMAC-SHA1
// with the key "consumer_secret&", and the emulator refuses the same request signed with any token secret or
// another consumer secret.
func TestPublicReadIsSignedWithAnEmptyTokenSecret(t *testing.T) {
	_, srv, rec, hc := publicFixture(t)
	if _, err := ReadPublicProfile(t.Context(), hc, srv.URL, publicKey, publicSecret, "7BDEMO"); err != nil {
		t.Fatal(err)
	}
	params := parseHeader(t, rec.headers[0])
	if params["oauth_token"] != "" || params["oauth_consumer_key"] != publicKey || params["oauth_signature_method"] != "HMAC-SHA1" {
		t.Fatalf("header params %v", params)
	}
	if want := sign(srv.URL+"/1/user/7BDEMO/profile.json", params, oauth1.PercentEncode(publicSecret)+"&"); params["oauth_signature"] != want {
		t.Errorf("signature %q, want HMAC-SHA1 keyed by the consumer secret and an empty token secret (%q)", params["oauth_signature"], want)
	}

	// Signed with a token secret the emulator has no reason to expect: refused.
	cfg := oauth1.Config{ConsumerKey: publicKey, ConsumerSecret: publicSecret}
	resp, err := cfg.Client(t.Context(), oauth1.NewToken("", "not-empty")).Get(srv.URL + "/1/user/7BDEMO/profile.json")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("signed with a token secret: HTTP %d, want 401", resp.StatusCode)
	}
	if _, err := ReadPublicProfile(t.Context(), hc, srv.URL, publicKey, "wrong", "7BDEMO"); !errors.Is(err, provider.ErrUnauthorized) {
		t.Errorf("wrong consumer secret: %v, want ErrUnauthorized", err)
	}
	// Two-legged requests read public profiles and nothing else.
	resp, err = cfg.Client(t.Context(), oauth1.NewToken("", "")).Get(srv.URL + "/1/user/7BDEMO/body/log/weight/date/2026-01-01/1m.json")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode < 400 || resp.StatusCode >= 500 {
		t.Errorf("two-legged weight log: HTTP %d, want a refusal", resp.StatusCode)
	}
}

// TestPublicReadOfARetiredAPI: a 410 is ErrGone.
func TestPublicReadOfARetiredAPI(t *testing.T) {
	emu, srv, _, hc := publicFixture(t)
	emu.SetGone(true)
	if _, err := ReadPublicProfile(t.Context(), hc, srv.URL, publicKey, publicSecret, "7BDEMO"); !errors.Is(err, provider.ErrGone) {
		t.Errorf("retired API: %v, want ErrGone", err)
	}
}

func parseHeader(t *testing.T, h string) map[string]string {
	t.Helper()
	rest, ok := strings.CutPrefix(h, "OAuth ")
	if !ok {
		t.Fatalf("Authorization %q", h)
	}
	out := map[string]string{}
	for _, part := range strings.Split(rest, ", ") {
		k, v, _ := strings.Cut(part, "=")
		v = strings.Trim(v, `"`)
		dec, err := urlUnescape(v)
		if err != nil {
			t.Fatal(err)
		}
		out[k] = dec
	}
	return out
}

// sign is RFC 5849 §3.4's HMAC-SHA1 over the base string of a GET without query parameters.
func sign(uri string, params map[string]string, key string) string {
	var pairs []string
	for k, v := range params {
		if k != "oauth_signature" && k != "realm" {
			pairs = append(pairs, oauth1.PercentEncode(k)+"="+oauth1.PercentEncode(v))
		}
	}
	sort.Strings(pairs)
	base := "GET&" + oauth1.PercentEncode(uri) + "&" + oauth1.PercentEncode(strings.Join(pairs, "&"))
	mac := hmac.New(sha1.New, []byte(key))
	mac.Write([]byte(base))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func urlUnescape(s string) (string, error) { return url.PathUnescape(s) }

// TestProviderPublicProfile: the OAuth 1.0a provider reads public profiles with its own consumer; the OAuth 2.0
// one has none.
func TestProviderPublicProfile(t *testing.T) {
	_, srv, rec, hc := publicFixture(t)
	settings := map[string]string{"FITBIT_CONSUMER_KEY": publicKey, "FITBIT_CONSUMER_SECRET": publicSecret,
		"FITBIT_API_URL": srv.URL, "FITBIT_WWW_URL": srv.URL, "FITBIT_CLIENT_ID": "c", "FITBIT_CLIENT_SECRET": "s"}
	env := provider.Env{Get: func(k string) string { return settings[k] }, CallbackURL: "http://app.invalid/callback", HTTPClient: hc}
	p := OAuth1Spec.New(env).(*Provider)
	got, err := p.PublicProfile(t.Context(), "7BDEMO")
	if err != nil || got.DisplayName != "Sam" || !got.HasWeight {
		t.Fatalf("PublicProfile = %+v, %v", got, err)
	}
	if params := parseHeader(t, rec.headers[len(rec.headers)-1]); params["oauth_token"] != "" || params["oauth_consumer_key"] != publicKey {
		t.Errorf("signed with %v", params)
	}
	if _, err := p.PublicProfile(t.Context(), "bad id"); !errors.Is(err, ErrBadUserID) || len(rec.urls) != 1 {
		t.Errorf("bad id: %v after %d requests", err, len(rec.urls))
	}
	if _, err := OAuth2Spec.New(env).(*Provider).PublicProfile(t.Context(), "7BDEMO"); !errors.Is(err, ErrNoConsumer) {
		t.Errorf("OAuth 2.0 provider: %v, want ErrNoConsumer", err)
	}
}

// TestDemoPublicExample: in demo mode the OAuth 1.0a provider names the demo user, whose profile is public.
func TestDemoPublicExample(t *testing.T) {
	emu, srv, _, hc := publicFixture(t)
	settings := emu.DemoFitbitOAuth1(emulator.Demo{URL: srv.URL, ConsentURL: srv.URL, ClientID: publicKey, Secret: publicSecret})
	env := provider.Env{Get: func(k string) string { return settings[k] }, HTTPClient: hc, Demo: true}
	p := OAuth1Spec.New(env).(*Provider)
	if p.PublicExample() != emu.User().EncodedID {
		t.Fatalf("PublicExample %q", p.PublicExample())
	}
	if got, err := p.PublicProfile(t.Context(), p.PublicExample()); err != nil || !got.HasWeight {
		t.Errorf("the demo user's public profile: %+v, %v", got, err)
	}
	env.Demo = false
	if OAuth1Spec.New(env).(*Provider).PublicExample() != "" {
		t.Error("an example outside demo mode")
	}
}
