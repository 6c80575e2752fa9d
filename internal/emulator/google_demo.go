package emulator

// DemoGoogle registers the demo's Google OAuth 2.0 client.
func (e *Emulator) DemoGoogle(d Demo) map[string]string {
	e.AddOAuth2Client(d.ClientID, d.Secret, d.Callback)
	return map[string]string{
		"GOOGLE_CLIENT_ID": d.ClientID, "GOOGLE_CLIENT_SECRET": d.Secret,
		"GOOGLE_AUTH_URL": d.ConsentURL + "/o/oauth2/v2/auth", "GOOGLE_TOKEN_URL": d.URL + "/token",
		"GOOGLE_HEALTH_API_URL": d.URL,
	}
}
