package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/emulator"
)

// refused checks that a callback got a 4xx page that explains itself.
func refused(t *testing.T, b *browser, p page, status int, words string) {
	t.Helper()
	if p.status != status {
		t.Errorf("status %d, want %d; body:\n%s", p.status, status, p.body)
	}
	if !strings.Contains(p.body, words) {
		t.Errorf("page does not say %q:\n%s", words, p.body)
	}
}

func TestCallbackRefusals(t *testing.T) {
	t.Run("NoSignInStarted", func(t *testing.T) {
		e := newEnv(t)
		b := e.browser()
		refused(t, b, b.get("/callback?oauth_token=abc&oauth_verifier=def"), http.StatusBadRequest, "No sign-in in progress")
	})
	t.Run("ForgedTokenKeepsTheRealSignIn", func(t *testing.T) {
		e := newEnv(t)
		b := e.browser()
		token := b.startLogin()
		refused(t, b, b.get("/callback?oauth_token=forged&oauth_verifier=xyz"), http.StatusBadRequest, "does not match")
		cb := b.decide(token, "allow")
		if p := b.get(cb); p.status != http.StatusSeeOther {
			t.Fatalf("the real callback after a forged one: status %d, body %s", p.status, p.body)
		}
	})
	t.Run("MissingVerifier", func(t *testing.T) {
		e := newEnv(t)
		b := e.browser()
		token := b.startLogin()
		refused(t, b, b.get("/callback?oauth_token="+url.QueryEscape(token)), http.StatusBadRequest, "missing a part")
	})
	t.Run("WrongVerifier", func(t *testing.T) {
		e := newEnv(t)
		b := e.browser()
		token := b.startLogin()
		b.decide(token, "allow")
		refused(t, b, b.get("/callback?oauth_token="+url.QueryEscape(token)+"&oauth_verifier=wrong"), http.StatusBadRequest, "did not accept")
		if p := b.get("/"); !strings.Contains(p.body, "Connect Fitbit") {
			t.Error("after a wrong verifier the landing page is not shown")
		}
	})
	t.Run("Replay", func(t *testing.T) {
		e := newEnv(t)
		b := e.browser()
		cb := b.decide(b.startLogin(), "allow")
		if p := b.get(cb); p.status != http.StatusSeeOther {
			t.Fatalf("first callback: status %d", p.status)
		}
		b.waitSync()
		refused(t, b, b.get(cb), http.StatusBadRequest, "No sign-in in progress")
		if p := b.get("/"); !strings.Contains(p.body, `data-measure="weight"`) {
			t.Error("a replayed callback disturbed the connected account")
		}
	})
	t.Run("OtherBrowser", func(t *testing.T) {
		e := newEnv(t)
		victim, other := e.browser(), e.browser()
		cb := victim.decide(victim.startLogin(), "allow")
		refused(t, other, other.get(cb), http.StatusBadRequest, "No sign-in in progress")
		if p := victim.get(cb); p.status != http.StatusSeeOther {
			t.Fatalf("the starting browser's callback after another browser tried it: status %d", p.status)
		}
	})
	t.Run("Denied", func(t *testing.T) {
		e := newEnv(t)
		b := e.browser()
		cb := b.decide(b.startLogin(), "deny")
		if !strings.Contains(cb, "denied=") {
			t.Fatalf("deny redirect %q has no denied parameter", cb)
		}
		refused(t, b, b.get(cb), http.StatusForbidden, "not granted")
		refused(t, b, b.get(cb), http.StatusBadRequest, "No sign-in in progress")
	})
	t.Run("Expired", func(t *testing.T) {
		e := newEnv(t)
		b := e.browser()
		cb := b.decide(b.startLogin(), "allow")
		e.now.Add(int64((11 * time.Minute).Seconds()))
		refused(t, b, b.get(cb), http.StatusBadRequest, "expired")
	})
}

// TestFirstSyncFaults: a provider failing during the first sync leaves the account connected with a sentence
// on the dashboard, and a later sync completes.
func TestFirstSyncFaults(t *testing.T) {
	for _, tt := range []struct {
		name  string
		fault emulator.Fault
		words string
	}{
		{"Unauthorized", emulator.Fault{Status: 401}, "no longer accepts"},
		{"ServerError", emulator.Fault{Status: 500}, "server problem"},
		{"MalformedJSON", emulator.Fault{Malformed: true}, "could not be read"},
		{"MalformedAfterTwoWindows", emulator.Fault{Malformed: true, After: 4}, "could not be read"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			b := e.browser()
			e.emu.SetFault(tt.fault)
			cb := b.decide(b.startLogin(), "allow")
			if p := b.get(cb); p.status != http.StatusSeeOther {
				t.Fatalf("callback: status %d, body %s", p.status, p.body)
			}
			s := b.waitSync()
			if s.State != "failed" || !strings.Contains(s.Message, tt.words) {
				t.Errorf("status = %+v, want failed saying %q", s, tt.words)
			}
			dash := b.get("/")
			if dash.status != http.StatusOK || !strings.Contains(dash.body, tt.words) || strings.Contains(dash.body, "Connect Fitbit") {
				t.Fatalf("dashboard after a failed first sync: status %d\n%s", dash.status, dash.body)
			}
			stored := s.Measurements

			e.emu.ClearFault()
			b.post("/sync", url.Values{})
			s = b.waitSync()
			if want := len(e.emu.WeightLogs()); s.State != "idle" || s.Measurements != want || s.Measurements < stored {
				t.Errorf("after the fault cleared: %+v, want idle with %d measurements (had %d)", s, want, stored)
			}
		})
	}
}

// TestFailedResyncKeepsData: a sync that fails halfway removes nothing that an earlier sync stored.
func TestFailedResyncKeepsData(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.connect()
	before := exportRows(t, b)
	e.emu.SetFault(emulator.Fault{Malformed: true}) // every request, past every retry
	b.post("/sync", url.Values{})
	if s := b.waitSync(); s.State != "failed" {
		t.Fatalf("status = %+v, want failed", s)
	}
	after := exportRows(t, b)
	if len(after) != len(before) {
		t.Errorf("a failed sync changed the stored rows from %d to %d", len(before), len(after))
	}
}
