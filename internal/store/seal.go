package store

import (
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"fmt"
)

// sealVersion is the first byte of every sealed value, so the scheme or key can change later without guessing
// what an old value is.
const sealVersion byte = 1

var (
	errSealedEmpty = errors.New("sealed value is empty")
	// The GCM error says only "message authentication failed"; name the likely causes instead.
	errSealedAuth = errors.New("authentication failed (wrong key, or the value was moved from another row or column)")
)

func newAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("store: sealing key must be 32 bytes, got %d", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("store: sealing key: %w", err)
	}
	aead, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		return nil, fmt.Errorf("store: sealing key: %w", err)
	}
	return aead, nil
}

// sealedAt names where a sealed value lives (table/row/column). It is the additional data of the seal, so a
// value copied to another row or column does not open.
func sealedAt(table, row, column string) []byte {
	return []byte(table + "/" + row + "/" + column)
}

// seal returns sealVersion || nonce || ciphertext || tag.
func (db *DB) seal(plaintext, at []byte) []byte {
	out := make([]byte, 1, 1+len(plaintext)+db.aead.Overhead())
	out[0] = sealVersion
	return db.aead.Seal(out, nil, plaintext, at)
}

// unseal reverses seal. Its errors never include the value or its location (a flow key is a session hash).
func (db *DB) unseal(sealed, at []byte) ([]byte, error) {
	if len(sealed) == 0 {
		return nil, errSealedEmpty
	}
	if sealed[0] != sealVersion {
		return nil, fmt.Errorf("unknown seal version %d", sealed[0])
	}
	plaintext, err := db.aead.Open(nil, nil, sealed[1:], at)
	if err != nil {
		return nil, errSealedAuth
	}
	return plaintext, nil
}
