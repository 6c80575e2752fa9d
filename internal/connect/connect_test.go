package connect

import (
	"errors"
	"net/url"
	"testing"
)

func TestOAuth1Check(t *testing.T) {
	p := NewOAuth1(OAuth1Config{Name: "fitbit-oauth1"})
	pending := Pending{Provider: "fitbit-oauth1", RequestToken: "rt-123", RequestSecret: "s"}
	tests := []struct {
		name  string
		query string
		want  error
	}{
		{"OK", "oauth_token=rt-123&oauth_verifier=v", nil},
		{"ErrMismatch", "oauth_token=rt-999&oauth_verifier=v", ErrMismatch},
		{"ErrMissingParam/NoVerifier", "oauth_token=rt-123", ErrMissingParam},
		{"ErrMissingParam/NoToken", "oauth_verifier=v", ErrMissingParam},
		{"ErrMissingParam/Empty", "", ErrMissingParam},
		{"ErrDenied", "denied=rt-123", ErrDenied},
		{"ErrMismatch/DeniedOtherToken", "denied=rt-999", ErrMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, _ := url.ParseQuery(tt.query)
			if got := p.Check(pending, ParseCallback(q)); !errors.Is(got, tt.want) || (tt.want == nil && got != nil) {
				t.Errorf("Check(%q) = %v, want %v", tt.query, got, tt.want)
			}
		})
	}
}

func TestPendingRoundTrip(t *testing.T) {
	in := Pending{Provider: "fitbit-oauth1", RequestToken: "rt", RequestSecret: "sec"}
	b, err := in.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	out, err := UnmarshalPending(b)
	if err != nil || out != in {
		t.Errorf("round trip = %+v, %v; want %+v", out, err, in)
	}
	if _, err := UnmarshalPending([]byte("{")); err == nil {
		t.Error("UnmarshalPending accepted truncated JSON")
	}
}
