package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/auth"
)

// TestSessionFixation: the session token changes at sign-in; one planted before it opens nothing.
func TestSessionFixation(t *testing.T) {
	e := newAuthEnv(t, authConfig{password: ownerPassword})
	c := e.client()
	planted := "attacker-chosen-token-aaaaaaaaaaaaaaaaaaaaaaaa"
	c.setCookie("bodystats_auth", planted)
	if a := c.signin(ownerPassword); a.status != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", a.status)
	}
	first := c.cookie("bodystats_auth")
	if first == "" || first == planted {
		t.Fatalf("session cookie after sign-in %q: unchanged", first)
	}
	attacker := e.client()
	attacker.setCookie("bodystats_auth", planted)
	if a := attacker.get("/"); a.status != http.StatusSeeOther {
		t.Fatalf("the planted token opens the app: %d", a.status)
	}
	// Signing in again (here on a form fetched before the first sign-in ended) gives yet another token and ends
	// the previous one.
	c.post("/signout", url.Values{})
	c.setCookie("bodystats_auth", first) // as if the browser had kept it
	c.post("/signin", url.Values{"csrf": {c.csrf("/signin")}, "password": {ownerPassword}})
	if second := c.cookie("bodystats_auth"); second == first {
		t.Fatal("the token did not change at the second sign-in")
	}
	copyOfFirst := e.client()
	copyOfFirst.setCookie("bodystats_auth", first)
	if a := copyOfFirst.get("/"); a.status != http.StatusSeeOther {
		t.Fatalf("the replaced token still works: %d", a.status)
	}
}

// TestSignout: signing out ends the session on the server, so a copy of the cookie no longer works.
func TestSignout(t *testing.T) {
	e := newAuthEnv(t, authConfig{password: ownerPassword})
	c := e.client()
	c.signin(ownerPassword)
	thief := e.client()
	thief.setCookie("bodystats_auth", c.cookie("bodystats_auth"))
	if a := thief.get("/"); a.status != 200 {
		t.Fatalf("a copied cookie before sign-out: %d (the test needs it to work)", a.status)
	}
	if a := c.post("/signout", url.Values{}); a.status != http.StatusSeeOther || a.header.Get("Location") != "/signin" {
		t.Fatalf("POST /signout: %d to %q", a.status, a.header.Get("Location"))
	}
	for name, b := range map[string]*client{"this browser": c, "the copy": thief} {
		if a := b.get("/"); a.status != http.StatusSeeOther || strings.Contains(a.body, "83.7") {
			t.Errorf("%s after sign-out: %d", name, a.status)
		}
	}
	if n := countSignIns(t, e); n != 0 {
		t.Errorf("%d sessions stored after sign-out", n)
	}
}

// TestSignoutEverywhere ends every browser's session from Settings.
func TestSignoutEverywhere(t *testing.T) {
	e := newAuthEnv(t, authConfig{password: ownerPassword})
	phone, laptop := e.client(), e.client()
	phone.signin(ownerPassword)
	laptop.signin(ownerPassword)
	if a := laptop.get("/settings/security"); a.status != 200 || !strings.Contains(a.body, "Sign out everywhere") {
		t.Fatalf("GET /settings/security: %d", a.status)
	}
	if a := laptop.post("/signout/everywhere", url.Values{}); a.status != http.StatusSeeOther {
		t.Fatalf("POST /signout/everywhere: %d", a.status)
	}
	for name, b := range map[string]*client{"phone": phone, "laptop": laptop} {
		if a := b.get("/weight"); a.status != http.StatusSeeOther {
			t.Errorf("%s after sign-out everywhere: %d", name, a.status)
		}
	}
}

// TestSessionExpiry: a session ends after 30 idle days, and after 90 days however much it is used.
func TestSessionExpiry(t *testing.T) {
	e := newAuthEnv(t, authConfig{password: ownerPassword})
	idle := e.client()
	idle.signin(ownerPassword)
	busy := e.client()
	busy.signin(ownerPassword)
	e.advance(29 * 24 * time.Hour)
	if a := idle.get("/"); a.status != 200 {
		t.Fatalf("after 29 days: %d", a.status)
	}
	e.advance(30*24*time.Hour + time.Second) // idle unused since day 29; busy since day 0
	if a := idle.get("/"); a.status != http.StatusSeeOther {
		t.Errorf("30 days unused: %d, want 303", a.status)
	}
	if a := busy.get("/"); a.status != http.StatusSeeOther {
		t.Errorf("59 days unused: %d, want 303", a.status)
	}

	kept := e.client()
	kept.signin(ownerPassword)
	for day := 0; day < 85; day += 17 {
		e.advance(17 * 24 * time.Hour)
		if a := kept.get("/"); day+17 < 90 && a.status != 200 {
			t.Fatalf("used every 17 days, on day %d: %d", day+17, a.status)
		}
	}
	e.advance(6 * 24 * time.Hour) // day 91
	if a := kept.get("/"); a.status != http.StatusSeeOther {
		t.Errorf("past the 90-day absolute expiry: %d, want 303", a.status)
	}
}

