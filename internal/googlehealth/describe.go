package googlehealth

import (
	"errors"
	"net/http"
)

// Describe says what a Health API refusal means for the person, by Google's status name (provider.Describer).
// Other errors fall back on provider.Describe.
func (p *Provider) Describe(err error) string {
	var e *Error
	if !errors.As(err, &e) {
		return ""
	}
	switch {
	case e.Status == "UNAUTHENTICATED" || e.StatusCode == http.StatusUnauthorized:
		return "Google no longer accepts this connection (it was revoked, or the password changed). Please reconnect Google Health; your stored weigh-ins are kept."
	case e.Status == "PERMISSION_DENIED" || e.StatusCode == http.StatusForbidden:
		return "Google Health did not let bodystats read your weight data: a permission was unticked on Google's consent page, or this Google account has no Fitbit data. Please reconnect and tick every box; your stored weigh-ins are kept."
	case e.Status == "INVALID_ARGUMENT" || e.StatusCode == http.StatusBadRequest:
		return "Google Health refused a request bodystats sent (INVALID_ARGUMENT). Your stored weigh-ins are safe; please report this if it persists."
	case e.Status == "NOT_FOUND" || e.StatusCode == http.StatusNotFound:
		return "Google Health does not know this account's data (NOT_FOUND): the Google account may have been deleted or never used Fitbit. Your stored weigh-ins are kept."
	}
	return ""
}
