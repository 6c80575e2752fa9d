package emulator

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// tokenError is a token endpoint refusal in RFC 6749 §5.2 terms; each provider writes it in its own shape.
type tokenError struct {
	status  int
	code    string // invalid_request, invalid_client, invalid_grant, unsupported_grant_type
	message string // never quotes a code, token, verifier or secret
}

func errRequest(msg string) *tokenError {
	return &tokenError{http.StatusBadRequest, "invalid_request", msg}
}
func errGrant(msg string) *tokenError {
	return &tokenError{http.StatusBadRequest, "invalid_grant", msg}
}
func errClient(msg string) *tokenError {
	return &tokenError{http.StatusUnauthorized, "invalid_client", msg}
}

type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	ExpiresIn    int    `json:"expires_in"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Scope        string `json:"scope"`
	TokenType    string `json:"token_type"`
	UserID       string `json:"user_id,omitempty"` // Fitbit only
}

// handleFitbitToken is POST /oauth2/token: Fitbit's code exchange and refresh, Basic client authentication,
// rotating single-use refresh tokens, errors in Fitbit's {"errors":[...]} shape.
func (e *Emulator) handleFitbitToken(w http.ResponseWriter, r *http.Request) {
	e.token(w, r, fitbitOAuth2)
}

// handleGoogleToken is POST /token: Google's code exchange and refresh, Basic or form client authentication,
// refresh tokens that are not rotated, errors in RFC 6749's {"error":...} shape.
func (e *Emulator) handleGoogleToken(w http.ResponseWriter, r *http.Request) {
	e.token(w, r, googleOAuth2)
}

func (e *Emulator) token(w http.ResponseWriter, r *http.Request, p provider) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	resp, terr := e.grant(w, r, p)
	e.mu.Lock()
	switch {
	case terr != nil && terr.code == "invalid_grant":
		e.oauth2.invalidGrants++
	case terr == nil && r.PostForm.Get("grant_type") == "refresh_token":
		e.oauth2.refreshes++
	case terr == nil:
		e.oauth2.codeExchanges++
	}
	e.mu.Unlock()
	if terr != nil {
		writeTokenError(w, p, terr)
		return
	}
	if p == googleOAuth2 {
		writeGoogleJSON(w, http.StatusOK, resp)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

func (e *Emulator) grant(w http.ResponseWriter, r *http.Request, p provider) (tokenResponse, *tokenError) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		return tokenResponse{}, &tokenError{http.StatusMethodNotAllowed, "invalid_request", "The token endpoint only answers POST."}
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		return tokenResponse{}, errRequest("The body must be application/x-www-form-urlencoded.")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		return tokenResponse{}, errRequest("The form could not be read.")
	}
	for k, v := range r.PostForm {
		if len(v) > 1 {
			return tokenResponse{}, errRequest("The parameter " + k + " appears more than once.")
		}
	}
	clientID, terr := e.authenticateClient(r, p)
	if terr != nil {
		return tokenResponse{}, terr
	}
	switch gt := r.PostForm.Get("grant_type"); gt {
	case "authorization_code":
		return e.exchangeCode(r.PostForm, clientID, p)
	case "refresh_token":
		return e.refresh(r.PostForm, clientID, p)
	case "":
		return tokenResponse{}, errRequest("Missing parameters: grant_type.")
	default:
		return tokenResponse{}, &tokenError{http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant_type; use authorization_code or refresh_token."}
	}
}

// authenticateClient checks HTTP Basic (both parts URL-query-escaped, as golang.org/x/oauth2 sends them) or,
// at Google only, client_id and client_secret in the form. Using both is refused, as RFC 6749 §2.3 asks.
func (e *Emulator) authenticateClient(r *http.Request, p provider) (string, *tokenError) {
	form := r.PostForm
	_, formSecret := form["client_secret"]
	var id, secret string
	switch user, pass, basic := r.BasicAuth(); {
	case basic && formSecret:
		return "", errRequest("Use one client authentication method, not two.")
	case basic:
		var err1, err2 error
		id, err1 = url.QueryUnescape(user)
		secret, err2 = url.QueryUnescape(pass)
		if err1 != nil || err2 != nil {
			return "", errClient("Invalid authorization header format.")
		}
		if cid := form.Get("client_id"); cid != "" && cid != id {
			return "", errClient("The client_id does not match the authorization header.")
		}
	case r.Header.Get("Authorization") != "":
		return "", errClient("Invalid authorization header format.")
	case p == googleOAuth2 && formSecret:
		id, secret = form.Get("client_id"), form.Get("client_secret")
	default:
		return "", errClient("Client authentication required: send an HTTP Basic authorization header.")
	}
	e.mu.Lock()
	c, ok := e.oauth2.clients[id]
	e.mu.Unlock()
	if !ok || subtle.ConstantTimeCompare([]byte(c.secret), []byte(secret)) != 1 {
		return "", errClient("Invalid client credentials.")
	}
	return id, nil
}

// exchangeCode is grant_type=authorization_code. Parameters are checked before the code is looked up; once
// a code is presented by its own client it is spent, whatever follows, so a verifier cannot be guessed by
// retrying. Another client presenting it spends nothing: that proves no knowledge of the verifier.
func (e *Emulator) exchangeCode(form url.Values, clientID string, p provider) (tokenResponse, *tokenError) {
	code, redirectURI, verifier := form.Get("code"), form.Get("redirect_uri"), form.Get("code_verifier")
	for _, k := range []string{"code", "redirect_uri", "code_verifier"} {
		if form.Get(k) == "" {
			return tokenResponse{}, errRequest("Missing parameters: " + k + ".")
		}
	}
	if !validPKCE(verifier) {
		return tokenResponse{}, errRequest("The code_verifier must be 43 to 128 characters of A-Z, a-z, 0-9, '-', '.', '_' and '~'.")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	c, ok := e.oauth2.codes[code]
	if !ok || c.provider != p || c.clientID != clientID {
		return tokenResponse{}, errGrant("Authorization code invalid, used or expired.")
	}
	delete(e.oauth2.codes, code)
	sum := sha256.Sum256([]byte(verifier))
	switch {
	case !e.now().Before(c.expires):
		return tokenResponse{}, errGrant("Authorization code invalid, used or expired.")
	case redirectURI != c.redirectURI:
		return tokenResponse{}, errGrant("The redirect_uri does not match the one of the authorization request.")
	case subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(c.challenge)) != 1:
		return tokenResponse{}, errGrant("The code_verifier does not match the code_challenge.")
	}
	access, refresh, expires := e.issueLocked(p, clientID, c.scopes, p == fitbitOAuth2 || c.offline)
	return e.tokenResponseLocked(p, access, refresh, expires, c.scopes), nil
}

// refresh is grant_type=refresh_token. Fitbit spends the token and issues a new pair; Google keeps it.
func (e *Emulator) refresh(form url.Values, clientID string, p provider) (tokenResponse, *tokenError) {
	rt := form.Get("refresh_token")
	if rt == "" {
		return tokenResponse{}, errRequest("Missing parameters: refresh_token.")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	t, ok := e.oauth2.refresh[rt]
	if !ok || t.provider != p || t.clientID != clientID {
		if p == googleOAuth2 {
			return tokenResponse{}, errGrant("Token has been expired or revoked.")
		}
		return tokenResponse{}, errGrant("Refresh token invalid. Visit https://dev.fitbit.com/docs/oauth2 for more information.")
	}
	if p == fitbitOAuth2 {
		delete(e.oauth2.refresh, rt)
	}
	access, refresh, expires := e.issueLocked(p, clientID, t.scopes, p == fitbitOAuth2)
	return e.tokenResponseLocked(p, access, refresh, expires, t.scopes), nil
}

func (e *Emulator) tokenResponseLocked(p provider, access, refresh string, expires time.Time, scopes []string) tokenResponse {
	secs := int(expires.Sub(e.now()) / time.Second)
	resp := tokenResponse{AccessToken: access, ExpiresIn: secs, RefreshToken: refresh, TokenType: "Bearer"}
	if p == googleOAuth2 {
		resp.ExpiresIn = max(secs-1, 1) // Google reports 3599 for an hour
		resp.Scope = strings.Join(scopes, " ")
		return resp
	}
	sorted := slices.Sorted(slices.Values(scopes))
	resp.Scope, resp.UserID = strings.Join(sorted, " "), e.user.EncodedID
	return resp
}

func writeTokenError(w http.ResponseWriter, p provider, t *tokenError) {
	if p == googleOAuth2 {
		writeGoogleJSON(w, t.status, map[string]string{"error": t.code, "error_description": t.message})
		return
	}
	writeError(w, &apiError{status: t.status, errorType: t.code, message: t.message, challenge: `Basic realm="api.fitbit.com"`})
}
