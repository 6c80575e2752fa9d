package emulator

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

const ihealthPageLength = 50

// ihealthKgPer is the kilograms per WeightUnit (decimal stone).
var ihealthKgPer = [...]float64{1, 0.45359237, 6.35029318}

type ihealthWeight struct {
	BMI            float64 `json:"BMI"`
	BoneValue      float64 `json:"BoneValue"`
	DCI            float64 `json:"DCI"`
	DataID         string  `json:"DataID"`
	DataSource     string  `json:"DataSource"`
	FatValue       float64 `json:"FatValue"`
	LastChangeTime int64   `json:"LastChangeTime"`
	MDate          int64   `json:"MDate"`
	MuscaleValue   float64 `json:"MuscaleValue"` // sic
	Note           string  `json:"Note"`
	TimeZone       any     `json:"TimeZone"`
	WaterValue     float64 `json:"WaterValue"`
	WeightValue    float64 `json:"WeightValue"`
	UserID         string  `json:"userid"`
}

type ihealthWeightPage struct {
	CurrentRecordCount int             `json:"CurrentRecordCount"`
	NextPageUrl        string          `json:"NextPageUrl"`
	PageLength         int             `json:"PageLength"`
	PageNumber         int             `json:"PageNumber"`
	PrevPageUrl        string          `json:"PrevPageUrl"`
	RecordCount        int             `json:"RecordCount"`
	WeightDataList     []ihealthWeight `json:"WeightDataList"`
	WeightUnit         int             `json:"WeightUnit"`
}

// handleIHealthWeight is GET /openapiv2/user/{UserID}/weight.json/. Every credential travels in the query:
// client_id, client_secret, access_token, sc and sv; start_time and end_time (Unix seconds on the shifted scale
// of MDate, the local clock as if UTC) filter on MDate; page_index counts from 1; 50 records a page, oldest first.
func (e *Emulator) handleIHealthWeight(w http.ResponseWriter, r *http.Request) {
	s := e.ih
	s.mu.Lock()
	s.dataRequests++
	var fault string
	if len(s.faults) > 0 {
		fault, s.faults = s.faults[0], s.faults[1:]
	}
	s.mu.Unlock()
	switch fault {
	case "burst":
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("<html><body><h1>503 Service Unavailable</h1></body></html>"))
		return
	case "html":
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<!DOCTYPE html><html><head><title>Error</title></head><body>Runtime Error</body></html>"))
		return
	}
	rest := r.URL.Path[len("/openapiv2/user/"):]
	userID, res, _ := strings.Cut(rest, "/")
	if res != "weight.json/" && res != "weight.json" {
		writeJSON(w, http.StatusNotFound, ihealthError{Error: "not_found", ErrorCode: 404, ErrorDescription: "Unknown resource."})
		return
	}
	if r.Method != http.MethodGet {
		e.writeIHealthError(w, "invalid_request", 4000, "This resource answers GET.")
		return
	}
	q := r.URL.Query()
	c, ok := e.ihealthApp(w, q)
	if !ok {
		return
	}
	if !e.ihealthBudget(w, q.Get("client_id")) {
		return
	}
	if subtle.ConstantTimeCompare([]byte(c.sc), []byte(q.Get("sc"))) != 1 || subtle.ConstantTimeCompare([]byte(c.sv), []byte(q.Get("sv"))) != 1 {
		e.writeIHealthError(w, "SC_or_SV_is_not_authorized", 3, "The sc or sv is not authorized.")
		return
	}
	if q.Get("access_token") == "" {
		// A Bearer header is not where iHealth reads the token.
		e.writeIHealthError(w, "unauthorized_token", 2002, "Token is Unauthorized.")
		return
	}
	s.mu.Lock()
	t, ok := s.access[q.Get("access_token")]
	valid := ok && t.clientID == q.Get("client_id") && e.now().Before(t.expires)
	var apis []string
	if ok {
		apis = t.apis
	}
	region, unit := s.opts.Region, s.opts.Unit
	nextHost := s.opts.NextPageHost
	s.mu.Unlock()
	switch {
	case !valid:
		e.writeIHealthError(w, "unauthorized_token", 2002, "Token is Unauthorized.")
		return
	case !slices.Contains(apis, "OpenApiWeight"):
		e.writeIHealthError(w, "unauthorized_APIName", 2003, "The APIName is not authorized.")
		return
	case userID != demoIHealthUserID:
		e.writeIHealthError(w, "is_not_authorized", 2, "The user has not authorized this application.")
		return
	case region != "" && !strings.EqualFold(requestOrigin(r), region):
		e.writeIHealthError(w, "user_region_unavailable", 2005, "user region is : "+strings.TrimPrefix(region, "https://"))
		return
	}
	start, err1 := strconv.ParseInt(q.Get("start_time"), 10, 64)
	end, err2 := strconv.ParseInt(q.Get("end_time"), 10, 64)
	page := 1
	if v := q.Get("page_index"); v != "" {
		var err error
		if page, err = strconv.Atoi(v); err != nil || page < 1 {
			e.writeIHealthError(w, "invalid_param", 4001, "page_index must be a number from 1.")
			return
		}
	}
	if q.Get("start_time") == "" {
		start = time.Now().AddDate(0, -3, 0).Unix()
		err1 = nil
	}
	if q.Get("end_time") == "" {
		end, err2 = time.Now().AddDate(0, 0, 1).Unix(), nil
	}
	if err1 != nil || err2 != nil || end <= start {
		e.writeIHealthError(w, "invalid_param", 4001, "start_time and end_time must be Unix seconds, end after start.")
		return
	}
	switch q.Get("locale") {
	case "", "default":
		unit = 0
	case "en_US":
		unit = 1
	case "en_UK":
		unit = 2
	case "user":
	default:
		e.writeIHealthError(w, "invalid_param", 4001, "Unknown locale.")
		return
	}
	writeJSON(w, http.StatusOK, e.ihealthPage(r, q, nextHost, start, end, page, unit))
}

