package fitbit

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/bodystats/bodystats/internal/httpx"
)

// maxEcho is how many consecutive bytes of an answer an error may quote: enough for json's quoted character,
// not enough for a token.
const maxEcho = 16

// fixedWords are the texts an error carries whatever the answer.
var fixedWords = strings.Join([]string{
	ErrMalformed.Error(), "fitbit: profile: ", "fitbit: weight logs 2024-01-01..2024-01-31: ",
	"fitbit: weight series 2023-01-01..2024-12-31: ", "no user object", "no weight array", "no body-weight array",
	"bad date", "invalid JSON at byte ", " holds the wrong kind of value", "the answer is not the expected JSON",
}, "\x00")

// fieldPaths are the names an error may give a field by: the path of its json tags, which the answer's keys
// match but do not supply, with or without the Go type in front. Longest first, so that none hides a longer one.
var fieldPaths = func() []string {
	series := struct {
		DateTime string `json:"dateTime"`
		Value    string `json:"value"`
	}{}
	var paths []string
	for _, r := range []struct {
		typ, key string
		v        any
	}{{"Profile", "user", Profile{}}, {"WeightLog", "weight", WeightLog{}}, {"", "body-weight", series}} {
		for f := range reflect.TypeOf(r.v).Fields() {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			paths = append(paths, r.typ+"."+r.key+"."+name, r.key+"."+name)
		}
	}
	slices.SortFunc(paths, func(a, b string) int { return len(b) - len(a) })
	return paths
}()

// answerServer answers every request with whatever status, headers and body were last put in it. One server
// serves a whole fuzz run: a new listener per input would spend the run on sockets.
type answerServer struct {
	answer atomic.Pointer[answer]
	client *Client
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func newAnswerServer(f *testing.F) *answerServer {
	s := &answerServer{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := s.answer.Load()
		for k, vs := range a.header {
			w.Header()[k] = vs
		}
		w.WriteHeader(a.status)
		w.Write(a.body)
	}))
	f.Cleanup(srv.Close)
	s.client = NewClient(srv.Client(), srv.URL)
	return s
}

// FuzzClientDecode serves the input as a 200 answer to Profile, WeightLogs and WeightDays: no panic, a refusal
// is ErrMalformed and quotes at most a few bytes of the answer, and an answer that is not JSON is never taken.
func FuzzClientDecode(f *testing.F) {
	f.Add([]byte(`{"user":{"encodedId":"7QX9ZK","displayName":"Ann","fullName":"Ann Smith","memberSince":"2016-03-01","height":170.2,"timezone":"Europe/Berlin","offsetFromUTCMillis":3600000,"locale":"en_GB"}}`))
	f.Add([]byte(`{"weight":[{"bmi":23.57,"date":"2019-03-01","fat":15.25,"logId":1553067000000,"source":"Aria","time":"07:38:14","weight":75.5},{"bmi":23.6,"date":"2019-03-02","logId":1553153400000,"source":"Web","time":"23:59:59","weight":75.61}]}`))
	f.Add([]byte(`{"body-weight":[{"dateTime":"2024-01-01","value":"0"},{"dateTime":"2024-01-02","value":"75.3"},{"dateTime":"2024-01-03","value":""}]}`))
	f.Add([]byte(`{"body-weight":[{"dateTime":"01/02/2024","value":"75.3"}]}`))
	f.Add([]byte(`{"user":null,"weight":null,"body-weight":null}`))
	f.Add([]byte(`{"user":{"height":"tall"},"weight":[{"logId":1.5}],"body-weight":[{"value":75}]}`))
	f.Add([]byte(`{"weight":[{"logId":-9223372036854775808,"fat":null,"weight":1e2}]}`))
	f.Add([]byte(`{"weight":[{"logId":9227000000000000000}]}`)) // json quotes the number it cannot store
	f.Add([]byte(`{"user":{"":"","offsetFromUTCMillis":""}}`))
	f.Add([]byte(`{"weight":{}}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"user":{}} trailing`))
	f.Add([]byte("{\"user\":{\"fullName\":\"\xff\\ud800\"}}"))
	f.Add([]byte(`{"weight":[`))
	f.Add([]byte(``))

	s := newAnswerServer(f)
	start, end := day("2024-01-01"), day("2024-01-31")
	seriesStart, seriesEnd := day("2023-01-01"), day("2024-12-31")
	f.Fuzz(func(t *testing.T, body []byte) {
		s.answer.Store(&answer{status: http.StatusOK, body: body})
		ctx := context.Background()
		_, errProfile := s.client.Profile(ctx)
		_, errLogs := s.client.WeightLogs(ctx, start, end)
		_, errDays := s.client.WeightDays(ctx, seriesStart, seriesEnd)
		for _, err := range []error{errProfile, errLogs, errDays} {
			if err == nil {
				if !json.Valid(body) {
					t.Fatalf("answer %q is not JSON, yet it was taken", body)
				}
				continue
			}
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("answer %q: %v, want ErrMalformed", body, err)
			}
			if echo := echoed(err.Error(), body); echo != "" {
				t.Fatalf("answer %q: error %q quotes %q", body, err, echo)
			}
		}
	})
}

