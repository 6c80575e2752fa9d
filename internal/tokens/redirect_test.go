package tokens

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/connect"
)

// headerProvider authorises requests as the real OAuth 2.0 clients do: in the transport, on every request.
type headerProvider struct{ *fakeProvider }

func (headerProvider) Client(_ context.Context, t connect.Token) *http.Client {
	return &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		r = r.Clone(r.Context())
		r.Header.Set("Authorization", "Bearer "+t.Token)
		return http.DefaultTransport.RoundTrip(r)
	})}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestTokenNeverFollowsARedirect: an API answering with a redirect to another host does not get the account's
// token sent there; the redirect comes back as the answer.
func TestTokenNeverFollowsARedirect(t *testing.T) {
	var leaked string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { leaked = r.Header.Get("Authorization") }))
	defer other.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/steal", http.StatusFound)
	}))
	defer api.Close()
	db, acct, p := setup(t, time.Now().Add(time.Hour))
	m := New(db, []connect.Provider{headerProvider{p}}, quiet)
	hc, err := m.Client(t.Context(), acct)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := hc.Get(api.URL + "/1/user/-/profile.json")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || leaked != "" {
		t.Errorf("status %d, the other host got Authorization %q; want the 302 back and nothing sent on", resp.StatusCode, leaked)
	}
}
