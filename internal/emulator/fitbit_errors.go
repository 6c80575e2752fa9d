package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
)

const jsonContentType = "application/json;charset=UTF-8"

// apiError is one refusal in Fitbit's {"errors":[...],"success":false} shape. Messages never quote a token,
// secret or verifier: real Fitbit echoed tokens back, which is exactly what the app must not learn to log.
type apiError struct {
	status     int
	errorType  string
	fieldName  string
	message    string
	retryAfter int    // seconds; sent as Retry-After when positive
	challenge  string // WWW-Authenticate of a 401; default OAuth 1.0a's
}

func (e *apiError) Error() string { return e.errorType + ": " + e.message }

type errorBody struct {
	Errors  []errorItem `json:"errors"`
	Success bool        `json:"success"`
}

type errorItem struct {
	ErrorType string `json:"errorType"`
	FieldName string `json:"fieldName,omitempty"`
	Message   string `json:"message"`
}

func writeError(w http.ResponseWriter, e *apiError) {
	if e.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.retryAfter))
	}
	if e.status == http.StatusUnauthorized {
		challenge := e.challenge
		if challenge == "" {
			challenge = `OAuth realm="fitbit"`
		}
		w.Header().Set("WWW-Authenticate", challenge)
	}
	writeJSON(w, e.status, errorBody{
		Errors:  []errorItem{{ErrorType: e.errorType, FieldName: e.fieldName, Message: e.message}},
		Success: false,
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := marshalJSON(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"errors":[{"errorType":"system","message":"encoding failed"}],"success":false}`)
	}
	writeRaw(w, status, body)
}

func writeRaw(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", jsonContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// marshalJSON encodes without HTML escaping, as Fitbit's JSON carries plain "<" and "&".
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

func errNotFound() *apiError {
	return &apiError{status: http.StatusNotFound, errorType: "not_found", fieldName: "n/a",
		message: "The API you are requesting could not be found."}
}

// refuseMethod answers a request whose method the resource does not serve.
func refuseMethod(w http.ResponseWriter, allowed string) {
	w.Header().Set("Allow", allowed)
	writeError(w, &apiError{status: http.StatusMethodNotAllowed, errorType: "request", fieldName: "n/a",
		message: "This resource only answers " + allowed + "."})
}

func errValidation(field, message string) *apiError {
	return &apiError{status: http.StatusBadRequest, errorType: "validation", fieldName: field, message: message}
}

// errOAuth is a refusal by the OAuth 1.0a verifier; status is 400 for malformed requests, 401 for failed checks.
func errOAuth(status int, field, message string) *apiError {
	return &apiError{status: status, errorType: "oauth", fieldName: field, message: message}
}
