package main

import (
	"bytes"
	"encoding/csv"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/bodystats/bodystats/internal/emulator"
)

// importHistory imports a Fitbit export of the emulator's history into dataDir and returns its weigh-ins.
func importHistory(t testing.TB, dataDir string, opts emulator.Options) []emulator.WeightLog {
	t.Helper()
	logs := emulator.New(opts).WeightLogs()
	var zip bytes.Buffer
	if err := emulator.WriteExport(&zip, logs, emulator.ExportOptions{Layout: emulator.LayoutPersonal}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "MyFitbitData.zip")
	if err := os.WriteFile(path, zip.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run(t.Context(), []string{"-data-dir", dataDir, "import", path, "--unit", "kg"}, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	return logs
}

func runOut(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(t.Context(), args, nil, &out, io.Discard)
	return out.String(), err
}

func TestExportUnit(t *testing.T) {
	dataDir := t.TempDir()
	importHistory(t, dataDir, emulator.Options{Years: 1})
	kg, err := runOut(t, "-data-dir", dataDir, "export")
	if err != nil {
		t.Fatal(err)
	}
	kgRows, _ := csv.NewReader(strings.NewReader(kg)).ReadAll()
	if len(kgRows) < 100 || kgRows[0][2] != "weight_kg" {
		t.Fatalf("kg export: %d rows, header %v", len(kgRows), kgRows[0])
	}
	if same, err := runOut(t, "-data-dir", dataDir, "export", "-unit", "kg"); err != nil || same != kg {
		t.Errorf("export -unit kg differs from export (%v)", err)
	}

	srv := startServer(t, []string{"-data-dir", dataDir}, nil)
	get := func(q string) (int, string) {
		resp, err := http.Get(srv.url + "/export.csv" + q)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get(""); code != 200 || body != kg {
		t.Errorf("/export.csv = %d, not byte-identical to the export command", code)
	}
	for _, tt := range []struct {
		unit, column string
		perKg        float64
	}{
		{"lb", "weight_lb", 1 / 0.45359237},
		{"st", "weight_st", 1 / 0.45359237 / 14},
	} {
		t.Run(tt.unit, func(t *testing.T) {
			code, body := get("?unit=" + tt.unit)
			cmdOut, err := runOut(t, "-data-dir", dataDir, "export", "-unit", tt.unit)
			if err != nil {
				t.Fatal(err)
			}
			if code != 200 || body != cmdOut {
				t.Fatalf("/export.csv?unit=%s = %d; the page and the command differ: %v", tt.unit, code, body != cmdOut)
			}
			rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != len(kgRows) || rows[0][2] != tt.column {
				t.Fatalf("%d rows, header %v; want %d rows and %s", len(rows), rows[0], len(kgRows), tt.column)
			}
			for i := 1; i < len(rows); i++ {
				w, _ := strconv.ParseFloat(rows[i][2], 64)
				k, _ := strconv.ParseFloat(kgRows[i][2], 64)
				if diff := w - k*tt.perKg; diff > 1e-9 || diff < -1e-9 {
					t.Fatalf("row %d: %v %s for %v kg", i, w, tt.unit, k)
				}
				for c := range rows[i] {
					if c != 2 && rows[i][c] != kgRows[i][c] {
						t.Fatalf("row %d column %d = %q, the kg export has %q", i, c, rows[i][c], kgRows[i][c])
					}
				}
			}
		})
	}
	for _, q := range []string{"?unit=furlongs", "?unit=%00"} {
		if code, body := get(q); code != http.StatusBadRequest || !strings.Contains(body, "kg, lb or st") {
			t.Errorf("/export.csv%s = %d, want 400 naming the units", q, code)
		}
	}
	if _, err := runOut(t, "-data-dir", dataDir, "export", "-unit", "furlongs"); err == nil || !strings.Contains(err.Error(), "kg, lb or st") {
		t.Errorf("export -unit furlongs = %v, want an error naming the units", err)
	}
	if _, err := runOut(t, "-data-dir", dataDir, "export", "extra"); err == nil {
		t.Error("export with a stray argument succeeded")
	}
}
