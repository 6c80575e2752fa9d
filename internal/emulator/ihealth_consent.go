package emulator

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
)

//go:embed ihealth_consent.html
var ihealthPageFiles embed.FS

// ihealthPages is the iHealth consent page over the shared style; parsed at start-up.
var ihealthPages = template.Must(template.Must(pages.Clone()).ParseFS(ihealthPageFiles, "ihealth_consent.html"))

func renderIHealthPage(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := ihealthPages.ExecuteTemplate(&buf, name, data); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
