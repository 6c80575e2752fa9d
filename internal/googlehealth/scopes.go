package googlehealth

// The read-only scopes bodystats asks for: weight and body fat, and the profile and identity.
const (
	ScopeHealthMetrics = "https://www.googleapis.com/auth/googlehealth.health_metrics_and_measurements.readonly"
	ScopeProfile       = "https://www.googleapis.com/auth/googlehealth.profile.readonly"
)

// Scopes lists every scope bodystats requests.
var Scopes = []string{ScopeHealthMetrics, ScopeProfile}
