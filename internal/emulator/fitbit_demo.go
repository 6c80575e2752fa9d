package emulator

// DemoFitbitOAuth1 registers the demo's OAuth 1.0a consumer.
func (e *Emulator) DemoFitbitOAuth1(d Demo) map[string]string {
	e.AddConsumer(d.ClientID, d.Secret)
	return map[string]string{
		"FITBIT_CONSUMER_KEY": d.ClientID, "FITBIT_CONSUMER_SECRET": d.Secret,
		"FITBIT_API_URL": d.URL, "FITBIT_WWW_URL": d.ConsentURL,
		"FITBIT_DEMO_PUBLIC_USER": e.user.EncodedID, // its profile and body data are public: the 2013 first step
	}
}

// DemoFitbitOAuth2 registers the demo's Fitbit OAuth 2.0 client.
func (e *Emulator) DemoFitbitOAuth2(d Demo) map[string]string {
	e.AddOAuth2Client(d.ClientID, d.Secret, d.Callback)
	return map[string]string{
		"FITBIT_CLIENT_ID": d.ClientID, "FITBIT_CLIENT_SECRET": d.Secret,
		"FITBIT_API_URL": d.URL, "FITBIT_WWW_URL": d.ConsentURL,
	}
}

// RestoreFitbitOAuth1 lets the emulator accept an OAuth 1.0a access token an earlier run stored, so a demo
// connection survives a restart.
func (e *Emulator) RestoreFitbitOAuth1(d Demo, token, secret string) {
	e.RestoreAccessToken(d.ClientID, token, secret)
}
