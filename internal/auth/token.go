package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
)

// NewToken returns a random 256-bit token for a cookie or a one-time code, URL-safe.
func NewToken() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand panics rather than return short)
	return base64.RawURLEncoding.EncodeToString(b)
}

// TokenHash is what the database keeps of a session token: its SHA-256. A copy of the database then opens no
// session; a 256-bit random token needs no slow hash.
func TokenHash(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// SameToken compares a presented token with a kept hash in constant time.
func SameToken(token string, hash []byte) bool {
	return subtle.ConstantTimeCompare(TokenHash(token), hash) == 1
}

// Bind returns an HMAC of value under key for purpose: a form's CSRF field bound to its pre-session cookie.
func Bind(key []byte, purpose, value string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// CheckBind reports whether mac is Bind(key, purpose, value), in constant time.
func CheckBind(key []byte, purpose, value, mac string) bool {
	if value == "" || mac == "" {
		return false
	}
	return hmac.Equal([]byte(Bind(key, purpose, value)), []byte(mac))
}
