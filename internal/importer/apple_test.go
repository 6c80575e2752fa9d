package importer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportFolders: unpacked exports are recognised by their files' content, with the export's own clutter
// around them, and the height a file gives becomes the person's known height when none was known.
func TestImportFolders(t *testing.T) {
	apple := []want{{"2024-03-02", "07:14:58", "+01:00", 81.3, 21.4, "Renpho"}, {"2024-03-03", "07:10:00", "+01:00", 81.0, 0, "Renpho"}}
	tests := []struct {
		name   string
		files  map[string]string
		kind   string
		want   []want
		height float64
	}{
		{"AppleHealth", map[string]string{
			"apple_health_export/eksport.xml":              appleDoc("nb_NO", appleBody("kg", "81.3", "81.0")),
			"apple_health_export/export_cda.xml":           `<?xml version="1.0"?><ClinicalDocument/>`,
			"apple_health_export/workout-routes/route.gpx": `<?xml version="1.0"?><gpx></gpx>`,
		}, "Apple Health export (folder)", apple, 180},
		{"GoogleFitDerivedOverRaw", map[string]string{
			"Takeout/Fit/All Data/derived_com.google.weight_com.google.android.g.json":     fitJSON,
			"Takeout/Fit/All Data/raw_com.google.weight_com.google.android.apps.fitn.json": fitJSON,
			"Takeout/Fit/Daily activity metrics/notes.txt":                                 "hello",
		}, "Google Fit", []want{wantUTC("2025-01-01 08:00:00", 80.6, 0, "")}, 175.26},
		{"SamsungAmongOtherCSVs", map[string]string{
			"samsunghealth_alex_20250201120000/com.samsung.health.weight.20250201120000.csv": samsungCSV,
			"samsunghealth_alex_20250201120000/com.samsung.shealth.step_daily_trend.csv":     "com.samsung.shealth.step_daily_trend,1,2\nday_time,count\n1,2\n",
		}, "Samsung", []want{{"2025-01-12", "07:20:44", "+01:00", 79.8, 21.5, "Samsung Health"}, {"2025-01-13", "07:10:00", "+01:00", 80.1, 0, "Samsung Health"}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, body := range tt.files {
				p := filepath.Join(dir, filepath.FromSlash(name))
				os.MkdirAll(filepath.Dir(p), 0o755)
				if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			db := mustOpen(t)
			sum, err := ImportPath(t.Context(), db, dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			contains(t, "kind", sum.Kind, tt.kind)
			checkHistory(t, db, tt.want)
			if h, _ := db.KnownHeight(t.Context()); h != tt.height {
				t.Errorf("known height %v, want %v", h, tt.height)
			}
			if again, err := ImportPath(t.Context(), db, dir, Options{}); err != nil || again.Added != 0 {
				t.Errorf("re-import: %+v %v", again, err)
			}
		})
	}
	if _, err := ImportPath(t.Context(), mustOpen(t), t.TempDir(), Options{}); err == nil || !strings.Contains(Message(err), "an empty folder") {
		t.Errorf("empty folder: %v", err)
	}
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }

// TestAnotherPerson: a Zepp Life file mixes a family's weigh-ins, each with its profile's height; the person's
// are those at the height most weigh-ins share, or at the height already known.
func TestAnotherPerson(t *testing.T) {
	file := "time,weight,height,bmi,fatRate,bodyWaterRate,boneMass,metabolism,muscleRate,visceralFat\n" +
		"2024-09-14 05:48:21+0000,72.35,176.0,23.4,19.8,null,null,null,null,null\n" +
		"2024-09-14 17:00:00+0000,31.20,128.0,19.0,null,null,null,null,null,null\n" +
		"2024-09-15 05:50:00+0000,72.10,176.0,23.3,null,null,null,null,null,null\n"
	db := mustOpen(t)
	sum, err := Import(t.Context(), db, stringsReader(file), int64(len(file)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Added != 2 || reasonCount(sum, ReasonOtherPerson) != 1 {
		t.Errorf("%+v, want 2 added and 1 skipped as another person's", sum)
	}
	if h, _ := db.KnownHeight(t.Context()); h != 176 {
		t.Errorf("known height %v, want the person's 176", h)
	}
}

// TestProgressCounts: the progress of a finished import has read every byte and found every body record.
func TestProgressCounts(t *testing.T) {
	doc := appleDoc("en_US", appleBody("kg", "81.3", "81.0"))
	var p Progress
	if _, err := Import(t.Context(), mustOpen(t), stringsReader(doc), int64(len(doc)), Options{Progress: &p}); err != nil {
		t.Fatal(err)
	}
	s := p.Snapshot()
	if s.BytesRead != int64(len(doc)) || s.BytesTotal != int64(len(doc)) || s.Found != 5 || s.Format != "Apple Health export" {
		t.Errorf("progress %+v, want all %d bytes, 5 body records, the format", s, len(doc))
	}
}
