package emulator

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

type withingsMeasureJSON struct {
	Value int64 `json:"value"`
	Type  int   `json:"type"`
	Unit  int   `json:"unit"`
	Algo  *int  `json:"algo,omitempty"` // deprecated, absent on some types
	FM    *int  `json:"fm,omitempty"`
}

type withingsGroupJSON struct {
	GrpID        int64                 `json:"grpid"`
	Attrib       int                   `json:"attrib"`
	Date         int64                 `json:"date"`
	Created      int64                 `json:"created"`
	Modified     int64                 `json:"modified"`
	Category     int                   `json:"category"`
	DeviceID     *string               `json:"deviceid"`
	HashDeviceID *string               `json:"hash_deviceid"`
	ModelID      *int                  `json:"modelid"`
	Model        *string               `json:"model"`
	Comment      *string               `json:"comment"`
	Measures     []withingsMeasureJSON `json:"measures"`
}

type withingsMeasureBody struct {
	UpdateTime  int64               `json:"updatetime"`
	TimeZone    string              `json:"timezone"`
	MeasureGrps []withingsGroupJSON `json:"measuregrps"`
	More        int                 `json:"more"`
	Offset      int                 `json:"offset"`
}

// handleWithingsMeasure is /measure action=getmeas (POST form, or GET with a query as some clients send). The
// access token is read from the Authorization header only: a token among the parameters is refused.
func (e *Emulator) handleWithingsMeasure(w http.ResponseWriter, r *http.Request) {
	params := r.URL.Query()
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
		if err := r.ParseForm(); err != nil {
			e.logWithings(r, params, 503)
			writeWithings(w, withingsFail(503, "Invalid Params: the body could not be read"))
			return
		}
		params = r.Form
	}
	reply, httpStatus := e.withingsMeasure(r, params)
	switch {
	case httpStatus == -1:
		e.logWithings(r, params, 0)
		resetConnection(w)
		return
	case httpStatus != 0:
		e.logWithings(r, params, httpStatus)
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(httpStatus)
		_, _ = w.Write([]byte("<html><body><h1>" + strconv.Itoa(httpStatus) + " " + http.StatusText(httpStatus) + "</h1></body></html>"))
		return
	}
	e.logWithings(r, params, reply.Status)
	writeWithings(w, reply)
}

func (e *Emulator) logWithings(r *http.Request, params url.Values, status int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.withings.measureCalls++
	if status == 601 {
		e.withings.rateLimited++
	}
	e.withings.log = append(e.withings.log, WithingsCall{Path: r.URL.Path, Action: params.Get("action"), Params: loggable(params), Status: status, At: e.now()})
}

// withingsMeasure answers one getmeas request; a nonzero httpStatus (-1: drop the connection) replaces the
// envelope, as a gateway in front of the API would.
func (e *Emulator) withingsMeasure(r *http.Request, params url.Values) (withingsReply, int) {
	if _, inParams := params["access_token"]; inParams {
		return withingsFail(401, "XRequestID: Not provided invalid_token: access tokens are accepted in the Authorization header only"), 0
	}
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		return withingsFail(401, "XRequestID: Not provided invalid_token: The access token provided is invalid"), 0
	}
	e.mu.Lock()
	t, status, msg := e.useWithingsAccessLocked(strings.TrimSpace(token))
	if status != 0 {
		e.mu.Unlock()
		return withingsFail(status, msg), 0
	}
	wait, ok := e.takeWithingsRateLocked(t.clientID)
	e.mu.Unlock()
	if !ok {
		return withingsWait(wait, "Too many request"), 0
	}
	f, faulted := e.nextFault()
	switch {
	case faulted && f.Reset:
		return withingsReply{}, -1
	case faulted && (f.Status == http.StatusTooManyRequests || f.Status >= 500 && f.Status < 600):
		return withingsReply{}, f.Status
	case faulted && f.Status == 601:
		return withingsWait(2, "Too many request"), 0
	case faulted && f.Status != 0 && !f.cutsBody():
		return withingsFail(f.Status, "An error occurred"), 0
	}
	if a := params.Get("action"); a != "getmeas" {
		return withingsFail(2554, "Not implemented: unknown action"), 0
	}
	q, bad := parseMeasureQuery(params)
	if bad != "" {
		return withingsFail(503, "Invalid Params: "+bad), 0
	}
	reply := e.getmeas(q)
	if faulted && f.cutsBody() {
		reply.cut = true
	}
	return reply, 0
}

