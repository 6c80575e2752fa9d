package emulator

import (
	"embed"
	"html/template"
	"net/http"
)

//go:embed ihealth_consent.html
var ihealthPageFiles embed.FS

// ihealthPages is the iHealth consent page over the shared style; parsed at start-up.
var ihealthPages = template.Must(template.Must(pages.Clone()).ParseFS(ihealthPageFiles, "ihealth_consent.html"))

func renderIHealthPage(w http.ResponseWriter, status int, name string, data any) {
	renderFrom(ihealthPages, w, status, name, data)
}
