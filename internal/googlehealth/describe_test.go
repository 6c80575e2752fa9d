package googlehealth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/provider"
)

// TestDescribe: each refusal Google names gets its own kind and sentence, through provider.Describe.
func TestDescribe(t *testing.T) {
	p := NewProvider(nil, provider.Info{ID: ID, Name: "Google Health"}, "")
	tests := []struct {
		status int
		name   string
		kind   error
		says   string
	}{
		{401, "UNAUTHENTICATED", provider.ErrUnauthorized, "no longer accepts this connection"},
		{403, "PERMISSION_DENIED", provider.ErrForbidden, "a permission was unticked"},
		{400, "INVALID_ARGUMENT", provider.ErrBadRequest, "INVALID_ARGUMENT"},
		{404, "NOT_FOUND", provider.ErrNotFound, "NOT_FOUND"},
		{429, "RESOURCE_EXHAUSTED", provider.ErrRateLimited, "request limit was reached"},
		{503, "UNAVAILABLE", provider.ErrUnavailable, "server problem"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := serve(t, answer{status: tt.status, header: map[string]string{"Retry-After": "17"}, body: googleError(tt.status, tt.name, "ya29.SECRET")})
			_, err := c.Weights(context.Background(), time.Time{}, time.Time{}, 0, "")
			if !errors.Is(err, tt.kind) {
				t.Fatalf("err = %v, want %v", err, tt.kind)
			}
			s := provider.Describe(p, err)
			if !strings.Contains(s, tt.says) || strings.Contains(s, "SECRET") {
				t.Errorf("Describe = %q, want it to say %q", s, tt.says)
			}
			if tt.status == 429 && provider.RetryAfter(err) != 17*time.Second {
				t.Errorf("RetryAfter = %v, want 17s", provider.RetryAfter(err))
			}
		})
	}
}
