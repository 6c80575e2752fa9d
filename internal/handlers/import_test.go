package handlers_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/bodystats/bodystats/internal/emulator"
)

// upload posts a file to /import as the form does.
func (b *browser) upload(name string, data []byte, unit string) page {
	return b.uploadTo("/import", name, data, unit)
}

// uploadTo posts a file as the form does to path (/import, or /import?async=1 as upload.js does).
func (b *browser) uploadTo(path, name string, data []byte, unit string) page {
	t := b.e.t
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.WriteField("unit", unit)
	mw.Close()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, b.e.app.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return page{status: resp.StatusCode, body: string(out)}
}

func (e *env) export(opts emulator.ExportOptions) []byte {
	var buf bytes.Buffer
	if err := emulator.WriteExport(&buf, e.emu.WeightLogs(), opts); err != nil {
		e.t.Fatal(err)
	}
	return buf.Bytes()
}

// TestImportThenSync: a Takeout export uploaded before connecting shows on the dashboard at once; connecting the
// same Fitbit account afterwards adds nothing twice.
func TestImportThenSync(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	logs := e.emu.WeightLogs()
	p := b.upload("takeout.zip", e.export(emulator.ExportOptions{Layout: emulator.LayoutTakeout, Pounds: true}), "")
	if p.status != http.StatusOK || !strings.Contains(p.body, "Fitbit export (zip)") || !strings.Contains(p.body, "<strong>"+strconv.Itoa(len(logs))+"</strong> weigh-ins added") || !strings.Contains(p.body, "Unit: pounds") {
		t.Fatalf("upload: status %d\n%s", p.status, p.body)
	}
	dash := b.get("/")
	if !strings.Contains(dash.body, `data-measure="weight"`) || !strings.Contains(dash.body, "Connect Fitbit") {
		t.Fatalf("dashboard after an import shows no history or no Connect control:\n%s", dash.body)
	}
	b.connect()
	if rows := exportRows(t, b); len(rows) != len(logs) {
		t.Fatalf("import then sync: %d rows, want %d (the union, no duplicate)", len(rows), len(logs))
	}
	// The sync adopted the imported rows: every one now carries the provider's own values.
	last, _ := latest(logs)
	if dash := b.get("/"); !shows(dash.body, "weight", one(last.WeightKg)) {
		t.Errorf("dashboard after import then sync does not show %s", one(last.WeightKg))
	}
}

func TestSyncThenImport(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.connect()
	before := exportRows(t, b)
	p := b.upload("export.zip", e.export(emulator.ExportOptions{Layout: emulator.LayoutPersonal, Pounds: true}), "")
	if p.status != http.StatusOK || !strings.Contains(p.body, "<strong>0</strong> weigh-ins added") {
		t.Fatalf("upload after a sync: status %d\n%s", p.status, p.body)
	}
	after := exportRows(t, b)
	if len(after) != len(before) {
		t.Fatalf("sync then import: %d rows, want %d", len(after), len(before))
	}
	for i := range before {
		if strings.Join(before[i], ",") != strings.Join(after[i], ",") {
			t.Fatalf("row %d changed from %v to %v: an import must not overwrite synced data", i, before[i], after[i])
		}
	}
}

func TestImportRefusals(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	valid := e.export(emulator.ExportOptions{Layout: emulator.LayoutTakeout})
	for _, tt := range []struct {
		name, file, unit string
		data             []byte
		status           int
		words            string
	}{
		{"Truncated", "t.zip", "", valid[:len(valid)/2], http.StatusBadRequest, "Nothing was imported"},
		{"NotAnExport", "photo.jpg", "", []byte("\xff\xd8\xff\xe0 not a weight file"), http.StatusBadRequest, "cannot read that file"},
		{"BadUnit", "t.zip", "furlongs", valid, http.StatusBadRequest, "Unknown unit"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := b.upload(tt.file, tt.data, tt.unit)
			if p.status != tt.status || !strings.Contains(p.body, tt.words) {
				t.Errorf("status %d, want %d saying %q:\n%s", p.status, tt.status, tt.words, p.body)
			}
		})
	}
	if rows := exportRows(t, b); len(rows) != 0 {
		t.Errorf("refused uploads stored %d rows", len(rows))
	}
	if p := b.get("/import"); p.status != http.StatusOK || !strings.Contains(p.body, `enctype="multipart/form-data"`) {
		t.Errorf("GET /import: %d", p.status)
	}
}
