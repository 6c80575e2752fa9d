package handlers

import (
	_ "embed"
	"net/http"
)

// openAPI describes the /api/v1 routes; api_openapi_test.go checks it against what the handlers answer.
//
//go:embed openapi.json
var openAPI []byte

// OpenAPI returns the API's OpenAPI 3.1 description.
func OpenAPI() []byte { return openAPI }

// apiDescription serves GET /api/v1/openapi.json, with no token: it holds no data.
func (h *Handler) apiDescription(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(openAPI)
}

// apiNotFound and apiMethodNotAllowed answer under /api/v1 in JSON, as every API answer is.
func apiNotFound(w http.ResponseWriter, r *http.Request) {
	apiError(w, http.StatusNotFound, "There is no such API route; see /api/v1/openapi.json.")
}

func apiMethodNotAllowed(w http.ResponseWriter, r *http.Request) {
	apiError(w, http.StatusMethodNotAllowed, "This API route does not accept that method; see /api/v1/openapi.json.")
}
