package handlers_test

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/handlers"
	"github.com/bodystats/bodystats/internal/store"
	"github.com/bodystats/bodystats/web"
)

// pushBatch is n weigh-ins an hour apart ending at end, as the body of a push and as the rows it should become.
func pushBatch(n int, end time.Time, sourceID int64) (string, []store.Measurement) {
	var b strings.Builder
	b.WriteString(`{"weighins": [`)
	ms := make([]store.Measurement, n)
	loc := time.FixedZone("", 3600)
	for i := range n {
		at := end.Add(-time.Duration(n-i) * time.Hour).In(loc).Truncate(time.Second)
		kg, fat := 70+float64(i%200)/10, 20.5
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"time": %q, "weight_kg": %.1f, "fat_pct": %.1f}`, at.Format(time.RFC3339), kg, fat)
		ms[i] = store.Measurement{SourceID: sourceID, Provider: "api", ExternalID: at.UTC().Format("2006-01-02T15:04:05Z"),
			Date: at.Format(time.DateOnly), Time: at.Format(time.TimeOnly), TimeZone: "+01:00", WeightKg: kg, FatPct: &fat,
			Source: "API", Method: store.MethodCopy}
	}
	b.WriteString("]}")
	return b.String(), ms
}

// BenchmarkPush10000 pushes 10,000 weigh-ins in one request through the whole router (token check, JSON,
// validation, one transaction) into an empty span of the history, and reports weigh-ins a second and the ratio
// to writing the same 10,000 rows with store.UpsertMeasurements directly in the same run (x-store).
func BenchmarkPush10000(b *testing.B) {
	key := make([]byte, 32)
	rand.Read(key)
	db, err := store.Open(b.Context(), filepath.Join(b.TempDir(), "b.db"), store.Options{Key: key})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	h, err := handlers.New(handlers.Options{Store: db, SessionKey: make([]byte, 64), Templates: web.Templates(), Static: web.Static(),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: "http://localhost:8080"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(h.Close)
	app := h.Routes()
	const n = 10000
	var viaAPI, direct time.Duration
	end := time.Now()
	i := 0
	for b.Loop() {
		// Each round writes a span of its own (two 10,000-hour spans back), so every row is new, never a twin.
		tok, _ := newToken(b, db, fmt.Sprintf("bench-%d", i))
		body, _ := pushBatch(n, end, 0)
		req := httptest.NewRequest(http.MethodPost, "/api/v1/weighins", strings.NewReader(body))
		req.Host = "localhost:8080"
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		start := time.Now()
		app.ServeHTTP(rec, req)
		viaAPI += time.Since(start)
		var res struct{ Added int }
		if json.Unmarshal(rec.Body.Bytes(), &res); rec.Code != http.StatusOK || res.Added != n {
			b.Fatalf("push: %d %s", rec.Code, rec.Body.String())
		}
		src, err := db.CreateSource(b.Context(), store.Source{Kind: store.KindAPI, Name: "baseline"})
		if err != nil {
			b.Fatal(err)
		}
		_, ms := pushBatch(n, end.Add(-n*time.Hour), src.ID)
		start = time.Now()
		if r, err := db.UpsertMeasurements(b.Context(), ms); err != nil || r.Added != n {
			b.Fatalf("baseline: %+v %v", r, err)
		}
		direct += time.Since(start)
		end = end.Add(-2 * n * time.Hour)
		i++
	}
	b.ReportMetric(float64(n*i)/viaAPI.Seconds(), "weighins/s")
	b.ReportMetric(float64(viaAPI)/float64(direct), "x-store")
	b.ReportMetric(float64(len(mustBody(n)))/(1<<20), "body-MiB")
}

func mustBody(n int) string { body, _ := pushBatch(n, time.Now(), 0); return body }
