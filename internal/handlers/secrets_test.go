package handlers_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/bodystats/bodystats/internal/emulator"
	"github.com/bodystats/bodystats/internal/googlehealth"
)

// TestNoSecretsInLogsOrPages runs a whole connection and checks that neither the log nor any page the app
// served holds the consumer secret, the request token, the verifier, or the access token and secret.
func TestNoSecretsInLogsOrPages(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	token := b.startLogin()
	cb := b.decide(token, "allow")
	u, err := url.Parse(cb)
	if err != nil {
		t.Fatal(err)
	}
	verifier := u.Query().Get("oauth_verifier")
	var pages []string
	pages = append(pages, b.get(cb).body, b.get("/callback?oauth_token=forged&oauth_verifier="+verifier).body)
	b.waitSync()
	for _, path := range []string{"/", "/weight", "/bmi", "/fat", "/export.csv", "/sync/status"} {
		pages = append(pages, b.get(path).body)
	}
	acct, err := e.db.ConnectedAccount(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	creds, err := e.db.Credentials(t.Context(), acct.ID)
	if err != nil {
		t.Fatal(err)
	}

	secrets := map[string]string{
		"consumer secret": consumerSecret,
		"request token":   token,
		"verifier":        verifier,
		"access token":    creds.Token,
		"token secret":    creds.Secret,
	}
	logs := e.logs.String()
	if !strings.Contains(logs, "path=/callback") {
		t.Fatalf("the log did not capture the flow:\n%s", logs)
	}
	for name, s := range secrets {
		if len(s) < 8 {
			t.Fatalf("%s %q is too short to search for", name, s)
		}
		if strings.Contains(logs, s) {
			t.Errorf("the log contains the %s", name)
		}
		for i, p := range pages {
			if strings.Contains(p, s) {
				t.Errorf("page %d contains the %s", i, name)
			}
		}
	}
}

// TestNoSecretsInLogsAnyFlow connects with both OAuth 2.0 providers, refreshes, syncs, imports and fails an
// exchange, then checks that the log holds none of the client secret, codes, states, or tokens seen.
func TestNoSecretsInLogsAnyFlow(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	secrets := map[string]string{"client secret": clientSecret, "consumer secret": consumerSecret}
	remember := func(name, cb string) {
		u, err := url.Parse(cb)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"code", "state"} {
			if v := u.Query().Get(k); v != "" {
				secrets[name+" "+k] = v
			}
		}
	}
	tokens := func(when string) {
		for _, provider := range []string{"fitbit", "google-health"} {
			acct, err := e.db.FindAccount(t.Context(), provider, map[string]string{"fitbit": e.emu.User().EncodedID, "google-health": e.emu.GoogleUser().HealthUserID}[provider])
			if err != nil {
				continue
			}
			creds, err := e.db.Credentials(t.Context(), acct.ID)
			if err != nil {
				t.Fatal(err)
			}
			secrets[when+" "+provider+" access token"] = creds.Token
			secrets[when+" "+provider+" refresh token"] = creds.RefreshToken
		}
	}
	for _, p := range []struct {
		name   string
		scopes []string
	}{{"fitbit", []string{"weight", "profile"}}, {"google-health", googlehealth.Scopes}} {
		consentURL, request := b.consentOAuth2(p.name)
		cb := b.decideOAuth2(consentURL, request, "allow", p.scopes...)
		remember(p.name, cb)
		b.get(cb)
		b.waitSync()
		b.get(cb) // a replay, refused
	}
	tokens("first")
	e.emu.ExpireAccessTokens()
	b.post("/sync", url.Values{})
	b.waitSync()
	tokens("refreshed")
	b.upload("export.zip", e.export(emulator.ExportOptions{Layout: emulator.LayoutTakeout, Pounds: true}), "")

	consentURL, request := b.consentOAuth2("fitbit")
	cb := b.decideOAuth2(consentURL, request, "allow", "weight", "profile")
	remember("failed", cb)
	e.tokenFault.Store(&tokenFault{400, `{"errors":[{"errorType":"invalid_grant","message":"Authorization code invalid: ` + secrets["failed code"] + `"}]}`})
	b.get(cb)

	logs := e.logs.String()
	for name, s := range secrets {
		if len(s) < 8 {
			t.Fatalf("%s %q is too short to search for", name, s)
		}
		if strings.Contains(logs, s) {
			t.Errorf("the log contains the %s", name)
		}
	}
	if !strings.Contains(logs, "token refreshed") || !strings.Contains(logs, "import finished") {
		t.Errorf("the log did not capture the refresh and the import:\n%s", logs)
	}
}
