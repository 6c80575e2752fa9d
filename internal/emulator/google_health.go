package emulator

import (
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// GoogleUser is the demo user as the Google Health API knows them.
type GoogleUser struct {
	HealthUserID        string
	LegacyUserID        string // the Fitbit encoded ID, User().EncodedID
	MembershipStartDate string // YYYY-MM-DD, User().MemberSince
	Age                 int
	TimeZone            string
}

// GoogleUser returns the demo user's Google Health identity and profile.
func (e *Emulator) GoogleUser() GoogleUser { return e.google }

// HealthRequests returns how many Google Health API requests (/v4/...) the emulator has answered, refused
// ones included.
func (e *Emulator) HealthRequests() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.healthRequests
}

const googleJSONContentType = "application/json; charset=UTF-8"

// googleError is a refusal in Google's {"error":{"code","message","status"}} shape.
type googleError struct {
	code       int
	status     string // canonical code: UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT, ...
	message    string
	retryAfter int
}

type googleErrorBody struct {
	Error struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Status  string `json:"status"`
	} `json:"error"`
}

func (g *googleError) body() googleErrorBody {
	var b googleErrorBody
	b.Error.Code, b.Error.Message, b.Error.Status = g.code, g.message, g.status
	return b
}

func errInvalidArgument(msg string) *googleError {
	return &googleError{http.StatusBadRequest, "INVALID_ARGUMENT", msg, 0}
}

func errScope() *googleError {
	return &googleError{http.StatusForbidden, "PERMISSION_DENIED", "Request had insufficient authentication scopes.", 0}
}

