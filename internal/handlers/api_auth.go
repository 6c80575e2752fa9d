package handlers

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bodystats/bodystats/internal/auth"
	"github.com/bodystats/bodystats/internal/store"
)

// APITokenPrefix starts every API token, so a leaked one is recognisable (and secret scanners can find it).
const APITokenPrefix = "bst_"

// NewAPIToken returns a new random API token: the prefix and 32 random bytes, base64url.
func NewAPIToken() string { return APITokenPrefix + auth.NewToken() }

// apiTokenLen is the length of every token NewAPIToken makes; anything else is refused without a lookup.
var apiTokenLen = len(NewAPIToken())

// A token may make apiBurst requests at once, then one a second (apiRate): a phone pushing each weigh-in or a
// dashboard polling every few seconds never meets the limit; a script in a loop does.
const (
	apiBurst = 60
	apiRate  = 1.0 // requests per second
)

// queryTokenNames are query parameters clients put tokens in.
var queryTokenNames = []string{"token", "access_token", "api_key", "apikey", "key", "bearer", "auth"}

// apiLimiter is a token bucket per API token (by its hash), in memory: a restart forgives.
type apiLimiter struct {
	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// take spends one request of the token's bucket; when it is empty it says how long until the next one.
func (l *apiLimiter) take(key []byte, now time.Time) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buckets == nil {
		l.buckets = map[string]*bucket{}
	}
	b, ok := l.buckets[string(key)]
	if !ok {
		b = &bucket{tokens: apiBurst, at: now}
		l.buckets[string(key)] = b
	}
	b.tokens = math.Min(apiBurst, b.tokens+now.Sub(b.at).Seconds()*apiRate)
	b.at = now
	if b.tokens < 1 {
		return time.Duration((1 - b.tokens) / apiRate * float64(time.Second)), false
	}
	b.tokens--
	return 0, true
}

// apiToken authenticates an API request by its bearer token and applies the token's rate limit. On failure it
// has answered (400, 401 or 429) and returns false. The token is read from the database on each request, so
// the token command takes effect at once; it is never logged.
func (h *Handler) apiToken(w http.ResponseWriter, r *http.Request) (store.APIToken, bool) {
	if tokenInQuery(r) {
		apiError(w, http.StatusBadRequest, "Send the token in the Authorization header (Authorization: Bearer TOKEN), never in the address: addresses are written to logs and histories. If a real token was sent this way, revoke it and create a new one.")
		return store.APIToken{}, false
	}
	tok, ok := bearer(r)
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer realm="bodystats"`)
		apiError(w, http.StatusUnauthorized, "No API token: send Authorization: Bearer TOKEN. Create a token with `bodystats token create NAME` or under Settings, API tokens.")
		return store.APIToken{}, false
	}
	t, err := h.lookupToken(r, tok)
	if errors.Is(err, store.ErrNotFound) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="bodystats", error="invalid_token"`)
		apiError(w, http.StatusUnauthorized, "This API token is not known: it is mistyped or was revoked. Create a new one with `bodystats token create NAME` or under Settings, API tokens.")
		return store.APIToken{}, false
	}
	if err != nil {
		h.apiServerError(w, r, err)
		return store.APIToken{}, false
	}
	if wait, ok := h.api.take(t.Hash, time.Now()); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		apiError(w, http.StatusTooManyRequests, "Too many requests with this token; wait as long as Retry-After says, then try again.")
		return store.APIToken{}, false
	}
	if time.Since(t.LastUsedAt) >= touchEvery {
		if err := h.store.TouchAPIToken(r.Context(), t.Hash); err != nil {
			h.log.Warn("touch api token", "name", t.Name, "err", err)
		}
	}
	return t, true
}

// lookupToken finds the stored token for the text presented: ErrNotFound for a malformed, unknown or revoked one.
func (h *Handler) lookupToken(r *http.Request, tok string) (store.APIToken, error) {
	if len(tok) != apiTokenLen || !strings.HasPrefix(tok, APITokenPrefix) {
		return store.APIToken{}, store.ErrNotFound
	}
	hash := auth.TokenHash(tok)
	t, err := h.store.APITokenByHash(r.Context(), hash)
	if err != nil {
		return store.APIToken{}, err
	}
	// The lookup found the row by its hash; compare again in constant time so no code path compares secrets
	// with a plain ==.
	if subtle.ConstantTimeCompare(hash, t.Hash) != 1 {
		return store.APIToken{}, store.ErrNotFound
	}
	return t, nil
}

// bearer reads "Authorization: Bearer TOKEN".
func bearer(r *http.Request) (string, bool) {
	v := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(v, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}

// tokenInQuery reports a token put in the address: a parameter named like one, or any value that looks like one.
func tokenInQuery(r *http.Request) bool {
	if r.URL.RawQuery == "" {
		return false
	}
	q := r.URL.Query()
	for name, vs := range q {
		for _, n := range queryTokenNames {
			if strings.EqualFold(name, n) {
				return true
			}
		}
		for _, v := range vs {
			if strings.Contains(v, APITokenPrefix) {
				return true
			}
		}
	}
	return strings.Contains(r.URL.RawQuery, APITokenPrefix)
}

// writeJSON renders v first, so an encoding failure is a clean error, never half a document.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"bodystats could not encode the answer"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

type apiErrorBody struct {
	Error string `json:"error"`
}

// apiError answers {"error": msg} with a 4xx status.
func apiError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, apiErrorBody{Error: msg})
}

// apiServerError is the API's one path for the app's own failures: the log gets the detail, the client a sentence.
func (h *Handler) apiServerError(w http.ResponseWriter, r *http.Request, err error) {
	h.log.Error("internal error", "path", r.URL.Path, "err", err)
	apiError(w, http.StatusInternalServerError, "bodystats could not finish this request. Stored data is unchanged; please try again.")
}
