package handlers

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

// Routes returns the app's router: the table of contents of what it serves (CONTRACT.md).
func (h *Handler) Routes() http.Handler {
	r := chi.NewRouter()
	r.Use(h.recoverer, h.logRequests, h.forwarded, securityHeaders, h.hsts, h.allowHosts, h.crossOrigin, limitBodies, h.requireSignIn)
	r.NotFound(h.notFound)
	r.MethodNotAllowed(h.methodNotAllowed)

	r.Get("/", h.home)
	r.Get("/login", h.login)
	r.Get("/callback", h.callback)
	r.Post("/callback", h.pasteCallback)
	r.Get("/profile/public", h.profilePublic)
	r.Get("/sources", h.sources)
	r.Get("/sources/{id}/remove", h.confirmRemove)
	r.Post("/sources/{id}/remove", h.removeSource)
	r.Post("/sources/{id}/disconnect", h.disconnectSource)
	r.Post("/sources/{id}/claim", h.claimSource)
	r.Get("/weight", h.measurePage(weightMeasure))
	r.Get("/bmi", h.measurePage(bmiMeasure))
	r.Get("/fat", h.measurePage(fatMeasure))
	r.Get("/settings", h.settings)
	r.Post("/settings", h.saveSettings)
	r.Post("/settings/figure", h.saveFigure)
	r.Post("/weighins", h.addWeighin)
	r.Post("/weighins/hide", h.hideWeighin)
	r.Get("/setup", h.setup)
	r.Get("/import", h.importForm)
	r.Post("/import", h.importUpload)
	r.Get("/export.csv", h.exportCSV)
	r.Post("/sync", h.startSync)
	r.Get("/sync/status", h.syncStatus)
	r.Post("/logout", h.logout)
	r.Get("/healthz", h.healthz)
	r.Get("/signin", h.signinForm)
	r.Post("/signin", h.signin)
	r.Post("/signout", h.signout)
	r.Post("/signout/everywhere", h.signoutEverywhere)
	r.Get("/setup-password", h.setupPasswordForm)
	r.Post("/setup-password", h.setupPassword)
	r.Get("/settings/security", h.securitySettings)
	r.Post("/settings/password", h.changePassword)
	r.Get("/manifest.webmanifest", h.manifest)
	r.Handle("/static/*", http.StripPrefix("/static/", http.FileServerFS(h.static)))
	if h.consent != nil {
		// The emulator's consent pages for each protocol; its token endpoints and API stay on its own port.
		consent := demoConsentHeaders(http.StripPrefix(DemoConsentPrefix, h.consent))
		for _, path := range h.consentPaths {
			r.Handle(DemoConsentPrefix+path, consent)
		}
	}
	return r
}
