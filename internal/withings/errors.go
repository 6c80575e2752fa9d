package withings

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/bodystats/bodystats/internal/provider"
)

// Kinds of failure, each also a provider kind.
var (
	ErrUnauthorized  = provider.Kind("withings: the access token was refused", provider.ErrUnauthorized)
	ErrForbidden     = provider.Kind("withings: the application may not read this", provider.ErrForbidden)
	ErrRateLimited   = provider.Kind("withings: too many requests", provider.ErrRateLimited)
	ErrUnknownAction = provider.Kind("withings: unknown service or action", provider.ErrBadRequest)
	ErrInvalidParams = provider.Kind("withings: invalid parameters", provider.ErrBadRequest)
	ErrUnavailable   = provider.Kind("withings: server error", provider.ErrUnavailable)
	ErrMalformed     = provider.Kind("withings: malformed answer", provider.ErrMalformed)
	ErrUnreachable   = provider.Kind("withings: could not reach the API", provider.ErrUnreachable)
	// ErrClient: the token service refused the client id or secret, which reconnecting cannot fix.
	ErrClient = provider.Kind("withings: client id or secret refused", provider.ErrBadRequest)
	// ErrCodeRefused: the sign-in code had expired (codes live 30 seconds) or was used already (status 503).
	ErrCodeRefused = errors.New("withings: the sign-in code expired or was used already")
	// ErrCodeRepeated: the same code exchange was sent twice within 10 seconds (status 601).
	ErrCodeRepeated = errors.New("withings: the same sign-in was sent twice within 10 seconds")
)

// defaultWait is how long a 601 without wait_seconds is waited out: the budget is counted per minute.
const defaultWait = time.Minute

// maxWait caps what an answer may ask to wait.
const maxWait = 24 * time.Hour

// StatusError is an answer whose envelope carried a nonzero status. It matches its kind with errors.Is and,
// for 601, says how long to wait (RetryIn). It never quotes the answer's error text.
type StatusError struct {
	Status int
	Wait   time.Duration // 601 only
	kind   error
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s (status %d)", e.kind.Error(), e.Status)
}

func (e *StatusError) Unwrap() error { return e.kind }

// RetryIn is how long Withings asked to wait (601), or 0.
func (e *StatusError) RetryIn() time.Duration { return e.Wait }

// statusKind maps the documented status families to a kind: 100–102, 200 and 401 authentication failed;
// 214, 277, 2553 and 2555 not allowed; 2554 unknown action; 601 too many requests; 522 (timeout) and 524 (bad
// state) worth retrying; 201–213 and the other 2xx, 3xx and 5xx invalid parameters; the rest "an error occurred",
// retried as a server problem.
func statusKind(status int) error {
	switch {
	case status >= 100 && status <= 102, status == 200, status == 401:
		return ErrUnauthorized
	case status == 214, status == 277, status == 2553, status == 2555:
		return ErrForbidden
	case status == 2554:
		return ErrUnknownAction
	case status == 601:
		return ErrRateLimited
	case status == 522, status == 524:
		return ErrUnavailable
	case status >= 201 && status < 400, status >= 500 && status < 600:
		return ErrInvalidParams
	}
	return ErrUnavailable
}

// Describe says what went wrong in Withings' terms, naming the status (provider.Describer).
func (p *Provider) Describe(err error) string {
	var se *StatusError
	status := ""
	if errors.As(err, &se) {
		status = " (status " + strconv.Itoa(se.Status) + ")"
	}
	switch {
	case errors.Is(err, ErrCodeRefused):
		return "Withings refused the sign-in code: its codes work once and only for 30 seconds, so this one had expired or was used already. Nothing was changed; please connect again (when pasting the address, paste it at once)."
	case errors.Is(err, ErrCodeRepeated):
		return "Withings saw the same sign-in twice within 10 seconds and refused the second. Nothing was changed; please connect again in a moment."
	case errors.Is(err, provider.ErrReconnect):
		return "Withings no longer accepts this connection: it refused the refresh token" + status + ", which happens when access was revoked or a newer token was lost. Please reconnect Withings; your stored weigh-ins are kept."
	case errors.Is(err, ErrClient):
		return "Withings refused bodystats' client id or secret. Check WITHINGS_CLIENT_ID and WITHINGS_CLIENT_SECRET against your app in the Withings developer dashboard; your stored weigh-ins are safe."
	case errors.Is(err, ErrUnauthorized):
		return "Withings refused the access token" + status + ". Please reconnect Withings; your stored weigh-ins are kept."
	case errors.Is(err, ErrRateLimited):
		return "Withings asked bodystats to slow down" + status + ": an application may send 120 requests a minute. The sync waits and then goes on by itself; your stored weigh-ins are safe."
	case errors.Is(err, ErrForbidden):
		return "Withings says this application may not read these measures" + status + ". Please reconnect Withings and allow access to your body measures."
	case errors.Is(err, ErrUnknownAction):
		return "Withings did not recognise a request bodystats sent" + status + ": unknown action. Your stored weigh-ins are safe; please report this."
	case errors.Is(err, ErrInvalidParams):
		return "Withings refused a request bodystats sent" + status + ". Your stored weigh-ins are safe; please report this if it persists."
	case errors.Is(err, ErrMalformed):
		return "Withings sent an answer that could not be read. Your stored weigh-ins are safe; the sync is tried again later."
	case errors.Is(err, ErrUnavailable):
		return "Withings had a server problem" + status + ". Your stored weigh-ins are safe; the sync is tried again later."
	}
	return ""
}
