package emulator

import (
	"net/http"
	"strings"
	"time"
)

// handleAPI answers the Fitbit Web API v1 (/1/...). Every request is counted; then it is authenticated, charged
// to the user's budget for the rate window, given to an armed fault, and finally routed. Refusals before the
// budget carry no rate-limit headers because no user is known yet.
func (e *Emulator) handleAPI(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	e.apiRequests++
	gone := e.gone
	e.mu.Unlock()
	if gone {
		writeError(w, errGone())
		return
	}

	p, aerr := e.authenticate(r)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	rl := e.takeRate(p.userID)
	rl.setHeaders(w.Header())
	if !rl.allowed {
		writeError(w, &apiError{status: http.StatusTooManyRequests, errorType: "system",
			message: "Too Many Requests", retryAfter: rl.reset})
		return
	}
	f, faulted := e.nextFault()
	switch {
	case faulted && f.Reset:
		resetConnection(w)
		return
	case faulted && !f.cutsBody():
		writeError(w, faultError(f, rl, w.Header()))
		return
	}
	body, aerr := e.route(r, p)
	if aerr != nil && !faulted {
		writeError(w, aerr)
		return
	}
	var v any = body
	if aerr != nil {
		v = errorBody{Errors: []errorItem{{ErrorType: aerr.errorType, FieldName: aerr.fieldName, Message: aerr.message}}}
	}
	b, err := marshalJSON(v)
	if err != nil {
		writeError(w, &apiError{status: http.StatusInternalServerError, errorType: "system", message: "encoding failed"})
		return
	}
	if faulted {
		b = b[:len(b)/2] // Truncate: a body cut mid-way, valid start, no end
	}
	writeRaw(w, http.StatusOK, b)
}

// route dispatches /1/user/{-|encodedId}/... to the resource handlers.
func (e *Emulator) route(r *http.Request, p principal) (any, *apiError) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/1/user/")
	if !ok {
		return nil, errNotFound()
	}
	user, rest, _ := strings.Cut(rest, "/")
	rest, ok = strings.CutSuffix(rest, ".json")
	if !ok {
		return nil, errNotFound()
	}
	if r.Method != http.MethodGet {
		return nil, &apiError{status: http.StatusMethodNotAllowed, errorType: "request", fieldName: "n/a",
			message: "This resource only answers GET."}
	}
	if user != "-" && user != p.userID {
		return nil, &apiError{status: http.StatusForbidden, errorType: "insufficient_permissions", fieldName: "user",
			message: "This application may only read the data of the user who authorised it."}
	}
	segs := strings.Split(rest, "/")
	u := unitsFor(r.Header.Get("Accept-Language"))
	today := e.today()
	scope := "weight" // every body resource
	var serve func() (any, *apiError)
	switch {
	case rest == "profile":
		scope, serve = "profile", func() (any, *apiError) { return e.profile(r, u), nil }
	case hasPrefix(segs, "body", "log", "weight", "date"):
		serve = func() (any, *apiError) { return e.weightLogs(segs[4:], today, u) }
	case hasPrefix(segs, "body", "log", "fat", "date"):
		serve = func() (any, *apiError) { return e.fatLogs(segs[4:], today) }
	case len(segs) == 3 && segs[0] == "body" && segs[1] == "date":
		serve = func() (any, *apiError) { return e.bodyOnDate(segs[2], today, u) }
	case len(segs) > 3 && segs[0] == "body" && segs[2] == "date" && seriesKey[segs[1]] != "":
		serve = func() (any, *apiError) { return e.timeSeries(segs[1], segs[3:], today, u) }
	default:
		return nil, errNotFound()
	}
	if !p.allows(scope) {
		return nil, &apiError{status: http.StatusForbidden, errorType: "insufficient_scope", message: "This application does not have permission to access " +
			scope + " data. Visit https://dev.fitbit.com/docs/oauth2 for more information on the Fitbit Web API authorization process."}
	}
	return serve()
}

func hasPrefix(segs []string, prefix ...string) bool {
	if len(segs) <= len(prefix) {
		return false
	}
	for i, p := range prefix {
		if segs[i] != p {
			return false
		}
	}
	return true
}

type profileJSON struct {
	Avatar              string  `json:"avatar"`
	Avatar150           string  `json:"avatar150"`
	DisplayName         string  `json:"displayName"`
	EncodedID           string  `json:"encodedId"`
	FullName            string  `json:"fullName"`
	Gender              string  `json:"gender"`
	Height              float64 `json:"height"`
	HeightUnit          string  `json:"heightUnit"`
	Locale              string  `json:"locale"`
	MemberSince         string  `json:"memberSince"`
	OffsetFromUTCMillis int64   `json:"offsetFromUTCMillis"`
	StartDayOfWeek      string  `json:"startDayOfWeek"`
	Timezone            string  `json:"timezone"`
	Weight              float64 `json:"weight"`
	WeightUnit          string  `json:"weightUnit"`
}

// profile is GET /1/user/-/profile.json. height and weight follow Accept-Language; the *Unit fields are the
// user's own display preference, which the real API also reports regardless of the header.
func (e *Emulator) profile(r *http.Request, u units) any {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	avatar := scheme + "://" + r.Host + "/images/avatar.svg"
	var latest float64
	if n := len(e.logs); n > 0 {
		latest = e.logs[n-1].WeightKg
	}
	_, offset := e.now().In(e.loc).Zone()
	return map[string]profileJSON{"user": {
		Avatar:              avatar,
		Avatar150:           avatar,
		DisplayName:         e.user.DisplayName,
		EncodedID:           e.user.EncodedID,
		FullName:            e.user.FullName,
		Gender:              "NA",
		Height:              u.height(e.user.HeightCm),
		HeightUnit:          "METRIC",
		Locale:              e.user.Locale,
		MemberSince:         e.user.MemberSince,
		OffsetFromUTCMillis: int64(offset) * int64(time.Second/time.Millisecond),
		StartDayOfWeek:      "MONDAY",
		Timezone:            e.user.TimeZone,
		Weight:              u.weight(latest),
		WeightUnit:          "METRIC",
	}}
}

type bodyJSON struct {
	Body struct {
		BMI    float64 `json:"bmi"`
		Fat    float64 `json:"fat"`
		Weight float64 `json:"weight"`
	} `json:"body"`
	Goals struct {
		Weight float64 `json:"weight"`
	} `json:"goals"`
}

// bodyOnDate is GET /1/user/-/body/date/{date}.json: the day's last weigh-in (and last fat reading), zeros
// when the day has none, plus the weight goal.
func (e *Emulator) bodyOnDate(arg string, today time.Time, u units) (any, *apiError) {
	d, aerr := parseDate(arg, today, "date")
	if aerr != nil {
		return nil, aerr
	}
	var out bodyJSON
	day := e.logsBetween(d, d)
	if v, ok := dailyValue("weight", day, u); ok {
		out.Body.Weight = v
	}
	if v, ok := dailyValue("bmi", day, u); ok {
		out.Body.BMI = v
	}
	if v, ok := dailyValue("fat", day, u); ok {
		out.Body.Fat = v
	}
	out.Goals.Weight = u.weight(e.goalKg)
	return out, nil
}
