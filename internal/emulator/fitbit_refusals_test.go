package emulator

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dghubble/oauth1"
)

func TestUnknownConsumer(t *testing.T) {
	f := newFixture(t, Options{})
	other := *f.cfg
	other.ConsumerKey = "someone-else"
	if _, _, err := other.RequestToken(); err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("request token for an unknown consumer: got err %v, want a 401", err)
	}
	r, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/oauth/request_token", nil)
	signRequest(t, r, "someone-else", testSecret, "", "", "n1", f.clock.Now().Unix())
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	wantError(t, resp, http.StatusUnauthorized, "invalid_client", "oauth_consumer_key")
}

// TestOAuthRefusals covers refusals that need a hand-built request; each names the field at fault.
func TestOAuthRefusals(t *testing.T) {
	f := newFixture(t, Options{})
	token, secret := f.emu.IssueAccessToken(testKey)
	now := f.clock.Now().Unix()
	profile := f.srv.URL + "/1/user/-/profile.json"
	tests := []struct {
		name      string
		method    string
		url       string
		prepare   func(r *http.Request)
		status    int
		errorType string
		field     string
	}{
		{"no authorization", "GET", profile, func(r *http.Request) {}, 401, "invalid_client", "Authorization"},
		{"wrong consumer secret", "GET", profile, func(r *http.Request) {
			signRequest(t, r, testKey, "not the secret", token, secret, "n1", now)
		}, 401, "oauth", "oauth_signature"},
		{"wrong token secret", "GET", profile, func(r *http.Request) {
			signRequest(t, r, testKey, testSecret, token, "nope", "n2", now)
		}, 401, "oauth", "oauth_signature"},
		{"unknown access token", "GET", profile, func(r *http.Request) {
			signRequest(t, r, testKey, testSecret, "made-up", secret, "n3", now)
		}, 401, "invalid_token", "oauth_token"},
		{"access token of another consumer", "GET", profile, func(r *http.Request) {
			f.emu.AddConsumer("second", "second-secret")
			signRequest(t, r, "second", "second-secret", token, secret, "n4", now)
		}, 401, "invalid_token", "oauth_token"},
		{"unsupported signature method", "GET", profile, func(r *http.Request) {
			signRequest(t, r, testKey, testSecret, token, secret, "n5", now)
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "HMAC-SHA1", "PLAINTEXT", 1))
		}, 400, "oauth", "oauth_signature_method"},
		{"missing nonce", "GET", profile, func(r *http.Request) {
			signRequest(t, r, testKey, testSecret, token, secret, "", now)
		}, 400, "oauth", "oauth_nonce"},
		{"access token used as request token", "POST", f.srv.URL + "/oauth/access_token", func(r *http.Request) {
			signRequest(t, r, testKey, testSecret, token, secret, "n6", now)
		}, 401, "oauth", "oauth_token"},
		{"oob callback", "POST", f.srv.URL + "/oauth/request_token", func(r *http.Request) {
			signWithCallback(t, r, "oob", "n7", now)
		}, 400, "oauth", "oauth_callback"},
		{"relative callback", "POST", f.srv.URL + "/oauth/request_token", func(r *http.Request) {
			signWithCallback(t, r, "/callback", "n8", now)
		}, 400, "oauth", "oauth_callback"},
		{"no callback", "POST", f.srv.URL + "/oauth/request_token", func(r *http.Request) {
			signRequest(t, r, testKey, testSecret, "", "", "n9", now)
		}, 400, "oauth", "oauth_callback"},
		{"GET request token", "GET", f.srv.URL + "/oauth/request_token", func(r *http.Request) {}, 405, "request", "n/a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := http.NewRequest(tt.method, tt.url, nil)
			tt.prepare(r)
			resp, err := http.DefaultClient.Do(r)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			wantError(t, resp, tt.status, tt.errorType, tt.field, token, secret)
		})
	}
}

// signWithCallback signs a request_token call carrying oauth_callback, which signRequest does not add.
func signWithCallback(t *testing.T, r *http.Request, callback, nonce string, ts int64) {
	t.Helper()
	p := map[string]string{
		"oauth_consumer_key": testKey, "oauth_signature_method": "HMAC-SHA1", "oauth_nonce": nonce,
		"oauth_timestamp": strconv.FormatInt(ts, 10), "oauth_callback": callback,
	}
	sig, err := requestSignature(r, p, testSecret, "")
	if err != nil {
		t.Fatal(err)
	}
	p["oauth_signature"] = sig
	var pairs []string
	for k, v := range p {
		pairs = append(pairs, k+`="`+oauth1.PercentEncode(v)+`"`)
	}
	r.Header.Set("Authorization", "OAuth "+strings.Join(pairs, ", "))
}

func TestRequestTokenExpires(t *testing.T) {
	f := newFixture(t, Options{})
	token, _, err := f.cfg.RequestToken()
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(10*time.Minute + time.Second)
	resp, err := browser.Get(f.srv.URL + "/oauth/authorize?oauth_token=" + token)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("consent page for an expired token: got %d, want 400", resp.StatusCode)
	}
}

func TestConsentRefusesBadInput(t *testing.T) {
	f := newFixture(t, Options{})
	token, _, err := f.cfg.RequestToken()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, token, decision string }{
		{"unknown token", "nope", "allow"},
		{"no decision", token, ""},
		{"odd decision", token, "maybe"},
	}
	for _, tt := range tests {
		resp, err := browser.PostForm(f.srv.URL+"/oauth/authorize", map[string][]string{"oauth_token": {tt.token}, "decision": {tt.decision}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
			t.Errorf("%s: got %d, want 400 without redirect", tt.name, resp.StatusCode)
		}
	}
	// The token survived the bad posts: a real decision still works.
	resp, err := browser.PostForm(f.srv.URL+"/oauth/authorize", map[string][]string{"oauth_token": {token}, "decision": {"allow"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Errorf("allow after bad posts: got %d, want 302", resp.StatusCode)
	}
}