func writeGoogleError(w http.ResponseWriter, g *googleError) {
	if g.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(g.retryAfter))
	}
	if g.code == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="https://accounts.google.com/", error="invalid_token"`)
	}
	writeGoogleJSON(w, g.code, g.body())
}

func writeGoogleJSON(w http.ResponseWriter, status int, v any) {
	body, err := marshalJSON(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"error":{"code":500,"message":"encoding failed","status":"INTERNAL"}}`)
	}
	w.Header().Set("Content-Type", googleJSONContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// handleHealth answers the Google Health API v4 (/v4/...) in the same order as the Fitbit API: count,
// authenticate (Bearer tokens from /token only), charge the user's per-minute budget, give the request to an
// armed fault, route.
func (e *Emulator) handleHealth(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	e.healthRequests++
	e.mu.Unlock()

	t, st := e.bearer(r, googleOAuth2)
	switch st {
	case bearerMissing:
		writeGoogleError(w, &googleError{http.StatusUnauthorized, "UNAUTHENTICATED",
			"Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.", 0})
		return
	case bearerUnknown, bearerExpired:
		writeGoogleError(w, &googleError{http.StatusUnauthorized, "UNAUTHENTICATED",
			"Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.", 0})
		return
	}
	reset, allowed := e.takeGoogleRate(t.userID)
	if !allowed {
		writeGoogleError(w, &googleError{http.StatusTooManyRequests, "RESOURCE_EXHAUSTED",
			"Quota exceeded for quota metric 'Requests' and limit 'Requests per minute per user' of service 'health.googleapis.com'.", reset})
		return
	}
	f, faulted := e.nextFault()
	switch {
	case faulted && f.Reset:
		resetConnection(w)
		return
	case faulted && !f.cutsBody():
		writeGoogleError(w, googleFaultError(f, reset))
		return
	}
	body, gerr := e.routeHealth(r, t)
	if gerr != nil && !faulted {
		writeGoogleError(w, gerr)
		return
	}
	var v any = body
	if gerr != nil {
		v = gerr.body()
	}
	b, err := marshalJSON(v)
	if err != nil {
		writeGoogleError(w, &googleError{http.StatusInternalServerError, "INTERNAL", "encoding failed", 0})
		return
	}
	if faulted {
		b = b[:len(b)/2] // Truncate: a body cut mid-way, valid start, no end
	}
	w.Header().Set("Content-Type", googleJSONContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, _ = w.Write(b)
}

// takeGoogleRate charges one request to the user's minute, which opens at their first request. reset is
// the number of seconds until it closes.
func (e *Emulator) takeGoogleRate(userID string) (reset int, allowed bool) {
	now := e.now()
	e.mu.Lock()
	defer e.mu.Unlock()
	w := e.googleRates[userID]
	if w == nil || !now.Before(w.start.Add(time.Minute)) {
		w = &rateWindow{start: now}
		e.googleRates[userID] = w
	}
	reset = max(int(math.Ceil(w.start.Add(time.Minute).Sub(now).Seconds())), 1)
	if w.used >= e.googleRateLimit {
		e.rateLimited++
		return reset, false
	}
	w.used++
	return reset, true
}

// googleFaultError is a faulted Health API answer, with the canonical status Google uses for that code.
func googleFaultError(f Fault, reset int) *googleError {
	status := map[int]string{400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
		409: "ABORTED", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 501: "UNIMPLEMENTED", 503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED"}[f.Status]
	switch {
	case status != "":
	case f.Status >= 500:
		status = "UNKNOWN"
	default:
		status = "FAILED_PRECONDITION"
	}
	g := &googleError{f.Status, status, http.StatusText(f.Status), 0}
	if f.Status == http.StatusTooManyRequests {
		g.retryAfter = reset
	}
	return g
}

// routeHealth dispatches /v4/users/{me|healthUserId}/... after the scope check each resource needs.
func (e *Emulator) routeHealth(r *http.Request, t bearerToken) (any, *googleError) {
	notFound := &googleError{http.StatusNotFound, "NOT_FOUND", "Requested entity was not found.", 0}
	rest, ok := strings.CutPrefix(r.URL.Path, "/v4/users/")
	if !ok || r.Method != http.MethodGet {
		return nil, notFound
	}
	user, rest, _ := strings.Cut(rest, "/")
	if user != "me" && user != t.userID {
		return nil, &googleError{http.StatusForbidden, "PERMISSION_DENIED", "The caller does not have permission.", 0}
	}
	q := r.URL.Query()
	name := "users/" + user + "/" + rest
	switch rest {
	case "identity", "profile", "settings":
		// As the discovery document has it: identity opens with any Health scope, profile with profile.readonly,
		// settings with settings.readonly alone.
		need := map[string]bool{"profile": t.has(scopeHealthProfile), "settings": t.has(scopeHealthSettings),
			"identity": slices.ContainsFunc(t.scopes, func(s string) bool { return strings.HasPrefix(s, googleScopePrefix) })}
		if !need[rest] {
			return nil, errScope()
		}
		if gerr := checkQuery(q); gerr != nil {
			return nil, gerr
		}
		return e.userResource(rest, name), nil
	case "dataTypes/weight/dataPoints", "dataTypes/body-fat/dataPoints", "dataTypes/height/dataPoints":
		if !t.has(scopeHealthMetrics) {
			return nil, errScope()
		}
		return e.listDataPoints(q, strings.Split(rest, "/")[1])
	}
	return nil, notFound
}

type googleDate struct {
	Year  int `json:"year,omitempty"`
	Month int `json:"month,omitempty"`
	Day   int `json:"day,omitempty"`
}

func (e *Emulator) userResource(resource, name string) any {
	switch resource {
	case "identity":
		return map[string]string{"name": name, "legacyUserId": e.google.LegacyUserID, "healthUserId": e.google.HealthUserID}
	case "profile":
		since, _ := time.Parse(dateLayout, e.google.MembershipStartDate)
		return struct {
			Name                string     `json:"name"`
			Age                 int        `json:"age"`
			MembershipStartDate googleDate `json:"membershipStartDate"`
		}{name, e.google.Age, googleDate{since.Year(), int(since.Month()), since.Day()}}
	}
	return e.googleSettings(name)
}

// checkQuery refuses query parameters the method does not define, as Google's front end does, besides the
// system parameters a client library may add.
func checkQuery(q url.Values, allowed ...string) *googleError {
	for k, v := range q {
		switch {
		case len(v) > 1:
			return errInvalidArgument("The parameter " + k + " appears more than once.")
		case k == "prettyPrint" || (k == "alt" && v[0] == "json"):
		case !slices.Contains(allowed, k):
			return errInvalidArgument("Invalid JSON payload received. Unknown name \"" + k + "\": Cannot bind query parameter.")
		}
	}
	return nil
}
