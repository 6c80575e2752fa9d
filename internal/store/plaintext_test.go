package store

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestNoPlaintextSecretsOnDisk reads the database files byte by byte. A visible marker stored in a plain column
// proves the read would have found the secrets had they been stored in plaintext.
func TestNoPlaintextSecretsOnDisk(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bodystats.db")
	db := mustOpenWith(t, path, Options{Key: testKey})
	ctx := t.Context()
	const visible = "visible-display-name-7c1e"
	secrets := []string{
		"oauth1-token-5d0a9f", "oauth1-secret-b37e21",
		"oauth2-access-8a4c6d", "oauth2-refresh-f19b07",
		"flow-payload-pkce-verifier-2e6f",
	}
	a, err := db.UpsertAccount(ctx, Account{Provider: "fitbit-oauth1", ExternalUserID: "A", DisplayName: visible})
	if err != nil {
		t.Fatal(err)
	}
	b := mustAccount(t, db, "fitbit", "B")
	if err := db.SaveCredentials(ctx, a.ID, Credentials{Kind: "oauth1", Token: secrets[0], Secret: secrets[1]}); err != nil {
		t.Fatal(err)
	}
	creds := Credentials{Kind: "oauth2", Token: secrets[2], RefreshToken: secrets[3], Expiry: time.Now().Add(time.Hour)}
	if err := db.SaveCredentials(ctx, b.ID, creds); err != nil {
		t.Fatal(err)
	}
	if err := db.PutFlow(ctx, "session-hash", []byte(secrets[4]), time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	var disk []byte
	for _, name := range []string{path, path + "-wal"} {
		data, err := os.ReadFile(name)
		if errors.Is(err, fs.ErrNotExist) && name != path {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		disk = append(disk, data...)
	}
	if !bytes.Contains(disk, []byte(visible)) {
		t.Fatalf("plain column %q not found on disk; the read is not seeing the data", visible)
	}
	for _, s := range secrets {
		if bytes.Contains(disk, []byte(s)) {
			t.Errorf("%q found in plaintext on disk", s)
		}
	}
}
