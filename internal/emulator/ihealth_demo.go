package emulator

import (
	"crypto/sha256"
	"encoding/hex"
)

// DemoIHealth registers the demo's iHealth app, its serial code and its weight API's serial value (derived from
// the demo secret), and points the provider at the emulator: token calls and data on its port, the consent page
// under the app's address.
func (e *Emulator) DemoIHealth(d Demo) map[string]string {
	sum := sha256.Sum256([]byte("ihealth sc sv " + d.Secret))
	sc, sv := hex.EncodeToString(sum[:8]), hex.EncodeToString(sum[8:16])
	e.AddIHealthClient(d.ClientID, d.Secret, sc, sv, d.Callback)
	return map[string]string{
		"IHEALTH_CLIENT_ID": d.ClientID, "IHEALTH_CLIENT_SECRET": d.Secret,
		"IHEALTH_SC": sc, "IHEALTH_SV": sv,
		"IHEALTH_API_URL": d.URL, "IHEALTH_CONSENT_URL": d.ConsentURL,
	}
}
