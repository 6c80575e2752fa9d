package googlehealth

// The read-only scopes bodystats asks for: weight, body fat and height; the profile and identity; the settings
// (units and time zone).
const (
	ScopeHealthMetrics = "https://www.googleapis.com/auth/googlehealth.health_metrics_and_measurements.readonly"
	ScopeProfile       = "https://www.googleapis.com/auth/googlehealth.profile.readonly"
	ScopeSettings      = "https://www.googleapis.com/auth/googlehealth.settings.readonly"
)

// Scopes lists the scopes a sign-in must grant: without them there is no history to sync.
var Scopes = []string{ScopeHealthMetrics, ScopeProfile}

// OptionalScopes are asked for too, but a person may untick them: without the settings the account shows kg
// and the zone each weigh-in carries.
var OptionalScopes = []string{ScopeSettings}
