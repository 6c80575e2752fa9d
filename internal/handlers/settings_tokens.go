package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/bodystats/bodystats/internal/auth"
	"github.com/bodystats/bodystats/internal/store"
)

type tokensData struct {
	Tokens  []tokenRow
	New     string // the token just created, shown this once
	NewName string
	Revoked string // the name of the token just revoked
	Problem string
	BaseURL string
}

type tokenRow struct{ Name, Created, LastUsed string }

// MaxTokenNameLen bounds a token's name (it names a source on the Sources page too).
const MaxTokenNameLen = 64

// CheckTokenName says what is wrong with a token's name, or nil: 1 to 64 printable characters.
func CheckTokenName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return errors.New("give the token a name, such as phone or home-assistant")
	case len([]rune(name)) > MaxTokenNameLen:
		return errors.New("a token's name has at most 64 characters")
	case strings.IndexFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0:
		return errors.New("a token's name holds only printable characters")
	}
	return nil
}

// tokenSettings serves GET /settings/tokens: the API tokens by name, when made and last used, with Revoke.
func (h *Handler) tokenSettings(w http.ResponseWriter, r *http.Request) {
	h.renderTokens(w, r, http.StatusOK, tokensData{Revoked: r.URL.Query().Get("revoked")})
}

func (h *Handler) renderTokens(w http.ResponseWriter, r *http.Request, status int, data tokensData) {
	list, err := h.store.APITokens(r.Context())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	for _, t := range list {
		row := tokenRow{Name: t.Name, Created: t.CreatedAt.UTC().Format(time.DateTime) + " UTC", LastUsed: "never"}
		if !t.LastUsedAt.IsZero() {
			row.LastUsed = t.LastUsedAt.UTC().Format(time.DateTime) + " UTC"
		}
		data.Tokens = append(data.Tokens, row)
	}
	data.BaseURL = h.baseURL
	h.render(w, r, status, "tokens.html", h.newPage("API tokens", "settings", nil, data))
}

// createToken serves POST /settings/tokens (field name): a new token, shown in this answer only; the page is
// not stored by the browser (no-store), and the database keeps only its hash.
func (h *Handler) createToken(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSpace(r.PostFormValue("name"))
	if err := CheckTokenName(name); err != nil {
		h.renderTokens(w, r, http.StatusBadRequest, tokensData{Problem: sentence(err.Error())})
		return
	}
	tok := NewAPIToken()
	_, err := h.store.CreateAPIToken(r.Context(), name, auth.TokenHash(tok))
	if errors.Is(err, store.ErrExists) {
		h.renderTokens(w, r, http.StatusConflict, tokensData{Problem: "A token named " + name + " exists. Pick another name, or revoke that one first."})
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.renderTokens(w, r, http.StatusOK, tokensData{New: tok, NewName: name})
}

// revokeToken serves POST /settings/tokens/revoke (field name): the token stops working at once; its source and
// weigh-ins stay until removed on the Sources page.
func (h *Handler) revokeToken(w http.ResponseWriter, r *http.Request) {
	name := r.PostFormValue("name")
	err := h.store.RevokeAPIToken(r.Context(), name)
	if errors.Is(err, store.ErrNotFound) {
		h.renderTokens(w, r, http.StatusNotFound, tokensData{Problem: "There is no token named " + name + "."})
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings/tokens?revoked="+url.QueryEscape(name), http.StatusSeeOther)
}

func sentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:] + "."
}
