package handlers

import (
	"encoding/json"
	"net/http"
)

// themeColor is the manifest's and the pages' theme-color: the brand green of the favicon.
const themeColor = "#1f7a6d"

type manifestIcon struct {
	Src     string `json:"src"`
	Sizes   string `json:"sizes"`
	Type    string `json:"type"`
	Purpose string `json:"purpose,omitempty"`
}

// webManifest lets a phone add bodystats to its home screen as an app of its own.
var webManifest, _ = json.MarshalIndent(struct {
	Name            string         `json:"name"`
	ShortName       string         `json:"short_name"`
	Description     string         `json:"description"`
	StartURL        string         `json:"start_url"`
	Scope           string         `json:"scope"`
	Display         string         `json:"display"`
	BackgroundColor string         `json:"background_color"`
	ThemeColor      string         `json:"theme_color"`
	Icons           []manifestIcon `json:"icons"`
}{
	Name: "bodystats", ShortName: "bodystats", Description: "Your weight, BMI and body fat history in one place.",
	StartURL: "/", Scope: "/", Display: "standalone", BackgroundColor: "#ffffff", ThemeColor: themeColor,
	Icons: []manifestIcon{
		{Src: "/static/icons/icon-192.png", Sizes: "192x192", Type: "image/png", Purpose: "any"},
		{Src: "/static/icons/icon-512.png", Sizes: "512x512", Type: "image/png", Purpose: "any"},
		{Src: "/static/icons/maskable-512.png", Sizes: "512x512", Type: "image/png", Purpose: "maskable"},
	},
}, "", "  ")

// manifest serves GET /manifest.webmanifest without a sign-in: browsers fetch it without cookies, and it holds
// no health data.
func (h *Handler) manifest(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/manifest+json")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(webManifest)
}
