package emulator

// DemoWithings registers the demo's Withings application, whose one callback URL is the app's redirect URI.
func (e *Emulator) DemoWithings(d Demo) map[string]string {
	e.AddWithingsClient(d.ClientID, d.Secret, d.Callback)
	return map[string]string{
		"WITHINGS_CLIENT_ID": d.ClientID, "WITHINGS_CLIENT_SECRET": d.Secret,
		"WITHINGS_AUTH_URL": d.ConsentURL + "/oauth2_user/authorize2", "WITHINGS_API_URL": d.URL,
		"WITHINGS_REDIRECT_URI": d.Callback,
	}
}
