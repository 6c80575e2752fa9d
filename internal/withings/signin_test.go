package withings

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/emulator"
	"github.com/bodystats/bodystats/internal/provider"
)

func TestSignIn(t *testing.T) {
	h := newHarness(t, 30, emulator.WithingsOptions{})
	tok := h.connect(t)
	if tok.UserID != "4827163" || tok.Token == "" || tok.RefreshToken == "" || tok.Kind != "oauth2" {
		t.Fatalf("token: user %q, access %t, refresh %t, kind %q", tok.UserID, tok.Token != "", tok.RefreshToken != "", tok.Kind)
	}
	if want := h.clk.Now().Add(3 * time.Hour); !tok.Expiry.Equal(want) {
		t.Errorf("expiry %v, want %v", tok.Expiry, want)
	}
	if _, err := NewClient(h.signIn.Client(context.Background(), tok), h.srv.URL).GetMeas(context.Background(), MeasQuery{Types: []int{TypeHeight}}); err != nil {
		t.Errorf("the new token opens getmeas: %v", err)
	}
}

func TestSignInBeginAsksForMetricsWithTheRedirectURIVerbatim(t *testing.T) {
	h := newHarness(t, 30, emulator.WithingsOptions{})
	authURL, pending, err := h.signIn.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	q := mustQuery(t, authURL)
	for k, want := range map[string]string{"response_type": "code", "client_id": testClientID, "scope": "user.metrics",
		"redirect_uri": testRedirect, "state": pending.State} {
		if got := q.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if q.Has("code_challenge") || len(pending.State) < 40 || pending.Verifier != "" {
		t.Errorf("no PKCE and a long state: challenge %t, state %d chars", q.Has("code_challenge"), len(pending.State))
	}
}

func TestSignInRefusals(t *testing.T) {
	h := newHarness(t, 30, emulator.WithingsOptions{})
	ctx := context.Background()
	begin := func(s *SignIn) (connect.Pending, connect.Callback) {
		authURL, pending, err := s.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return pending, h.consent(t, authURL, "allow")
	}
	t.Run("Denied", func(t *testing.T) {
		authURL, pending, _ := h.signIn.Begin(ctx)
		cb := h.consent(t, authURL, "deny")
		if err := h.signIn.Check(pending, cb); !errors.Is(err, connect.ErrDenied) {
			t.Fatalf("got %v, want ErrDenied", err)
		}
	})
	t.Run("StateMismatch", func(t *testing.T) {
		pending, cb := begin(h.signIn)
		cb.State += "x"
		if _, err := h.signIn.Complete(ctx, pending, cb); !errors.Is(err, connect.ErrMismatch) {
			t.Fatalf("got %v, want ErrMismatch", err)
		}
	})
	t.Run("ExpiredCode", func(t *testing.T) {
		pending, cb := begin(h.signIn)
		h.clk.Add(31 * time.Second) // codes live 30 seconds
		_, err := h.signIn.Complete(ctx, pending, cb)
		assertStatus(t, err, connect.ErrInvalidGrant, 503)
		if !errors.Is(err, ErrCodeRefused) || !strings.Contains((&Provider{}).Describe(err), "30 seconds") {
			t.Errorf("an expired code has its own sentence: %v", err)
		}
	})
	t.Run("ReusedCodeAfterTenSeconds", func(t *testing.T) {
		pending, cb := begin(h.signIn)
		if _, err := h.signIn.Complete(ctx, pending, cb); err != nil {
			t.Fatal(err)
		}
		h.clk.Add(11 * time.Second)
		_, err := h.signIn.Complete(ctx, pending, cb)
		assertStatus(t, err, connect.ErrInvalidGrant, 503)
	})
	t.Run("ReusedCodeAtOnce", func(t *testing.T) {
		pending, cb := begin(h.signIn)
		if _, err := h.signIn.Complete(ctx, pending, cb); err != nil {
			t.Fatal(err)
		}
		_, err := h.signIn.Complete(ctx, pending, cb) // the same arguments within 10 s: 601, not a token
		assertStatus(t, err, connect.ErrRejected, 601)
		if !errors.Is(err, ErrCodeRepeated) || !strings.Contains((&Provider{}).Describe(err), "10 seconds") {
			t.Errorf("a repeated exchange has its own sentence: %v", err)
		}
		if provider.RetryAfter(err) <= 0 {
			t.Errorf("a 601 says how long to wait: %v", err)
		}
	})
	t.Run("WrongSecret", func(t *testing.T) {
		h.clk.Add(11 * time.Second)
		bad := h.newSignIn("not-the-secret", testRedirect)
		pending, cb := begin(bad)
		_, err := bad.Complete(ctx, pending, cb)
		assertStatus(t, err, connect.ErrRejected, 503)
		if !errors.Is(err, ErrClient) || errors.Is(err, connect.ErrInvalidGrant) {
			t.Errorf("a refused secret is the client's fault, not a dead grant: %v", err)
		}
		if strings.Contains(err.Error(), "not-the-secret") {
			t.Errorf("the error quotes the secret: %v", err)
		}
	})
	t.Run("RedirectURIOtherThanTheConsentPage", func(t *testing.T) {
		pending, cb := begin(h.signIn)
		other := h.newSignIn(testSecret, "http://localhost:8080/callback") // registered too, but not the one consented to
		_, err := other.Complete(ctx, pending, cb)
		assertStatus(t, err, connect.ErrInvalidGrant, 503)
	})
	t.Run("UnregisteredRedirectURI", func(t *testing.T) {
		s := h.newSignIn(testSecret, testRedirect+"/") // one byte longer
		authURL, _, _ := s.Begin(ctx)
		resp, err := http.Get(authURL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("consent page for an unregistered redirect URI: HTTP %d", resp.StatusCode)
		}
	})
}

func TestSignInStatusInA200(t *testing.T) {
	cases := []struct {
		name, body string
		want       error
	}{
		{"DeadCode", `{"status":503,"body":{},"error":"Invalid Params: invalid code"}`, connect.ErrInvalidGrant},
		{"BadClient", `{"status":503,"body":{},"error":"Invalid Params: invalid client_id"}`, ErrClient},
		{"AuthFailed", `{"status":401,"body":{},"error":"invalid_token"}`, connect.ErrRejected},
		{"UnknownAction", `{"status":2554,"body":{},"error":"Not implemented"}`, connect.ErrRejected},
		{"Timeout", `{"status":522,"body":{}}`, connect.ErrProviderFailed},
		{"NotJSON", `<html>Bad Gateway</html>`, connect.ErrProviderFailed},
		{"NoAccessToken", `{"status":0,"body":{"userid":1}}`, connect.ErrProviderFailed},
		{"BodyNotAnObject", `{"status":0,"body":[]}`, connect.ErrProviderFailed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := canned(t, http.StatusOK, c.body)
			s := NewSignIn(SignInConfig{ClientID: "c", ClientSecret: "s", AuthURL: srv.URL, APIURL: srv.URL, RedirectURI: testRedirect})
			_, err := s.Complete(context.Background(), connect.Pending{State: "st"}, connect.Callback{State: "st", Code: "code"})
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
		})
	}
}

func TestSignInTokenParametersInTheBodyOnly(t *testing.T) {
	h := newHarness(t, 30, emulator.WithingsOptions{})
	q := url.Values{"action": {"requesttoken"}, "grant_type": {"refresh_token"}, "client_id": {testClientID},
		"client_secret": {testSecret}, "refresh_token": {"x"}}
	resp, err := http.Post(h.srv.URL+"/v2/oauth2?"+q.Encode(), "application/x-www-form-urlencoded", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, detail, err := readEnvelope(resp)
	if resp.StatusCode != http.StatusOK || !strings.Contains(detail, "grant_type") {
		t.Errorf("parameters in the query: HTTP %d, %q, %v", resp.StatusCode, detail, err)
	}
	assertStatus(t, err, ErrInvalidParams, 503)
}

func assertStatus(t *testing.T, err, kind error, status int) {
	t.Helper()
	var se *StatusError
	if !errors.Is(err, kind) || !errors.As(err, &se) || se.Status != status {
		t.Fatalf("got %v, want %v with status %d", err, kind, status)
	}
}

func mustQuery(t *testing.T, raw string) url.Values {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}
