package handlers

import (
	"net/http"
	"net/url"
	"strings"
)

// pasteProblem is the page for a pasted text that is not the address a consent page sent the browser to.
func pasteProblem(msg string) problem {
	return problem{Heading: "That address cannot finish the sign-in", Message: msg, Next: "/sources", NextLabel: "Back to sources", Paste: true}
}

// pasteCallback serves POST /callback: the address the browser landed on after the consent page, pasted by hand
// (form field url), for a provider whose redirect URI the app cannot be reached at. It is handled exactly like
// GET /callback with that address's query: the same browser's pending sign-in, single use; the cross-origin
// guard refuses a paste posted from another site.
func (h *Handler) pasteCallback(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	raw := strings.TrimSpace(r.PostFormValue("url"))
	u, err := url.Parse(raw)
	switch {
	case raw == "":
		h.fail(w, r, http.StatusBadRequest, pasteProblem("Paste the whole address from your browser's address bar, starting with https:// or http://."), nil)
		return
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		h.fail(w, r, http.StatusBadRequest, pasteProblem("That is not a web address. Copy the whole address from your browser's address bar after you allowed access, and paste it here."), nil)
		return
	case !h.redirectURI(u):
		h.fail(w, r, http.StatusBadRequest, pasteProblem("That address is not the one the provider sends you back to after you allow access (its host or path differ from the redirect address bodystats registered). Nothing was changed."), nil)
		return
	}
	h.finishSignIn(w, r, u.Query())
}

// redirectURI reports whether u is at one of the redirect URIs the sign-ins use: the app's own /callback, or an
// address a provider was registered with instead (e.g. an https page that forwards to the app).
func (h *Handler) redirectURI(u *url.URL) bool {
	uris := []string{h.baseURL + "/callback"}
	for _, p := range h.providers {
		if rp, ok := p.(interface{ RedirectURI() string }); ok && rp.RedirectURI() != "" {
			uris = append(uris, rp.RedirectURI())
		}
	}
	for _, s := range uris {
		want, err := url.Parse(s)
		if err == nil && strings.EqualFold(want.Scheme, u.Scheme) && strings.EqualFold(want.Host, u.Host) && want.Path == u.Path {
			return true
		}
	}
	return false
}
