package syncer

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/emulator"
	"github.com/bodystats/bodystats/internal/googlehealth"
	"github.com/bodystats/bodystats/internal/provider"
	"github.com/bodystats/bodystats/internal/store"
)

// googleRig is a Google Health account on the emulator with a real store.
type googleRig struct {
	t     *testing.T
	emu   *emulator.Emulator
	srv   *httptest.Server
	db    *store.DB
	acct  store.Account
	token string
}

func newGoogleRig(t *testing.T, opts emulator.Options) *googleRig {
	t.Helper()
	r := &googleRig{t: t, emu: emulator.New(opts)}
	r.emu.AddOAuth2Client("cid", "secret", "http://127.0.0.1/callback")
	r.token = r.emu.IssueGoogleToken("cid", append(googlehealth.Scopes, googlehealth.OptionalScopes...)...)
	r.emu.SetGoogleMaxPageSize(250) // ten years in many pages, as a server may cut them
	r.srv = httptest.NewServer(r.emu)
	t.Cleanup(r.srv.Close)
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "s.db"), store.Options{Key: make([]byte, 32)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	r.db = db
	if r.acct, err = db.UpsertAccount(t.Context(), store.Account{Provider: googlehealth.ID, ExternalUserID: r.emu.GoogleUser().HealthUserID}); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *googleRig) Provider(id string) (provider.Provider, bool) {
	settings := map[string]string{"GOOGLE_CLIENT_ID": "cid", "GOOGLE_CLIENT_SECRET": "secret", "GOOGLE_HEALTH_API_URL": r.srv.URL}
	return googlehealth.Spec.New(provider.Env{Get: func(k string) string { return settings[k] }}), id == googlehealth.ID
}

type bearer struct{ token string }

func (b bearer) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("Authorization", "Bearer "+b.token)
	return http.DefaultTransport.RoundTrip(req)
}

func (r *googleRig) Client(context.Context, store.Account) (*http.Client, error) {
	return &http.Client{Transport: bearer{r.token}, Timeout: 10 * time.Second}, nil
}

func (r *googleRig) runner() *Runner {
	return New(r.db, r, Options{Backoff: time.Millisecond}, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

func (r *googleRig) sync() Status { return syncToEnd(r.t, r.runner(), r.acct.ID) }

// checkStored: every weigh-in of the emulator stored once, with its body fat.
func (r *googleRig) checkStored() { checkHistory(r.t, r.db, r.emu.WeightLogs(), false) }

// TestGoogleResumeAfterKill: a ten-year Google sync stopped half-way resumes from its last page, through the
// syncer and a real store: every weigh-in once, with its body fat, and fewer requests than a fresh sync, also
// when Google has forgotten the page token meanwhile.
func TestGoogleResumeAfterKill(t *testing.T) {
	fresh := newGoogleRig(t, emulator.Options{Years: 10})
	st := fresh.sync()
	if st.State != StateIdle {
		t.Fatalf("fresh sync: %+v", st)
	}
	fresh.checkStored()
	freshRequests := st.Requests

	for _, expire := range []bool{false, true} {
		r := newGoogleRig(t, emulator.Options{Years: 10, Latency: 5 * time.Millisecond})
		run := r.runner()
		run.Start(r.acct.ID)
		for run.Status(r.acct.ID).Requests < freshRequests*2/3 {
			time.Sleep(2 * time.Millisecond)
		}
		run.Close() // the kill: the step under way is stored whole or not at all
		first := run.Status(r.acct.ID)
		cur, err := r.db.Cursor(t.Context(), r.acct.SourceID)
		var c struct {
			Run *struct {
				Token  string     `json:"token"`
				Resume *time.Time `json:"resume"`
			} `json:"run"`
		}
		if err == nil {
			err = json.Unmarshal(cur, &c)
		}
		if err != nil || c.Run == nil || c.Run.Resume == nil {
			t.Fatalf("cursor after the kill = %s, %v; want a listing under way", cur, err)
		}
		if expire {
			r.emu.ExpireGooglePageTokens()
		}
		before := r.emu.HealthRequests()
		second := r.sync()
		if second.State != StateIdle {
			t.Fatalf("resumed sync: %+v", second)
		}
		r.checkStored()
		if second.Requests >= freshRequests {
			t.Errorf("expire=%v: the resumed sync sent %d requests, a fresh one %d", expire, second.Requests, freshRequests)
		}
		t.Logf("10 years, %d weigh-ins, pages of 250, page tokens expired %v: fresh %d requests; killed after %d, resumed with %d (emulator saw %d)",
			len(r.emu.WeightLogs()), expire, freshRequests, first.Requests, second.Requests, r.emu.HealthRequests()-before)
	}
}