// echoed returns a run of more than maxEcho bytes of msg that also occurs in input and is neither a field path
// nor one of the fixed words, or "".
func echoed(msg string, input []byte) string {
	in := string(input)
	for _, p := range fieldPaths {
		msg = strings.ReplaceAll(msg, p, "\x00")
	}
	for i := 0; i+maxEcho < len(msg); i++ {
		w := msg[i : i+maxEcho+1]
		if strings.Contains(in, w) && !strings.Contains(fixedWords, w) {
			return w
		}
	}
	return ""
}

// FuzzClientErrorAnswer serves a 4xx or 5xx answer with the given body and rate-limit headers: the error is an
// *Error of exactly the kind its status implies, and a wait it asks for lies within httpx.MaxRetryAfter.
func FuzzClientErrorAnswer(f *testing.F) {
	f.Add(uint16(401), `{"errors":[{"errorType":"expired_token","message":"Access token expired: eyJhbGciOi"}],"success":false}`, "", "")
	f.Add(uint16(429), `{"errors":[{"errorType":"too_many_requests"}]}`, "120", "3000")
	f.Add(uint16(429), ``, "", "3000")
	f.Add(uint16(429), ``, "", "100000") // a reset more than a day away
	f.Add(uint16(429), ``, "Wed, 21 Oct 2015 07:28:00 GMT", "60")
	f.Add(uint16(429), `{"errors":[]}`, "99999999999", "-5")
	f.Add(uint16(403), `{"errors":[{"errorType":"insufficient_scope"}]}`, "", "")
	f.Add(uint16(410), `gone`, "", "")
	f.Add(uint16(503), `{"errors":{"errorType":"x"}}`, "30", "")
	f.Add(uint16(400), `{"errors":[{"errorType":7}]}`, "", "")

	s := newAnswerServer(f)
	f.Fuzz(func(t *testing.T, code uint16, body, retryAfter, reset string) {
		status := 400 + int(code)%200
		if !headerValue(retryAfter) || !headerValue(reset) {
			t.Skip("not something a header can carry")
		}
		h := http.Header{}
		h.Set("Fitbit-Rate-Limit-Limit", "150")
		h.Set("Fitbit-Rate-Limit-Remaining", "0")
		if reset != "" {
			h.Set("Fitbit-Rate-Limit-Reset", reset)
		}
		if retryAfter != "" {
			h.Set("Retry-After", retryAfter)
		}
		s.answer.Store(&answer{status: status, header: h, body: []byte(body)})
		_, err := s.client.Profile(context.Background())
		var ferr *Error
		if !errors.As(err, &ferr) {
			t.Fatalf("HTTP %d: %v, want an *Error", status, err)
		}
		if ferr.StatusCode != status {
			t.Fatalf("HTTP %d: StatusCode %d", status, ferr.StatusCode)
		}
		kinds := 0
		for _, kind := range []error{ErrUnauthorized, ErrForbidden, ErrRateLimited, ErrGone, ErrUnavailable, ErrBadRequest} {
			if errors.Is(err, kind) {
				kinds++
			}
		}
		if kinds != 1 {
			t.Fatalf("HTTP %d: %v is of %d kinds, want 1", status, err, kinds)
		}
		if status != http.StatusTooManyRequests && ferr.RetryAfter != 0 {
			t.Fatalf("HTTP %d: RetryAfter %v, want 0", status, ferr.RetryAfter)
		}
		if ferr.RetryAfter < 0 || ferr.RetryAfter > httpx.MaxRetryAfter {
			t.Fatalf("HTTP %d, Retry-After %q, Fitbit-Rate-Limit-Reset %q: RetryAfter %v, want 0..%v",
				status, retryAfter, reset, ferr.RetryAfter, httpx.MaxRetryAfter)
		}
		if !strings.HasPrefix(ferr.Error(), "fitbit: HTTP "+strconv.Itoa(status)) {
			t.Fatalf("HTTP %d: error %q does not name the status", status, ferr)
		}
		// Fitbit's messages can quote the token that failed; only the errorType may reach the error.
		var shape struct {
			Errors []struct {
				Message string `json:"message"`
			} `json:"errors"`
		}
		if json.Unmarshal([]byte(body), &shape) == nil {
			for _, e := range shape.Errors {
				if len(e.Message) > maxEcho && strings.Contains(err.Error(), e.Message) && !strings.Contains(ferr.Type, e.Message) {
					t.Fatalf("HTTP %d: error %q quotes the answer's message", status, err)
				}
			}
		}
	})
}

// headerValue tells whether s can travel as an HTTP/1.1 header value: no control bytes but tab.
func headerValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}
