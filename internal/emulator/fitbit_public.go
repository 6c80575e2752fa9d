package emulator

import "net/http"

// A public profile is what Fitbit showed anyone (2013): a person could make their profile, and separately their
// body data, viewable by "Anyone", and an app could read it with its consumer key alone.
type publicProfile struct {
	name       string
	public     bool // the profile is viewable by anyone
	bodyPublic bool // and so is the weight
}

// The demo's other Fitbit users: the seed's own example ID, whose profile is public but whose body data is not,
// and one whose profile is private. The demo user (7BDEMO) made both public.
const (
	PublicNoBodyUserID = "1ABCDE"
	PrivateUserID      = "2PRIV8"
)

func (e *Emulator) publicProfileOf(id string) (publicProfile, bool) {
	switch id {
	case e.user.EncodedID:
		return publicProfile{name: e.user.DisplayName, public: true, bodyPublic: true}, true
	case PublicNoBodyUserID:
		return publicProfile{name: "USERNAME", public: true}, true
	case PrivateUserID:
		return publicProfile{name: "Private Person"}, true
	}
	return publicProfile{}, false
}

// fitbitPublicRoutes serves the profile read in both its forms: signed with an access token (the person's own
// profile, handleAPI's business) or two-legged, with the consumer key and secret alone.
func (e *Emulator) fitbitPublicRoutes(mux *http.ServeMux) []string {
	mux.HandleFunc("GET /1/user/{id}/profile.json", e.apiCall(e.handleProfileRead))
	return nil
}

// handleProfileRead sends a request that carries a user's token to the Web API, and a two-legged one (OAuth
// 1.0a without oauth_token, or with an empty one) to the public read.
func (e *Emulator) handleProfileRead(w http.ResponseWriter, r *http.Request) {
	h := r.Header.Get("Authorization")
	if p, err := parseOAuthHeader(h); err != nil || p["oauth_token"] != "" {
		e.handleAPI(w, r)
		return
	}
	e.mu.Lock()
	e.apiRequests++
	gone := e.gone
	e.mu.Unlock()
	if gone {
		writeError(w, errGone())
		return
	}
	// Signed with the consumer secret and an empty token secret (RFC 5849 §3.4.2).
	s, aerr := e.verifyOAuth1(r, noToken)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	rl := e.takeRate("consumer:" + s.consumerKey)
	rl.setHeaders(w.Header())
	if !rl.allowed {
		writeError(w, &apiError{status: http.StatusTooManyRequests, errorType: "system", message: "Too Many Requests", retryAfter: rl.reset})
		return
	}
	id := r.PathValue("id")
	pp, ok := e.publicProfileOf(id)
	switch {
	case id == "-":
		writeError(w, &apiError{status: http.StatusUnauthorized, errorType: "invalid_token", fieldName: "oauth_token",
			message: "A request without a user token must name the user whose public profile it reads."})
		return
	case !ok:
		writeError(w, &apiError{status: http.StatusNotFound, errorType: "not_found", fieldName: "user",
			message: "No user with this id."})
		return
	case !pp.public:
		writeError(w, &apiError{status: http.StatusForbidden, errorType: "insufficient_permissions", fieldName: "user",
			message: "This user's profile is not public."})
		return
	}
	full := e.profile(r, unitsFor(r.Header.Get("Accept-Language"))).(map[string]profileJSON)["user"]
	out := publicProfileJSON{
		Avatar: full.Avatar, Avatar150: full.Avatar150, DisplayName: pp.name, EncodedID: id, Gender: "NA",
		Timezone: "UTC", WeightUnit: full.WeightUnit,
	}
	if id == e.user.EncodedID {
		out.Timezone, out.MemberSince = full.Timezone, full.MemberSince
	}
	if pp.bodyPublic {
		out.Weight = &full.Weight
	}
	writeJSON(w, http.StatusOK, map[string]publicProfileJSON{"user": out})
}

// publicProfileJSON is what the public read shows: no full name, no height, and the weight only when the body
// data is public.
type publicProfileJSON struct {
	Avatar      string   `json:"avatar"`
	Avatar150   string   `json:"avatar150"`
	DisplayName string   `json:"displayName"`
	EncodedID   string   `json:"encodedId"`
	Gender      string   `json:"gender"`
	MemberSince string   `json:"memberSince,omitempty"`
	Timezone    string   `json:"timezone"`
	Weight      *float64 `json:"weight,omitempty"`
	WeightUnit  string   `json:"weightUnit"`
}