// ihealthPage builds one page of the records with MDate in [start, end].
func (e *Emulator) ihealthPage(r *http.Request, q url.Values, nextHost string, start, end int64, page, unit int) ihealthWeightPage {
	s := e.ih
	s.mu.Lock()
	all := e.ihealthEntriesLocked()
	style := s.opts.Zones
	s.mu.Unlock()
	var in []ihealthEntry
	for _, en := range all {
		if m := en.mdate(); m >= start && m <= end {
			in = append(in, en)
		}
	}
	out := ihealthWeightPage{PageLength: ihealthPageLength, PageNumber: page, RecordCount: len(in), WeightUnit: unit,
		WeightDataList: []ihealthWeight{}}
	from := (page - 1) * ihealthPageLength
	for i := from; i < min(len(in), from+ihealthPageLength); i++ {
		out.WeightDataList = append(out.WeightDataList, ihealthWire(in[i], i, style, unit))
	}
	out.CurrentRecordCount = len(out.WeightDataList)
	link := func(p int) string {
		origin := requestOrigin(r)
		if nextHost != "" {
			origin = nextHost
		}
		lq := url.Values{}
		for k, v := range q {
			lq[k] = v
		}
		lq.Set("page_index", strconv.Itoa(p))
		// URL-encoded, as iHealth sends it (its sample decodes it before use); it carries the secrets.
		return url.QueryEscape(origin + r.URL.Path + "?" + lq.Encode())
	}
	if from+ihealthPageLength < len(in) {
		out.NextPageUrl = link(page + 1)
	}
	if page > 1 {
		out.PrevPageUrl = link(page - 1)
	}
	return out
}

// ihealthWire is a record as iHealth sends it: masses in the unit, zero for "not measured".
func ihealthWire(en ihealthEntry, i int, style string, unit int) ihealthWeight {
	per := ihealthKgPer[unit]
	w := ihealthWeight{
		BMI: en.BMI, DataID: en.DataID, DataSource: "FromDevice", FatValue: en.FatPct, MDate: en.mdate(),
		WeightValue: en.WeightKg / per, UserID: demoIHealthUserID, TimeZone: en.TimeZone,
	}
	if en.Manual {
		w.DataSource = "Manual"
	}
	if en.derived {
		w.TimeZone = spellZone(en.offset, style, i)
	}
	if en.FatPct > 0 {
		w.WaterValue = round(55-0.6*(en.FatPct-24), 1)
		w.BoneValue = en.WeightKg * 0.04 / per
		w.MuscaleValue = en.WeightKg * (1 - en.FatPct/100) * 0.7 / per
	}
	w.LastChangeTime = w.MDate - int64(en.offset) + 30 // true UTC, a little after the weigh-in
	return w
}

// spellZone writes an offset the way the Zones knob says.
func spellZone(offset int, style string, i int) any {
	if style == "" {
		style = [...]string{"signed", "unsigned", "int"}[i%3]
	}
	sign := "+"
	m := offset / 60
	if m < 0 {
		sign, m = "-", -m
	}
	hhmm := strconv.Itoa(100 + m/60)[1:] + strconv.Itoa(100 + m%60)[1:]
	switch style {
	case "unsigned":
		if sign == "-" {
			return "-" + hhmm
		}
		return hhmm
	case "int":
		if offset%3600 == 0 {
			return offset / 3600
		}
		return sign + hhmm
	case "colon":
		return sign + hhmm[:2] + ":" + hhmm[2:]
	case "empty":
		return ""
	}
	return sign + hhmm
}

// ihealthBudget charges the client's hourly budget; over it, iHealth answers limits_hour_error.
func (e *Emulator) ihealthBudget(w http.ResponseWriter, clientID string) bool {
	s := e.ih
	s.mu.Lock()
	hour := e.now().Truncate(time.Hour)
	if !hour.Equal(s.hour) {
		s.hour, s.used = hour, map[string]int{}
	}
	limit := s.opts.HourlyLimit
	if limit <= 0 {
		limit = 5000
	}
	s.used[clientID]++
	over := s.used[clientID] > limit
	status := s.opts.ErrorStatus
	s.mu.Unlock()
	if !over {
		return true
	}
	if status == 0 {
		status = http.StatusOK
	}
	writeJSON(w, status, ihealthError{BackValue: "null", ClientPara: "null", Error: "limits_hour_error", ErrorCode: "503",
		ErrorDescription: "Reached the one-hour access limit"})
	return false
}
