package withings

import (
	"context"
	"net/http"
	"testing"

	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/provider"
)

var _ provider.Describer = (*Provider)(nil)

func TestSpec(t *testing.T) {
	settings := map[string]string{"WITHINGS_CLIENT_ID": "id", "WITHINGS_CLIENT_SECRET": "s"}
	get := func(k string) string { return settings[k] }
	if !Spec.Configured(get) || Spec.Configured(func(string) string { return "" }) {
		t.Fatal("Configured follows WITHINGS_CLIENT_ID")
	}
	env := provider.Env{Get: get, CallbackURL: "http://localhost:8080/callback", HTTPClient: http.DefaultClient}
	p := Spec.New(env)
	if p.Name() != ID || p.Info().Paste || p.Info().Setup != "withings" || p.Info().Action != "Connect Withings" {
		t.Errorf("info %+v", p.Info())
	}
	authURL, _, _ := p.Begin(context.Background())
	if q := mustQuery(t, authURL); q.Get("redirect_uri") != env.CallbackURL || authURL[:len(DefaultAuthURL)] != DefaultAuthURL {
		t.Errorf("default redirect and consent page: %s", authURL)
	}

	settings["WITHINGS_REDIRECT_URI"] = "https://me.example.org/withings-forward.html"
	p = Spec.New(env)
	authURL, _, _ = p.Begin(context.Background())
	if q := mustQuery(t, authURL); q.Get("redirect_uri") != settings["WITHINGS_REDIRECT_URI"] || !p.Info().Paste {
		t.Errorf("WITHINGS_REDIRECT_URI is sent verbatim and offers the paste box: %s, %+v", authURL, p.Info())
	}

	env.Demo = true
	if p := Spec.New(env); p.Info().Action != "Connect Withings (demo)" {
		t.Errorf("demo label %q", p.Info().Action)
	}
}

func TestIdentify(t *testing.T) {
	p := Spec.New(provider.Env{Get: func(string) string { return "" }}).(*Provider)
	prof, err := p.Identify(context.Background(), nil, connect.Token{UserID: "4827163"})
	if err != nil || prof.UserID != "4827163" || prof.DisplayName != "Withings user 4827163" {
		t.Errorf("%+v, %v", prof, err)
	}
	if _, err := p.Identify(context.Background(), nil, connect.Token{}); err == nil {
		t.Error("a token without userid identifies nobody")
	}
}

func TestSpecRedirectURIForThePaste(t *testing.T) {
	settings := map[string]string{"WITHINGS_CLIENT_ID": "id", "WITHINGS_REDIRECT_URI": "https://me.example.org/landed"}
	p := Spec.New(provider.Env{Get: func(k string) string { return settings[k] }, CallbackURL: "http://localhost:8080/callback"})
	rp, ok := p.(interface{ RedirectURI() string })
	if !ok || rp.RedirectURI() != settings["WITHINGS_REDIRECT_URI"] {
		t.Fatalf("the provider names its redirect URI for the paste check: %t", ok)
	}
}
