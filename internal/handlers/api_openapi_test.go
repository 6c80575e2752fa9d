package handlers_test

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/bodystats/bodystats/internal/handlers"
)

// spec is the part of OpenAPI 3.1 that openapi.json uses.
type spec struct {
	OpenAPI    string                                `json:"openapi"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas   map[string]any `json:"schemas"`
		Responses map[string]any `json:"responses"`
	} `json:"components"`
}

// validate checks v (decoded JSON) against schema, for the keywords openapi.json uses: $ref, oneOf, type (one or
// a list, "null" included), enum, required, properties, items, maxItems, minimum, maximum, exclusiveMinimum,
// exclusiveMaximum and format date-time/date. An unknown keyword fails, so the checker never silently passes.
func (s *spec) validate(schema any, v any, at string) error {
	m, ok := schema.(map[string]any)
	if !ok {
		return fmt.Errorf("%s: schema %v is not an object", at, schema)
	}
	if ref, ok := m["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		target, ok := s.Components.Schemas[name]
		if !ok {
			return fmt.Errorf("%s: unknown $ref %s", at, ref)
		}
		return s.validate(target, v, at)
	}
	for key := range m {
		switch key {
		case "type", "enum", "required", "properties", "items", "maxItems", "minimum", "maximum", "exclusiveMinimum",
			"exclusiveMaximum", "format", "oneOf", "description", "default":
		default:
			return fmt.Errorf("%s: the checker does not know %q", at, key)
		}
	}
	if alts, ok := m["oneOf"].([]any); ok {
		n := 0
		var errs []string
		for _, alt := range alts {
			if err := s.validate(alt, v, at); err == nil {
				n++
			} else {
				errs = append(errs, err.Error())
			}
		}
		if n != 1 {
			return fmt.Errorf("%s: matches %d of oneOf, want 1 (%s)", at, n, strings.Join(errs, "; "))
		}
		return nil
	}
	if t, ok := m["type"]; ok {
		var types []string
		switch t := t.(type) {
		case string:
			types = []string{t}
		case []any:
			for _, x := range t {
				types = append(types, x.(string))
			}
		}
		if !slices.Contains(types, jsonType(v)) && !(jsonType(v) == "integer" && slices.Contains(types, "number")) {
			return fmt.Errorf("%s: %s, want %v", at, jsonType(v), types)
		}
	}
	if enum, ok := m["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool { return e == v }) {
		return fmt.Errorf("%s: %v is not one of %v", at, v, enum)
	}
	switch v := v.(type) {
	case map[string]any:
		for _, r := range asList(m["required"]) {
			if _, ok := v[r.(string)]; !ok {
				return fmt.Errorf("%s: %q is required", at, r)
			}
		}
		props, _ := m["properties"].(map[string]any)
		for k, pv := range v {
			ps, ok := props[k]
			if !ok {
				if props != nil {
					return fmt.Errorf("%s: %q is not described", at, k)
				}
				continue
			}
			if err := s.validate(ps, pv, at+"."+k); err != nil {
				return err
			}
		}
	case []any:
		if mx, ok := m["maxItems"].(float64); ok && float64(len(v)) > mx {
			return fmt.Errorf("%s: %d items, at most %v", at, len(v), mx)
		}
		if items, ok := m["items"]; ok {
			for i, x := range v {
				if err := s.validate(items, x, at+"["+strconv.Itoa(i)+"]"); err != nil {
					return err
				}
			}
		}
	case float64:
		if x, ok := m["minimum"].(float64); ok && v < x {
			return fmt.Errorf("%s: %v below %v", at, v, x)
		}
		if x, ok := m["maximum"].(float64); ok && v > x {
			return fmt.Errorf("%s: %v above %v", at, v, x)
		}
		if x, ok := m["exclusiveMinimum"].(float64); ok && v <= x {
			return fmt.Errorf("%s: %v not above %v", at, v, x)
		}
		if x, ok := m["exclusiveMaximum"].(float64); ok && v >= x {
			return fmt.Errorf("%s: %v not below %v", at, v, x)
		}
	case string:
		layout := map[string]string{"date-time": time.RFC3339Nano, "date": time.DateOnly}[fmt.Sprint(m["format"])]
		if _, err := time.Parse(layout, v); layout != "" && err != nil {
			return fmt.Errorf("%s: %q is not a %s", at, v, m["format"])
		}
	}
	return nil
}

func asList(v any) []any { l, _ := v.([]any); return l }

func jsonType(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case float64:
		if v == math.Trunc(v) {
			return "integer"
		}
		return "number"
	}
	return "unknown"
}

// operation is one route and method as described: its responses by status, each a content type to schema.
func (s *spec) responses(t *testing.T, path, method string) map[string]map[string]any {
	t.Helper()
	raw, ok := s.Paths[path][strings.ToLower(method)]
	if !ok {
		t.Fatalf("%s %s is served but not described", method, path)
	}
	var op struct {
		Responses map[string]map[string]any `json:"responses"`
	}
	if err := json.Unmarshal(raw, &op); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]any{}
	for status, r := range op.Responses {
		if ref, ok := r["$ref"].(string); ok {
			r = s.Components.Responses[strings.TrimPrefix(ref, "#/components/responses/")].(map[string]any)
		}
		content := map[string]any{}
		if c, ok := r["content"].(map[string]any); ok {
			for ct, media := range c {
				content[ct] = media.(map[string]any)["schema"]
			}
		}
		out[status] = content
	}
	return out
}

// TestOpenAPI: every /api/v1 route the router serves is described, every described one is served, and every
// answer of a scenario that meets each status (its status, content type and body) is what the description says.
func TestOpenAPI(t *testing.T) {
	var s spec
	if err := json.Unmarshal(handlers.OpenAPI(), &s); err != nil || s.OpenAPI != "3.1.0" {
		t.Fatalf("openapi.json: %v, version %q", err, s.OpenAPI)
	}
	e := newEnv(t)
	served := map[string]bool{}
	chi.Walk(e.h.Routes().(chi.Routes), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if strings.HasPrefix(route, "/api/") {
			served[method+" "+route] = true
			s.responses(t, route, method)
		}
		return nil
	})
	for path, ops := range s.Paths {
		for method := range ops {
			if !served[strings.ToUpper(method)+" "+path] {
				t.Errorf("%s %s is described but not served", method, path)
			}
		}
	}
	if a := e.apiGet("/api/v1/openapi.json", ""); a.status != 200 || a.body != string(handlers.OpenAPI()) {
		t.Fatalf("GET /api/v1/openapi.json: %d", a.status)
	}

	tok, _ := newToken(t, e.db, "checker")
	seen := map[string]map[string]bool{} // "METHOD path" → statuses met
	check := func(method, path string, a answer) {
		t.Helper()
		route, _, _ := strings.Cut(path, "?")
		key := method + " " + route
		if seen[key] == nil {
			seen[key] = map[string]bool{}
		}
		seen[key][strconv.Itoa(a.status)] = true
		content, ok := s.responses(t, route, method)[strconv.Itoa(a.status)]
		if !ok {
			t.Fatalf("%s %s answered %d, which is not described:\n%s", method, path, a.status, a.body)
		}
		ct, _, _ := strings.Cut(a.header.Get("Content-Type"), ";")
		schema, ok := content[ct]
		if !ok {
			t.Fatalf("%s %s %d: content type %q is not described", method, path, a.status, ct)
		}
		if ct != "application/json" {
			return
		}
		var v any
		if err := json.Unmarshal([]byte(a.body), &v); err != nil {
			t.Fatalf("%s %s %d: %v", method, path, a.status, err)
		}
		if err := s.validate(schema, v, "body"); err != nil {
			t.Fatalf("%s %s %d does not match its schema: %v\n%s", method, path, a.status, err, a.body)
		}
	}
	post := func(path, token, body string, h http.Header) answer {
		return apiCall(t, e.app.URL, "POST", path, token, strings.NewReader(body), h)
	}
	// Empty history first: the summary's nulls must be allowed.
	check("GET", "/api/v1/summary", e.apiGet("/api/v1/summary", tok))
	check("GET", "/api/v1/weighins", e.apiGet("/api/v1/weighins", tok))
	e.browser().connect()
	good := `{"weighins": [{"time": "2026-11-30T07:41:09+01:00", "weight_kg": 79.4, "fat_pct": 17.2, "bmi": 24.1}]}`
	var req any
	json.Unmarshal([]byte(good), &req)
	if err := s.validate(map[string]any{"$ref": "#/components/schemas/WeighinList"}, req, "request"); err != nil {
		t.Fatalf("the README's push does not match the request schema: %v", err)
	}
	check("POST", "/api/v1/weighins", post("/api/v1/weighins", tok, good, nil))
	check("POST", "/api/v1/weighins", post("/api/v1/weighins", tok, `{"weighins": [{"weight_kg": 79}]}`, nil))
	check("POST", "/api/v1/weighins", post("/api/v1/weighins", "", good, nil))
	check("POST", "/api/v1/weighins", post("/api/v1/weighins", tok, good, http.Header{"Sec-Fetch-Site": {"cross-site"}}))
	check("POST", "/api/v1/weighins", post("/api/v1/weighins", tok, weighins(10001), nil))
	for _, p := range []string{"/api/v1/weighins", "/api/v1/weighins?since=2026-11-01T00:00:00Z", "/api/v1/weighins?since=soon",
		"/api/v1/summary", "/api/v1/summary?token=" + tok, "/api/v1/chart.svg", "/api/v1/chart.svg?range=1y", "/api/v1/chart.svg?range=week"} {
		check("GET", p, e.apiGet(p, tok))
		check("GET", p, e.apiGet(p, "bst_"+strings.Repeat("0", 43)))
	}
	for range 70 {
		e.apiGet("/api/v1/summary", tok)
	}
	check("POST", "/api/v1/weighins", post("/api/v1/weighins", tok, good, nil))
	for _, p := range []string{"/api/v1/weighins", "/api/v1/summary", "/api/v1/chart.svg"} {
		check("GET", p, e.apiGet(p, tok))
	}
	check("GET", "/api/v1/openapi.json", e.apiGet("/api/v1/openapi.json", ""))
	// Every described status was met: the description claims nothing the handlers do not do.
	for key := range served {
		method, path, _ := strings.Cut(key, " ")
		for status := range s.responses(t, path, method) {
			if !seen[key][status] {
				t.Errorf("%s: status %s is described but the scenario never met it", key, status)
			}
		}
	}
}
