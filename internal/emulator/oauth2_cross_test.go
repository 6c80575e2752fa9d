package emulator

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// TestRealOAuth2Client drives both authorization servers with golang.org/x/oauth2 as the app does:
// AuthCodeURL with a S256 challenge, Exchange with the verifier, Basic auth over escaped credentials, a
// refresh through the TokenSource once the clock passes the expiry, and API calls through its client.
func TestRealOAuth2Client(t *testing.T) {
	tests := []struct {
		as       authServer
		opts     []oauth2.AuthCodeOption
		api      string
		lifetime time.Duration
		rotates  bool
	}{
		{fitbitAS, nil, profilePath, 8 * time.Hour, true},
		{googleAS, []oauth2.AuthCodeOption{oauth2.AccessTypeOffline, oauth2.ApprovalForce}, "/v4/users/me/identity", time.Hour, false},
	}
	for _, tt := range tests {
		t.Run(tt.as.name, func(t *testing.T) {
			f := newO2Fixture(t, Options{})
			cfg := &oauth2.Config{
				ClientID: testClientID, ClientSecret: testClientSecret, RedirectURL: testRedirect, Scopes: tt.as.scopes,
				Endpoint: oauth2.Endpoint{AuthURL: f.srv.URL + tt.as.authPath, TokenURL: f.srv.URL + tt.as.tokenPath,
					AuthStyle: oauth2.AuthStyleInHeader},
			}
			ctx := context.WithValue(t.Context(), oauth2.HTTPClient, f.srv.Client())
			verifier := oauth2.GenerateVerifier()
			authURL, err := url.Parse(cfg.AuthCodeURL("st-123", append(tt.opts, oauth2.S256ChallengeOption(verifier))...))
			if err != nil {
				t.Fatal(err)
			}
			status, _, req := f.consentPage(t, tt.as, authURL.Query())
			if status != http.StatusOK {
				t.Fatalf("consent page for AuthCodeURL: got %d", status)
			}
			loc := f.decide(t, tt.as, req, "allow", tt.as.scopes)
			tok, err := cfg.Exchange(ctx, loc.Query().Get("code"), oauth2.VerifierOption(verifier))
			if err != nil {
				t.Fatalf("exchange: %v", err)
			}
			if got := tok.Expiry.Sub(f.clock.Now()); got < tt.lifetime-time.Minute || got > tt.lifetime+time.Minute || tok.RefreshToken == "" {
				t.Fatalf("token: expires in %v, refresh token %v", got, tok.RefreshToken != "")
			}
			scope, _ := tok.Extra("scope").(string)
			if got := slices.Sorted(slices.Values(strings.Fields(scope))); !slices.Equal(got, slices.Sorted(slices.Values(tt.as.scopes))) {
				t.Errorf("scope: got %q, want %v in any order", scope, tt.as.scopes)
			}
			if s := get(t, cfg.Client(ctx, tok), f.srv.URL+tt.api, "", nil).StatusCode; s != http.StatusOK {
				t.Errorf("API with the exchanged token: got %d", s)
			}

			// x/oauth2 refreshes on its own wall clock, so expire the token for it as well as for the server.
			f.emu.ExpireAccessTokens()
			stale := *tok
			stale.Expiry = time.Now().Add(-time.Minute)
			src := cfg.TokenSource(ctx, &stale)
			if s := get(t, oauth2.NewClient(ctx, src), f.srv.URL+tt.api, "", nil).StatusCode; s != http.StatusOK {
				t.Errorf("API after the client refreshed: got %d", s)
			}
			fresh, err := src.Token()
			if err != nil {
				t.Fatal(err)
			}
			if fresh.AccessToken == tok.AccessToken || (fresh.RefreshToken != tok.RefreshToken) != tt.rotates {
				t.Errorf("refresh: new access token %v, refresh token rotated %v, want rotated %v",
					fresh.AccessToken != tok.AccessToken, fresh.RefreshToken != tok.RefreshToken, tt.rotates)
			}

			_, err = cfg.Exchange(ctx, loc.Query().Get("code"), oauth2.VerifierOption(verifier))
			var rerr *oauth2.RetrieveError
			if !errors.As(err, &rerr) || rerr.Response.StatusCode != http.StatusBadRequest {
				t.Errorf("replayed code: got %v, want a 400 RetrieveError", err)
			}
			if tt.as.name == "google" && rerr != nil && rerr.ErrorCode != "invalid_grant" {
				t.Errorf("replayed code at Google: ErrorCode %q, want invalid_grant", rerr.ErrorCode)
			}
		})
	}
}
