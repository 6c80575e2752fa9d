package emulator

import "net/http"

// SetGone switches the legacy Fitbit endpoints off, as Google did in November 2026: while gone, every
// Fitbit endpoint (/oauth/*, /oauth2/*, /1/*) answers 410 Gone, in Fitbit's error shape for API calls and
// as an HTML page for the consent pages. Google's endpoints keep working.
func (e *Emulator) SetGone(gone bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.gone = gone
}

func (e *Emulator) isGone() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.gone
}

func errGone() *apiError {
	return &apiError{status: http.StatusGone, errorType: "gone", message: "The legacy Fitbit Web API has been turned off."}
}

// fitbitJSON guards a Fitbit endpoint that answers JSON or form data.
func (e *Emulator) fitbitJSON(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if e.isGone() {
			writeError(w, errGone())
			return
		}
		h(w, r)
	}
}

// fitbitPage guards a Fitbit page a browser visits.
func (e *Emulator) fitbitPage(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if e.isGone() {
			renderPage(w, http.StatusGone, "error", errorPage{"Fitbit sign-in has been turned off",
				"The legacy Fitbit Web API and its sign-in pages were switched off. Connect through Google Health instead."})
			return
		}
		h(w, r)
	}
}
