package handlers_test

import (
	"net/url"
	"strings"
	"testing"
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