// TestForgedCookie: a cookie the server never issued opens nothing and is cleared.
func TestForgedCookie(t *testing.T) {
	e := newAuthEnv(t, authConfig{password: ownerPassword})
	for _, v := range []string{"forged", strings.Repeat("A", 43), strings.Repeat("x", 4000)} {
		c := e.client()
		c.setCookie("bodystats_auth", v)
		a := c.get("/weight")
		if a.status != http.StatusSeeOther || strings.Contains(a.body, "83.7") {
			t.Errorf("forged cookie %.10q: %d", v, a.status)
		}
	}
}

// TestNewPasswordEndsSessions: a password stored while the server runs (as passwd does) takes effect at once
// and ends every session.
func TestNewPasswordEndsSessions(t *testing.T) {
	e := newAuthEnv(t, authConfig{password: ownerPassword})
	c := e.client()
	c.signin(ownerPassword)
	e.setPassword("a brand new password")
	if a := c.get("/"); a.status != http.StatusSeeOther {
		t.Fatalf("after a new password: %d, want 303", a.status)
	}
	if a := c.signin(ownerPassword); a.status != http.StatusUnauthorized {
		t.Errorf("the old password: %d, want 401", a.status)
	}
	if a := c.signin("a brand new password"); a.status != http.StatusSeeOther {
		t.Errorf("the new password: %d, want 303", a.status)
	}
}

// TestChangePassword: a change in Settings keeps this browser signed in and ends every other session.
func TestChangePassword(t *testing.T) {
	e := newAuthEnv(t, authConfig{password: ownerPassword})
	here, there := e.client(), e.client()
	here.signin(ownerPassword)
	there.signin(ownerPassword)
	if a := here.post("/settings/password", url.Values{"current": {"wrong one here"}, "password": {"next password 1"}, "confirm": {"next password 1"}}); a.status != http.StatusUnauthorized {
		t.Fatalf("wrong current password: %d, want 401", a.status)
	}
	if a := here.post("/settings/password", url.Values{"current": {ownerPassword}, "password": {"short"}, "confirm": {"short"}}); a.status != http.StatusBadRequest || !strings.Contains(a.body, "at least 10") {
		t.Fatalf("short new password: %d", a.status)
	}
	if a := there.get("/"); a.status != 200 {
		t.Fatalf("a refused change ended a session: %d", a.status)
	}
	a := here.post("/settings/password", url.Values{"current": {ownerPassword}, "password": {"next password 1"}, "confirm": {"next password 1"}})
	if a.status != http.StatusSeeOther {
		t.Fatalf("change: %d\n%s", a.status, a.body)
	}
	if a := here.get("/"); a.status != 200 {
		t.Errorf("this browser after the change: %d, want 200", a.status)
	}
	if a := there.get("/"); a.status != http.StatusSeeOther {
		t.Errorf("the other browser after the change: %d, want 303", a.status)
	}
}

// TestRehashAtSignIn: a hash made with other costs is replaced at the next sign-in, and no session ends.
func TestRehashAtSignIn(t *testing.T) {
	e := newAuthEnv(t, authConfig{})
	old, _ := auth.Hash(ownerPassword, auth.Params{MemoryKiB: 32, Time: 1, Threads: 1})
	if err := e.db.SetPassword(t.Context(), old, nil); err != nil {
		t.Fatal(err)
	}
	first := e.client()
	first.signin(ownerPassword)
	second := e.client()
	if a := second.signin(ownerPassword); a.status != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", a.status)
	}
	got, _ := e.db.PasswordHash(t.Context())
	if !strings.Contains(got, "$m=64,t=1,p=1$") {
		t.Fatalf("hash after sign-in %q, want the handler's costs", got)
	}
	if a := first.get("/"); a.status != 200 {
		t.Fatalf("the rehash ended another session: %d", a.status)
	}
}
