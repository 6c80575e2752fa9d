package googlehealth

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
)

// The discovery document Google ships with its generated client, google.golang.org/api/health/v4 (a test-only
// dependency): the API's exact methods, parameters, scopes and schemas. The conformance tests hold the client,
// the Source and the emulator to it.
type discovery struct {
	Revision string `json:"revision"`
	Auth     struct {
		OAuth2 struct {
			Scopes map[string]struct{} `json:"scopes"`
		} `json:"oauth2"`
	} `json:"auth"`
	Schemas   map[string]schema   `json:"schemas"`
	Resources map[string]resource `json:"resources"`
}

type schema struct {
	Properties map[string]property `json:"properties"`
}

type property struct {
	Type   string    `json:"type"`
	Format string    `json:"format"`
	Ref    string    `json:"$ref"`
	Enum   []string  `json:"enum"`
	Items  *property `json:"items"`
}

type resource struct {
	Methods   map[string]method   `json:"methods"`
	Resources map[string]resource `json:"resources"`
}

type method struct {
	ID         string               `json:"id"`
	HTTPMethod string               `json:"httpMethod"`
	FlatPath   string               `json:"flatPath"`
	Parameters map[string]parameter `json:"parameters"`
	Scopes     []string             `json:"scopes"`
}

type parameter struct {
	Type        string `json:"type"`
	Format      string `json:"format"`
	Location    string `json:"location"`
	Description string `json:"description"`
}

var (
	discoveryOnce sync.Once
	discoveryDoc  *discovery
	discoveryErr  error
)

// loadDiscovery reads health/v4/health-api.json from the module cache copy of google.golang.org/api.
func loadDiscovery(t *testing.T) *discovery {
	t.Helper()
	discoveryOnce.Do(func() {
		out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "google.golang.org/api").Output()
		if err != nil {
			discoveryErr = fmt.Errorf("locate google.golang.org/api: %w", err)
			return
		}
		b, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "health", "v4", "health-api.json"))
		if err != nil {
			discoveryErr = err
			return
		}
		discoveryDoc = &discovery{}
		discoveryErr = json.Unmarshal(b, discoveryDoc)
	})
	if discoveryErr != nil {
		t.Fatalf("discovery document: %v", discoveryErr)
	}
	return discoveryDoc
}

// methods lists every method of the document.
func (d *discovery) methods() []method {
	var out []method
	var walk func(map[string]resource)
	walk = func(rs map[string]resource) {
		for _, r := range rs {
			for _, m := range r.Methods {
				out = append(out, m)
			}
			walk(r.Resources)
		}
	}
	walk(d.Resources)
	return out
}

var pathParam = regexp.MustCompile(`\{[^}]+\}`)

// methodFor finds the one method whose flat path and HTTP method match a request, and the path's parameters.
func (d *discovery) methodFor(httpMethod, path string) (method, map[string]string, error) {
	var found []method
	var params map[string]string
	for _, m := range d.methods() {
		names := pathParam.FindAllString(m.FlatPath, -1)
		// Flat paths hold letters, digits, slashes, colons and {params}: nothing a regexp reads specially.
		sub := regexp.MustCompile("^/" + pathParam.ReplaceAllString(m.FlatPath, `([^/:]+)`) + "$").FindStringSubmatch(path)
		if sub == nil || m.HTTPMethod != httpMethod {
			continue
		}
		found = append(found, m)
		params = map[string]string{}
		for i, n := range names {
			params[strings.Trim(n, "{}")] = sub[i+1]
		}
	}
	if len(found) != 1 {
		return method{}, nil, fmt.Errorf("%s %s matches %d methods of the discovery document, want 1", httpMethod, path, len(found))
	}
	return found[0], params, nil
}

// filterRule is one filter pattern the list method's filter parameter documents.
type filterRule struct {
	pattern  string   // e.g. {sample_data_type}.sample_time.physical_time
	ops      []string // >=, <
	literal  string   // the literal's documented format: "RFC-3339" or "ISO 8601"
	logicals []string // AND, OR
}

var (
	ruleRe = regexp.MustCompile("Pattern: `([^`]+)` - Supported comparison operators: ((?:`[^`]+`(?:, )?)+) - (Timestamp literal expected in RFC-3339|Date with optional time literal expected in ISO 8601|Date literal expected in ISO 8601)[^-]*(?:- Supported logical operators: ((?:`[^`]+`(?:, )?)+))?")
	tickRe = regexp.MustCompile("`([^`]+)`")
)

