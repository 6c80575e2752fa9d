package handlers

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net/http"

	"github.com/gorilla/sessions"
)

// The session cookie holds only a random browser-session id and the id of the account shown; everything
// secret stays in the database.
const (
	sessionName   = "bodystats"
	keySessionID  = "sid"
	keyAccountID  = "account"
	sessionIDSize = 32
)

// session returns the browser's session; a missing, expired or tampered cookie gives a fresh one.
func (h *Handler) session(r *http.Request) *sessions.Session {
	s, err := h.sessions.Get(r, sessionName)
	if err != nil {
		// securecookie refused the cookie (old key, tampering): start over with an empty session.
		s, _ = h.sessions.New(r, sessionName)
	}
	return s
}

// browserID returns the session's random id, creating one when asked to.
func browserID(s *sessions.Session, create bool) string {
	if id, ok := s.Values[keySessionID].(string); ok && id != "" {
		return id
	}
	if !create {
		return ""
	}
	b := make([]byte, sessionIDSize)
	rand.Read(b)
	id := hex.EncodeToString(b)
	s.Values[keySessionID] = id
	return id
}

// flowKey names the pending sign-in of a browser session in the database; the raw id never leaves the cookie.
func flowKey(browserID string) string {
	sum := sha256.Sum256([]byte("flow:" + browserID))
	return hex.EncodeToString(sum[:])
}

func sessionAccount(s *sessions.Session) int64 {
	id, _ := s.Values[keyAccountID].(int64)
	return id
}