type measureQuery struct {
	types                                  []int // nil: every type
	category                               int
	startdate, enddate, lastupdate, offset int64
	hasStart, hasEnd, hasLast              bool
}

func parseMeasureQuery(p url.Values) (measureQuery, string) {
	q := measureQuery{category: 1}
	num := func(k string) (int64, bool, bool) {
		v := p.Get(k)
		if v == "" {
			return 0, false, true
		}
		n, err := strconv.ParseInt(v, 10, 64)
		return n, true, err == nil && n >= 0
	}
	for _, k := range []string{"meastype", "meastypes"} {
		if v := p.Get(k); v != "" {
			for _, s := range strings.Split(v, ",") {
				n, err := strconv.Atoi(strings.TrimSpace(s))
				if err != nil {
					return q, k
				}
				q.types = append(q.types, n)
			}
		}
	}
	var ok bool
	var c int64
	if c, _, ok = num("category"); !ok || (p.Get("category") != "" && c != 1 && c != 2) {
		return q, "category"
	} else if c != 0 {
		q.category = int(c)
	}
	if q.startdate, q.hasStart, ok = num("startdate"); !ok {
		return q, "startdate"
	}
	if q.enddate, q.hasEnd, ok = num("enddate"); !ok {
		return q, "enddate"
	}
	if q.lastupdate, q.hasLast, ok = num("lastupdate"); !ok {
		return q, "lastupdate"
	}
	if q.offset, _, ok = num("offset"); !ok {
		return q, "offset"
	}
	return q, ""
}

// getmeas lists the matching groups newest first, PageSize at a time. lastupdate selects the groups modified
// after it (and replaces startdate and enddate); the bounds of startdate and enddate are inclusive.
func (e *Emulator) getmeas(q measureQuery) withingsReply {
	e.mu.Lock()
	defer e.mu.Unlock()
	o := e.withings.options(demoTimeZone)
	var match []withingsGroupJSON
	for _, g := range e.withingsGroupsLocked() {
		switch {
		case g.Category != q.category,
			q.hasLast && g.Modified <= q.lastupdate,
			!q.hasLast && q.hasStart && g.Date < q.startdate,
			!q.hasLast && q.hasEnd && g.Date > q.enddate:
			continue
		}
		if j, ok := groupJSON(g, q.types); ok {
			match = append(match, j)
		}
	}
	body := withingsMeasureBody{UpdateTime: e.now().Unix(), TimeZone: o.TimeZone, MeasureGrps: []withingsGroupJSON{}}
	start := min(int(q.offset), len(match))
	end := min(start+o.PageSize, len(match))
	body.MeasureGrps = append(body.MeasureGrps, match[start:end]...)
	if end < len(match) {
		body.More, body.Offset = 1, end
	}
	return withingsReply{Body: body}
}

func groupJSON(g WithingsGroup, types []int) (withingsGroupJSON, bool) {
	j := withingsGroupJSON{GrpID: g.GrpID, Attrib: g.Attrib, Date: g.Date, Created: g.Created, Modified: g.Modified, Category: g.Category}
	if g.DeviceID != "" {
		id := g.DeviceID
		j.DeviceID, j.HashDeviceID = &id, &id
	}
	if g.Model != "" {
		model, mid := g.Model, g.ModelID
		j.Model, j.ModelID = &model, &mid
	}
	for _, m := range g.Measures {
		if types != nil && !slices.Contains(types, m.Type) {
			continue
		}
		mj := withingsMeasureJSON{Value: m.Value, Type: m.Type, Unit: m.Unit}
		if m.Type != wTypeFatRatio {
			algo, fm := 0, 131
			mj.Algo, mj.FM = &algo, &fm
		}
		j.Measures = append(j.Measures, mj)
	}
	return j, len(j.Measures) > 0
}
