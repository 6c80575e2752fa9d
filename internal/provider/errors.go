package provider

import (
	"context"
	"errors"
	"time"
)

// Kinds of failure every provider's errors match with errors.Is, whatever its wire format says; the syncer's
// manners and the messages a person reads depend on these alone.
var (
	ErrUnauthorized = errors.New("provider: not authorised")            // the token is invalid, expired or revoked
	ErrForbidden    = errors.New("provider: access not granted")        // a permission was not granted
	ErrRateLimited  = errors.New("provider: rate limit reached")        // wait (see RetryAfter), then go on
	ErrGone         = errors.New("provider: API switched off")          // the API is retired for good
	ErrUnavailable  = errors.New("provider: server error")              // 5xx: retry with back-off
	ErrMalformed    = errors.New("provider: malformed answer")          // an answer that cannot be read: retry
	ErrUnreachable  = errors.New("provider: could not reach the API")   // network failure: retry
	ErrBadRequest   = errors.New("provider: request refused")           // the provider refused the request as asked
	ErrNotFound     = errors.New("provider: not found")                 // the resource asked for does not exist
	ErrReconnect    = errors.New("provider: the grant must be renewed") // the person must sign in again
)

// RetryAfter is how long a rate-limited error asks to wait (its RetryIn method); 0 when it does not say.
func RetryAfter(err error) time.Duration {
	var ra interface{ RetryIn() time.Duration }
	if errors.As(err, &ra) {
		return ra.RetryIn()
	}
	return 0
}

// Retryable reports whether sending the same request again may succeed.
func Retryable(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrReconnect) {
		return false
	}
	return errors.Is(err, ErrUnavailable) || errors.Is(err, ErrMalformed) || errors.Is(err, ErrUnreachable)
}

// Describer is implemented by providers with something more precise to say about their errors than Describe.
type Describer interface {
	// Describe returns a sentence for the person, or "" to fall back on Describe.
	Describe(err error) string
}

// Describe turns a sync error into a sentence naming the provider. Stored data is never affected by a failed
// sync, and every sentence says so where it matters.
func Describe(p Provider, err error) string {
	if d, ok := p.(Describer); ok {
		if s := d.Describe(err); s != "" {
			return s
		}
	}
	name := p.Info().Name
	switch {
	case errors.Is(err, ErrReconnect):
		return name + " no longer accepts this connection (it was revoked or has expired). Please reconnect; your stored weigh-ins are kept."
	case errors.Is(err, ErrUnauthorized):
		return name + " no longer accepts this connection. Please reconnect; your stored weigh-ins are kept."
	case errors.Is(err, ErrForbidden):
		return name + " did not grant access to weight data. Please reconnect and allow every permission bodystats asks for."
	case errors.Is(err, ErrRateLimited):
		return name + "'s request limit was reached. Your stored weigh-ins are safe; the sync goes on once the limit resets."
	case errors.Is(err, ErrGone):
		return name + "'s API has been switched off. Your stored weigh-ins are safe."
	case errors.Is(err, ErrUnavailable):
		return name + " had a server problem. Your stored weigh-ins are safe; try syncing again later."
	case errors.Is(err, ErrMalformed):
		return name + " sent an answer that could not be read. Your stored weigh-ins are safe; try syncing again later."
	case errors.Is(err, ErrUnreachable):
		return name + " could not be reached. Check the connection and try syncing again."
	case errors.Is(err, ErrBadRequest), errors.Is(err, ErrNotFound):
		return name + " refused a request bodystats sent. Your stored weigh-ins are safe; please report this if it persists."
	case errors.Is(err, context.Canceled):
		return "The sync was stopped before it finished; it resumes on the next sync."
	}
	return "The sync stopped because of an unexpected problem. Your stored weigh-ins are safe."
}

// Kind returns a provider package's own sentinel error: it reads as msg and matches kind with errors.Is, so
// "fitbit: rate limit reached" is also a provider.ErrRateLimited.
func Kind(msg string, kind error) error { return &kindError{msg, kind} }

type kindError struct {
	msg  string
	kind error
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }
