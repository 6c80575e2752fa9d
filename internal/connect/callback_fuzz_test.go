package connect

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

// FuzzCallback feeds an arbitrary callback query through the path /callback takes before anything is spent:
// url.ParseQuery, ParseCallback, then Check against pending sign-ins of both protocols, including an empty one
// that no callback may ever match.
func FuzzCallback(f *testing.F) {
	o1 := NewOAuth1(OAuth1Config{Name: "fitbit-oauth1", ConsumerKey: "ck", ConsumerSecret: "cs",
		APIURL: "http://127.0.0.1:1", WWWURL: "http://127.0.0.1:1", CallbackURL: "http://127.0.0.1:1/callback"})
	o2 := NewOAuth2(OAuth2Config{Name: "fitbit", ClientID: "id", ClientSecret: "cs",
		AuthURL: "http://127.0.0.1:1/oauth2/authorize", TokenURL: "http://127.0.0.1:1/oauth2/token",
		Scopes: []string{"weight"}, CallbackURL: "http://127.0.0.1:1/callback"})
	pendings := []Pending{
		{Provider: "fitbit-oauth1", RequestToken: "rt-0123456789abcdef", RequestSecret: "request-secret-zq"},
		{Provider: "fitbit", State: "st-Xy_9-AbCdEfGhIjKlMnOpQr", Verifier: "pkce-verifier-secret-zq"},
		{Provider: "empty"},
	}

	f.Add("oauth_token=rt-0123456789abcdef&oauth_verifier=v1")
	f.Add("oauth_token=rt-0123456789abcdeF&oauth_verifier=v1")
	f.Add("oauth_token=rt-0123456789abcde&oauth_verifier=v1")
	f.Add("oauth_token=rt-0123456789abcdef")
	f.Add("oauth_token=rt-0123456789abcdef&oauth_verifier=")
	f.Add("oauth_token=&oauth_verifier=v1&oauth_token=rt-0123456789abcdef")
	f.Add("denied=rt-0123456789abcdef")
	f.Add("denied=other&oauth_token=rt-0123456789abcdef&oauth_verifier=v1")
	f.Add("code=c0de&state=st-Xy_9-AbCdEfGhIjKlMnOpQr")
	f.Add("code=c0de&state=st-Xy_9-AbCdEfGhIjKlMnOpQ")
	f.Add("code=&state=st-Xy_9-AbCdEfGhIjKlMnOpQr")
	f.Add("error=access_denied&state=st-Xy_9-AbCdEfGhIjKlMnOpQr")
	f.Add("error=server_error%3Cb%3E%20x&state=st-Xy_9-AbCdEfGhIjKlMnOpQr&code=c0de")
	f.Add("error=access_denied&state=wrong")
	f.Add("code=c0de&state=st-Xy_9-AbCdEfGhIjKlMnOpQr%00")
	f.Add("code=c0de;state=st-Xy_9-AbCdEfGhIjKlMnOpQr")
	f.Add("state=%zz&code=c0de")
	f.Add("")

	f.Fuzz(func(t *testing.T, raw string) {
		// The handler reads r.URL.Query(), which keeps whatever parsed before a bad pair; so does this.
		q, _ := url.ParseQuery(raw)
		cb := ParseCallback(q)
		for _, p := range pendings {
			checkOAuth1(t, o1, p, cb)
			checkOAuth2(t, o2, p, cb)
		}
	})
}

func checkOAuth1(t *testing.T, prov *OAuth1, p Pending, cb Callback) {
	t.Helper()
	err := prov.Check(p, cb)
	checkKind(t, "oauth1", p, cb, err)
	matches := p.RequestToken != "" && cb.OAuthToken == p.RequestToken
	switch {
	case err == nil && (!matches || cb.OAuthVerifier == "" || cb.Denied != ""):
		t.Fatalf("oauth1 Check(%+v) against %q accepted", cb, p.RequestToken)
	case err != nil && matches && cb.OAuthVerifier != "" && cb.Denied == "":
		t.Fatalf("oauth1 Check(%+v) against %q = %v, want nil", cb, p.RequestToken, err)
	case errors.Is(err, ErrDenied) && cb.Denied != p.RequestToken:
		t.Fatalf("oauth1 Check(%+v) against %q: a refusal of another token is ErrDenied", cb, p.RequestToken)
	case errors.Is(err, ErrProviderError):
		t.Fatalf("oauth1 Check(%+v) = %v: OAuth 1.0a has no error parameter", cb, err)
	}
}

func checkOAuth2(t *testing.T, prov *OAuth2, p Pending, cb Callback) {
	t.Helper()
	err := prov.Check(p, cb)
	checkKind(t, "oauth2", p, cb, err)
	matches := p.State != "" && cb.State == p.State
	switch {
	case err == nil && (!matches || cb.Code == "" || cb.Error != ""):
		t.Fatalf("oauth2 Check(%+v) against %q accepted", cb, p.State)
	case err != nil && matches && cb.Code != "" && cb.Error == "":
		t.Fatalf("oauth2 Check(%+v) against %q = %v, want nil", cb, p.State, err)
	case !matches && (errors.Is(err, ErrDenied) || errors.Is(err, ErrProviderError)):
		// An unmatched callback must not end the pending sign-in: the handler deletes it on these two.
		t.Fatalf("oauth2 Check(%+v) against %q = %v for a state that does not match", cb, p.State, err)
	}
	if errors.Is(err, ErrProviderError) {
		code, ok := strings.CutPrefix(err.Error(), ErrProviderError.Error()+": ")
		if !ok || len(code) > 40 || strings.Trim(code, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != "" {
			t.Fatalf("oauth2 Check: provider error %q quotes more than a short code", err)
		}
	}
}

// checkKind asserts that a refusal is one of the kinds the handler maps and quotes no secret of the pending
// sign-in that the callback did not carry itself.
func checkKind(t *testing.T, proto string, p Pending, cb Callback, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if !errors.Is(err, ErrDenied) && !errors.Is(err, ErrMissingParam) && !errors.Is(err, ErrMismatch) &&
		!errors.Is(err, ErrProviderError) {
		t.Fatalf("%s Check(%+v) = %v, of no known kind", proto, cb, err)
	}
	carried := strings.Join([]string{cb.OAuthToken, cb.OAuthVerifier, cb.Denied, cb.Code, cb.State, cb.Error}, "\x00")
	msg := err.Error()
	for _, secret := range []string{p.RequestToken, p.RequestSecret, p.State, p.Verifier} {
		if secret != "" && strings.Contains(msg, secret) && !strings.Contains(carried, secret) {
			t.Fatalf("%s Check(%+v) = %q quotes a pending secret", proto, cb, msg)
		}
	}
}
