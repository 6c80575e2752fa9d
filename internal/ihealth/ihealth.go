// Package ihealth is the iHealth Labs Open API (OpenAPI V2) provider: its OAuth 2.0 variant, its weight.json
// client and the Source the syncer drives.
package ihealth

import (
	"net/url"
	"time"
)

// ID is the provider id of iHealth.
const ID = "ihealth"

// DefaultAPIURL is iHealth's US host; accounts in the EU region are served from the host their token answer
// names (UserRegion).
const DefaultAPIURL = "https://api.ihealthlabs.com:8443"

// AuthPath is iHealth's one OAuth URL: the consent page (response_type=code), the code exchange
// (grant_type=authorization_code) and the refresh (response_type=refresh_token).
const AuthPath = "/OpenApiV2/OAuthv2/userauthorization/"

// APIName is the weight API; OpenApiUserInfo is asked for too, since an old client README says iHealth wants it
// in every grant, but only the weight API is required.
const (
	APIName     = "OpenApiWeight"
	APINameInfo = "OpenApiUserInfo"
)

// PageLength is how many records iHealth returns per page, whatever a count parameter says.
const PageLength = 50

// maxBody bounds what the client reads of an answer: a page of 50 records is about 20 kB.
const maxBody = 4 << 20

// WeightPath is the weight resource of one user.
func WeightPath(userID string) string {
	return "/openapiv2/user/" + url.PathEscape(userID) + "/weight.json/"
}

// tokenLifetimeCap is the longest the app trusts an access token: iHealth's Get Started page says 48 hours,
// real answers say Expires=3672000 (42.5 days); refreshing early costs one request.
const tokenLifetimeCap = 48 * time.Hour