func ticks(s string) []string {
	var out []string
	for _, m := range tickRe.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

// filterRules reads the filter patterns from a filter parameter's description.
func filterRules(desc string) []filterRule {
	var out []filterRule
	for _, m := range ruleRe.FindAllStringSubmatch(desc, -1) {
		lit := "ISO 8601"
		if strings.Contains(m[3], "RFC-3339") {
			lit = "RFC-3339"
		}
		out = append(out, filterRule{pattern: m[1], ops: ticks(m[2]), literal: lit, logicals: ticks(m[4])})
	}
	return out
}

var comparisonRe = regexp.MustCompile(`^([a-z_.]+) (>=|<=|>|<|=|!=) "([^"]*)"$`)

// checkFilter holds a filter expression to the documented rules for the data type (the path's id, e.g.
// "body-fat"), which must be a sample data type of the DataPoint union.
func (d *discovery) checkFilter(filter, dataType, desc string) error {
	field := camel(dataType)
	ref := d.Schemas["DataPoint"].Properties[field].Ref
	if ref == "" {
		return fmt.Errorf("data type %q is not a member of the DataPoint union", dataType)
	}
	sampleType := d.Schemas[ref].Properties["sampleTime"].Ref == "ObservationSampleTime"
	rules := filterRules(desc)
	if len(rules) == 0 {
		return fmt.Errorf("no filter patterns found in the filter parameter's description")
	}
	logical := ""
	parts := []string{filter}
	for _, op := range []string{" AND ", " OR "} {
		if strings.Contains(filter, op) {
			logical, parts = strings.TrimSpace(op), strings.Split(filter, op)
		}
	}
	for _, part := range parts {
		m := comparisonRe.FindStringSubmatch(part)
		if m == nil {
			return fmt.Errorf("comparison %q is not <field> <operator> \"<literal>\"", part)
		}
		ok := false
		for _, r := range rules {
			if !sampleType && strings.Contains(r.pattern, "{sample_data_type}") {
				continue
			}
			want := strings.NewReplacer("{sample_data_type}", snake(field), "{interval_data_type}", snake(field),
				"{daily_summary_data_type}", snake(field), "{session_data_type}", snake(field)).Replace(r.pattern)
			if want != m[1] || !slices.Contains(r.ops, m[2]) || (logical != "" && !slices.Contains(r.logicals, logical)) {
				continue
			}
			if r.literal == "RFC-3339" {
				if _, err := time.Parse(time.RFC3339Nano, m[3]); err != nil {
					return fmt.Errorf("literal %q is not RFC 3339", m[3])
				}
			}
			ok = true
		}
		if !ok {
			return fmt.Errorf("comparison %q (joined by %q) matches no documented filter pattern", part, logical)
		}
	}
	return nil
}

var maxPageRe = regexp.MustCompile(`maximum page size is (\d+)`)

// checkRequest holds one request to the discovery document: its method and path, its query parameters, the
// page size's bounds, the filter's patterns, and that the scopes the app asks for open it.
func (d *discovery) checkRequest(r *http.Request, scopes []string) error {
	m, params, err := d.methodFor(r.Method, r.URL.Path)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(m.Scopes, func(s string) bool { return slices.Contains(scopes, s) }) {
		return fmt.Errorf("%s: none of the scopes %q opens it (it takes %q)", m.ID, scopes, m.Scopes)
	}
	for k, v := range r.URL.Query() {
		p, ok := m.Parameters[k]
		if !ok || p.Location != "query" {
			return fmt.Errorf("%s: query parameter %q is not one of the method's", m.ID, k)
		}
		if len(v) != 1 {
			return fmt.Errorf("%s: query parameter %q given %d times", m.ID, k, len(v))
		}
		switch {
		case k == "pageSize":
			n, err := strconv.ParseInt(v[0], 10, 32)
			mm := maxPageRe.FindStringSubmatch(p.Description)
			if mm == nil || p.Type != "integer" || p.Format != "int32" {
				return fmt.Errorf("%s: pageSize is documented as %s/%s without a maximum", m.ID, p.Type, p.Format)
			}
			limit, _ := strconv.Atoi(mm[1])
			if err != nil || n < 1 || n > int64(limit) {
				return fmt.Errorf("%s: pageSize %q outside 1..%d", m.ID, v[0], limit)
			}
		case k == "filter":
			if err := d.checkFilter(v[0], params["dataTypesId"], p.Description); err != nil {
				return fmt.Errorf("%s: filter %q: %w", m.ID, v[0], err)
			}
		}
	}
	return nil
}

// camel turns a path's data type id into the DataPoint field: body-fat → bodyFat.
func camel(id string) string {
	parts := strings.Split(id, "-")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// snake turns a field name into the filter's spelling: bodyFat → body_fat.
func snake(field string) string {
	var b strings.Builder
	for _, r := range field {
		if unicode.IsUpper(r) {
			b.WriteByte('_')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
