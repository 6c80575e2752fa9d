package googlehealth

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
)

// answer is one canned response of a fake server.
type answer struct {
	status int
	header map[string]string
	body   string
}

// fakeAPI serves the given answers in order (the last one repeats) and records every request.
type fakeAPI struct {
	mu       sync.Mutex
	answers  []answer
	requests []*http.Request
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	n := len(f.requests)
	f.requests = append(f.requests, r.Clone(r.Context()))
	a := f.answers[min(n, len(f.answers)-1)]
	f.mu.Unlock()
	for k, v := range a.header {
		w.Header().Set(k, v)
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(a.status)
	w.Write([]byte(a.body))
}

// request returns the i-th request the server saw.
func (f *fakeAPI) request(t *testing.T, i int) *http.Request {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if i >= len(f.requests) {
		t.Fatalf("server saw %d requests, want at least %d", len(f.requests), i+1)
	}
	return f.requests[i]
}

func (f *fakeAPI) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

// serve starts a fake Google Health API answering with answers and returns a client for it.
func serve(t *testing.T, answers ...answer) (*Client, *fakeAPI) {
	t.Helper()
	f := &fakeAPI{answers: answers}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return NewClient(srv.Client(), srv.URL), f
}

// ok is a 200 answer with body.
func ok(body string) answer { return answer{status: http.StatusOK, body: body} }

// query decodes the query string of r.
func query(t *testing.T, r *http.Request) url.Values {
	t.Helper()
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		t.Fatalf("query %q does not parse: %v", r.URL.RawQuery, err)
	}
	return q
}
