// Package auth holds bodystats' sign-in primitives: argon2id password hashes, the failed sign-in throttle,
// session tokens and the client address behind trusted reverse proxies.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's costs. They are written into every hash, so raising them later still verifies old
// hashes (and NeedsRehash says when to store a new one).
type Params struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
}

// DefaultParams: 64 MiB, 2 passes, 1 lane; about 100 ms on one core of a small home server. Above OWASP's
// argon2id floor (19 MiB, t=2) and RFC 9106's memory-constrained choice (64 MiB), sized so that a 2-core box stays
// responsive while it checks a sign-in.
var DefaultParams = Params{MemoryKiB: 64 * 1024, Time: 2, Threads: 1}

// Password length rules: passwd refuses shorter ones; longer than MaxPasswordBytes is refused before hashing.
const (
	MinPasswordChars = 10
	MaxPasswordBytes = 1024
)

const (
	saltLen = 16
	keyLen  = 32
)

// Errors of CheckNew, worded for the person.
var (
	ErrTooShort = fmt.Errorf("auth: the password must be at least %d characters", MinPasswordChars)
	ErrTooLong  = fmt.Errorf("auth: the password must be at most %d bytes", MaxPasswordBytes)
	ErrBadHash  = errors.New("auth: malformed password hash")
)

// CheckNew reports whether a new password is acceptable.
func CheckNew(password string) error {
	switch {
	case len(password) > MaxPasswordBytes:
		return ErrTooLong
	case utf8.RuneCountInString(password) < MinPasswordChars:
		return ErrTooShort
	}
	return nil
}

// Hash returns the PHC-style encoding $argon2id$v=19$m=...,t=...,p=...$salt$key of password under p.
func Hash(password string, p Params) (string, error) {
	if err := CheckNew(password); err != nil {
		return "", err
	}
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: salt: %w", err)
	}
	key := derive(password, salt, p, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryKiB, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether password matches encoded, comparing in constant time. A password longer than
// MaxPasswordBytes never matches and costs no hashing.
func Verify(password, encoded string) (bool, error) {
	p, salt, key, err := decode(encoded)
	if err != nil {
		return false, err
	}
	if len(password) > MaxPasswordBytes {
		return false, nil
	}
	got := derive(password, salt, p, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// NeedsRehash reports whether encoded was made with costs other than p (or is unreadable).
func NeedsRehash(encoded string, p Params) bool {
	got, _, _, err := decode(encoded)
	return err != nil || got != p
}

// hashing bounds concurrent derivations: each holds MemoryKiB, and a burst of sign-ins must not exhaust memory.
var hashing = make(chan struct{}, 2)

func derive(password string, salt []byte, p Params, n uint32) []byte {
	hashing <- struct{}{}
	defer func() { <-hashing }()
	return argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, n)
}

// maxParams refuse a stored hash that would make a single check take minutes or gigabytes.
const maxMemoryKiB, maxTime = 1 << 21, 64

func decode(encoded string) (Params, []byte, []byte, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return Params{}, nil, nil, ErrBadHash
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return Params{}, nil, nil, ErrBadHash
	}
	var p Params
	if n, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil || n != 3 ||
		p.MemoryKiB < 8 || p.MemoryKiB > maxMemoryKiB || p.Time < 1 || p.Time > maxTime || p.Threads < 1 {
		return Params{}, nil, nil, ErrBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	key, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(key) < 16 || len(key) > 64 {
		return Params{}, nil, nil, ErrBadHash
	}
	return p, salt, key, nil
}
