package handlers

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"

	"github.com/bodystats/bodystats/internal/store"
	"github.com/bodystats/bodystats/internal/syncer"
)

// pages are the templates rendered inside layout.html; partials are parsed with each of them.
var (
	pages = []string{"landing.html", "dashboard.html", "measure.html", "error.html", "setup.html", "settings.html", "import.html",
		"sources.html", "remove.html", "signin.html", "setup_password.html", "security.html",
		"profile_public.html"}
	partials = []string{"layout.html", "chart.html", "likeness.html", "paste.html"}
)

var funcs = template.FuncMap{
	"percent": func(f float64) int { return int(f*100 + 0.5) },
}

func parseTemplates(fsys fs.FS) (map[string]*template.Template, error) {
	out := make(map[string]*template.Template, len(pages))
	for _, page := range pages {
		files := append(append([]string{}, partials...), page)
		t, err := template.New(page).Funcs(funcs).ParseFS(fsys, files...)
		if err != nil {
			return nil, fmt.Errorf("handlers: parse template %s: %w", page, err)
		}
		if t.Lookup("layout") == nil || t.Lookup("content") == nil {
			return nil, fmt.Errorf("handlers: template %s: needs a layout and a content block", page)
		}
		out[page] = t
	}
	return out, nil
}

// page is what layout.html reads; Data is the page's own typed data.
type page struct {
	Title   string
	Active  string         // the nav entry to mark
	Account *store.Account // the account this browser shows, nil when none is connected
	Syncs   []syncView     // every connected account's sync (a bar each), and its Reconnect banner when needed
	Nav     bool           // an app page (not the landing or an error page): show the navigation even without a connection
	Demo    bool
	Refresh int // seconds; >0 reloads the page while a sync runs, so it fills in without JavaScript
	Data    any

	SignedIn bool // a password is set and this browser is signed in: show Sign out (set by renderBytes)
}

func (h *Handler) newPage(title, active string, acct *store.Account, data any) page {
	var syncs []syncView
	if acct != nil {
		name := acct.Provider
		if p, ok := h.provider(acct.Provider); ok {
			name = p.Info().Name
		}
		syncs = []syncView{{Account: *acct, Name: name, Status: h.sync.Status(acct.ID)}}
	}
	return h.pageWith(title, active, acct, syncs, data)
}

// pageWith builds a page with sync statuses read before the data it shows: a sync that ends while the page is
// built then leaves a page that still reloads itself, never a stale one that claims to be up to date.
func (h *Handler) pageWith(title, active string, acct *store.Account, syncs []syncView, data any) page {
	p := page{Title: title, Active: active, Account: acct, Syncs: syncs, Nav: active != "", Demo: h.demo, Data: data}
	for _, s := range syncs {
		if s.Status.State == syncer.StateRunning || s.Status.State == syncer.StateWaiting {
			p.Refresh = 3
		}
	}
	return p
}

// render executes a page into a buffer first, so a template error becomes a clean error page, never half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	b := h.renderBytes(w, r, name, p)
	if b == nil {
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(b)
}

// renderBytes executes a page; on a template error it writes the error page and returns nil.
func (h *Handler) renderBytes(w http.ResponseWriter, r *http.Request, name string, p page) []byte {
	var buf bytes.Buffer
	p.SignedIn = signInOf(r.Context()) != nil
	if err := h.templates[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		h.serverError(w, r, fmt.Errorf("render %s: %w", name, err))
		return nil
	}
	return buf.Bytes()
}

// problem is the error page's data: a heading, a sentence for the person and where to go next.
type problem struct {
	Heading   string
	Message   string
	Next      string
	NextLabel string
	Paste     bool // offer the box for pasting the address a consent page left the browser on
}

// fail shows the person a sentence with a 4xx status; err, if any, goes to the log only.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, status int, pr problem, err error) {
	if err != nil {
		h.log.Warn("request refused", "path", r.URL.Path, "status", status, "err", err)
	}
	if pr.Next == "" {
		pr.Next, pr.NextLabel = "/", "Back to bodystats"
	}
	h.render(w, r, status, "error.html", h.newPage(pr.Heading, "", nil, pr))
}

// serverError is the one path for failures that are the app's own: the log gets the detail, the person a sentence.
func (h *Handler) serverError(w http.ResponseWriter, r *http.Request, err error) {
	if err != nil {
		h.log.Error("internal error", "path", r.URL.Path, "err", err)
	}
	pr := problem{
		Heading:   "Something went wrong",
		Message:   "bodystats could not finish this request. Your stored data is unchanged; please try again.",
		Next:      "/",
		NextLabel: "Back to bodystats",
	}
	var buf bytes.Buffer
	if t := h.templates["error.html"]; t == nil || t.ExecuteTemplate(&buf, "layout", h.newPage(pr.Heading, "", nil, pr)) != nil {
		http.Error(w, pr.Message, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	w.Write(buf.Bytes())
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.fail(w, r, http.StatusNotFound, problem{Heading: "Page not found", Message: "There is no page at this address."}, nil)
}

func (h *Handler) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	h.fail(w, r, http.StatusMethodNotAllowed, problem{Heading: "Not allowed", Message: "This address does not accept that kind of request."}, nil)
}
