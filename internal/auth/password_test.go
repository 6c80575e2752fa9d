package auth

import (
	"errors"
	"strings"
	"testing"
)

// cheap keeps the tests fast; the encoding and checks are the same at any cost.
var cheap = Params{MemoryKiB: 64, Time: 1, Threads: 1}

func TestHashVerify(t *testing.T) {
	enc, err := Hash("correct horse battery", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("encoding %q does not record its parameters", enc)
	}
	tests := []struct {
		name     string
		password string
		want     bool
	}{
		{"OK", "correct horse battery", true},
		{"Wrong", "correct horse batterY", false},
		{"Empty", "", false},
		{"TenKB", strings.Repeat("x", 10<<10), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Verify(tt.password, enc)
			if err != nil || got != tt.want {
				t.Fatalf("Verify = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
	again, _ := Hash("correct horse battery", cheap)
	if again == enc {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
}

func TestCheckNew(t *testing.T) {
	tests := []struct {
		password string
		want     error
	}{
		{"123456789", ErrTooShort},
		{"ééééééééé", ErrTooShort}, // nine characters, eighteen bytes
		{"1234567890", nil},
		{strings.Repeat("y", 10<<10), ErrTooLong},
	}
	for _, tt := range tests {
		if err := CheckNew(tt.password); !errors.Is(err, tt.want) {
			t.Errorf("CheckNew(%.12q) = %v, want %v", tt.password, err, tt.want)
		}
	}
}

func TestNeedsRehash(t *testing.T) {
	enc, _ := Hash("a long enough one", cheap)
	if NeedsRehash(enc, cheap) {
		t.Error("same parameters: no rehash needed")
	}
	raised := cheap
	raised.Time = 2
	if !NeedsRehash(enc, raised) {
		t.Error("raised cost: rehash needed")
	}
	// The old hash still verifies under the new defaults: its parameters come from the encoding.
	if ok, err := Verify("a long enough one", enc); !ok || err != nil {
		t.Errorf("Verify = %v, %v", ok, err)
	}
}

func TestVerifyMalformed(t *testing.T) {
	for _, enc := range []string{
		"",
		"plaintext password",
		"$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=18$m=64,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=19$m=64,t=1,p=1$!!$a2V5a2V5a2V5a2V5a2V5a2V5",
	} {
		if ok, err := Verify("whatever you like", enc); ok || !errors.Is(err, ErrBadHash) {
			t.Errorf("Verify(%q) = %v, %v; want ErrBadHash", enc, ok, err)
		}
	}
}

func TestDefaultParamsRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("64 MiB hash")
	}
	enc, err := Hash("the real cost one", DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(enc, "$m=65536,t=2,p=1$") || NeedsRehash(enc, DefaultParams) {
		t.Fatalf("encoding %q", enc)
	}
	if ok, _ := Verify("the real cost one", enc); !ok {
		t.Fatal("does not verify")
	}
}

func TestBind(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	mac := Bind(key, "signin", "cookie-value")
	if !CheckBind(key, "signin", "cookie-value", mac) {
		t.Fatal("own MAC refused")
	}
	for _, c := range [][3]string{{"signin", "other-cookie", mac}, {"setup", "cookie-value", mac}, {"signin", "", ""}, {"signin", "cookie-value", ""}} {
		if CheckBind(key, c[0], c[1], c[2]) {
			t.Errorf("CheckBind(%q) accepted", c)
		}
	}
	tok := NewToken()
	if len(tok) != 43 || tok == NewToken() {
		t.Fatalf("token %q", tok)
	}
	if !SameToken(tok, TokenHash(tok)) || SameToken(tok+"x", TokenHash(tok)) {
		t.Fatal("SameToken")
	}
}
