package handlers_test

import (
	"bytes"
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/emulator"
	"github.com/bodystats/bodystats/internal/handlers"
	"github.com/bodystats/bodystats/internal/store"
	"github.com/bodystats/bodystats/web"
)

// tenYearApp is the app over a database holding about 5,000 weigh-ins over ten years, with a goal and a height.
func tenYearApp(b *testing.B) (http.Handler, *store.DB) {
	key := make([]byte, 32)
	rand.Read(key)
	db, err := store.Open(b.Context(), filepath.Join(b.TempDir(), "b.db"), store.Options{Key: key})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := db.UpsertAccount(b.Context(), store.Account{Provider: "import", ExternalUserID: "local", HeightCm: 178}); err != nil {
		b.Fatal(err)
	}
	src, err := db.CreateSource(b.Context(), store.Source{Kind: store.KindImport, Name: "ten years.csv"})
	if err != nil {
		b.Fatal(err)
	}
	var ms []store.Measurement
	for _, l := range emulator.New(emulator.Options{Years: 10, Today: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)}).WeightLogs() {
		for i, clock := range []string{l.Time, "2" + l.Time[1:]} { // mornings, and most evenings
			if i == 1 && (l.Time[0] != '0' || l.LogID%5 == 0) {
				continue
			}
			m := store.Measurement{SourceID: src.ID, Provider: "import", ExternalID: strconv.FormatInt(l.LogID, 10) + "-" + strconv.Itoa(i),
				Date: l.Date, Time: clock, WeightKg: l.WeightKg + 0.6*float64(i), Source: l.Source, Method: store.MethodImport}
			if l.HasFat {
				fat := l.FatPct
				m.FatPct = &fat
			}
			ms = append(ms, m)
		}
	}
	if _, err := db.UpsertMeasurements(b.Context(), ms); err != nil {
		b.Fatal(err)
	}
	if err := db.SaveSettings(b.Context(), store.Settings{Unit: "kg", GoalKg: 78}); err != nil {
		b.Fatal(err)
	}
	h, err := handlers.New(handlers.Options{
		Store: db, SessionKey: make([]byte, 64), Templates: web.Templates(), Static: web.Static(),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: "http://localhost:8080",
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(h.Close)
	return h.Routes(), db
}

// BenchmarkPages renders / and /weight for ten years of history (about 5,000 weigh-ins) and reports, per page,
// the time, the bytes and the ratio to serving a static file of the same bytes in the same run (goals: at most
// 3x, under 150 KB). "warm" is a page viewed again; "changed" is the first view after a write (a sync window, an
// import, a setting), which computes the page afresh.
func BenchmarkPages(b *testing.B) {
	app, db := tenYearApp(b)
	for _, path := range []string{"/", "/weight"} {
		for _, changed := range []bool{false, true} {
			name := path + "/warm"
			if changed {
				name = path + "/changed"
			}
			b.Run(name, func(b *testing.B) {
				page := render(b, app, path)
				static := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					http.ServeContent(w, r, "page.html", time.Time{}, bytes.NewReader(page))
				})
				var dynamic, served time.Duration
				b.ReportAllocs()
				for b.Loop() {
					if changed {
						b.StopTimer()
						db.SaveSettings(b.Context(), store.Settings{Unit: "kg", GoalKg: 78}) // any write
						b.StartTimer()
					}
					start := time.Now()
					render(b, app, path)
					dynamic += time.Since(start)
					start = time.Now()
					render(b, static, path)
					served += time.Since(start)
				}
				b.ReportMetric(float64(len(page)), "page-bytes")
				b.ReportMetric(float64(dynamic)/float64(served), "x-static")
			})
		}
	}
}

func render(b *testing.B, h http.Handler, path string) []byte {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	if rec.Code != http.StatusOK {
		b.Fatalf("GET %s: %d", path, rec.Code)
	}
	return rec.Body.Bytes()
}
