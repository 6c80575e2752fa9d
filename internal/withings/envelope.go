package withings

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bodystats/bodystats/internal/httpx"
)

// maxAnswer bounds what one answer may hold; a page of measure groups is a few hundred kilobytes.
const maxAnswer = 32 << 20

// envelope is every Withings answer: {"status": N, "body": {...}, "error": "..."}, usually HTTP 200 even for
// errors, so success is status 0 and nothing else.
type envelope struct {
	Status flexInt         `json:"status"`
	Body   json.RawMessage `json:"body"`
	Error  string          `json:"error"`
}

// readEnvelope reads an HTTP answer and returns the body of a status-0 envelope. A nonzero status is a
// *StatusError; an answer that is not an envelope is judged by its HTTP status, else ErrMalformed. The error
// text of the answer is kept in detail for the caller to classify, never put in an error.
func readEnvelope(resp *http.Response) (body json.RawMessage, detail string, err error) {
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return nil, "", fmt.Errorf("%w: %w", ErrUnreachable, httpx.RedactURLError(err))
	}
	if len(raw) > maxAnswer {
		return nil, "", fmt.Errorf("%w: answer larger than %d bytes", ErrMalformed, maxAnswer)
	}
	return decodeEnvelope(resp.StatusCode, resp.Header, raw)
}

func decodeEnvelope(httpStatus int, h http.Header, raw []byte) (json.RawMessage, string, error) {
	var env envelope
	dec := json.NewDecoder(bytes.NewReader(raw))
	if jerr := dec.Decode(&env); jerr != nil || !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
		switch {
		case httpStatus == http.StatusTooManyRequests:
			return nil, "", &StatusError{Status: httpStatus, Wait: orDefault(httpx.RetryAfter(h.Get("Retry-After"), time.Now())), kind: ErrRateLimited}
		case httpStatus == http.StatusUnauthorized:
			return nil, "", &StatusError{Status: httpStatus, kind: ErrUnauthorized}
		case httpStatus >= 500 || httpStatus == 0:
			return nil, "", &StatusError{Status: httpStatus, kind: ErrUnavailable}
		case httpStatus != http.StatusOK:
			return nil, "", &StatusError{Status: httpStatus, kind: ErrInvalidParams}
		}
		return nil, "", fmt.Errorf("%w: the answer is not a JSON envelope", ErrMalformed)
	}
	if !env.Status.ok {
		if httpStatus >= 500 {
			return nil, "", &StatusError{Status: httpStatus, kind: ErrUnavailable}
		}
		return nil, "", fmt.Errorf("%w: the envelope has no status", ErrMalformed)
	}
	status := int(env.Status.n)
	if status != 0 {
		se := &StatusError{Status: status, kind: statusKind(status)}
		if status == 601 {
			var b struct {
				Wait flexInt `json:"wait_seconds"`
			}
			_ = json.Unmarshal(env.Body, &b)
			se.Wait = defaultWait
			if b.Wait.ok && b.Wait.n > 0 {
				se.Wait = min(time.Duration(b.Wait.n)*time.Second, maxWait)
			}
		}
		return nil, env.Error, se
	}
	if len(env.Body) == 0 || env.Body[0] != '{' {
		return nil, "", fmt.Errorf("%w: status 0 without a body", ErrMalformed)
	}
	return env.Body, "", nil
}

func orDefault(d time.Duration) time.Duration {
	if d <= 0 {
		return defaultWait
	}
	return min(d, maxWait)
}

// flexInt is an integer Withings may send as a number, a numeric string or a boolean (more: true): field types
// vary between answers and clients' fixtures. Anything else decodes as absent, so one odd value costs its
// measure, not the whole answer.
type flexInt struct {
	n  int64
	ok bool // present, not null, and an integer
}

func (f *flexInt) UnmarshalJSON(b []byte) error {
	n, ok, _ := parseFlex(b)
	*f = flexInt{n: n, ok: ok}
	return nil
}

// parseFlex reads an integer; ok is false for null, and err set for anything that is not an integer.
func parseFlex(b []byte) (n int64, ok bool, err error) {
	s := strings.TrimSpace(string(b))
	switch s {
	case "null":
		return 0, false, nil
	case "true":
		return 1, true, nil
	case "false":
		return 0, true, nil
	}
	if len(s) >= 2 && s[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return 0, false, err
		}
		s = strings.TrimSpace(s)
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v != math.Trunc(v) || math.Abs(v) > 1<<53 {
		return 0, false, fmt.Errorf("withings: not an integer")
	}
	return int64(v), true, nil
}

// flexID is an id Withings sends as a number or a string (userid): kept as its decimal text.
type flexID string

func (f *flexID) UnmarshalJSON(b []byte) error {
	n, ok, err := parseFlex(b)
	if err != nil {
		return fmt.Errorf("withings: the id is neither a number nor a numeric string")
	}
	*f = ""
	if ok {
		*f = flexID(strconv.FormatInt(n, 10))
	}
	return nil
}
