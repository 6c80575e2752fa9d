package handlers_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

const appleXML = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
]>
<HealthData locale="en_US">
 <ExportDate value="2024-03-10 21:07:11 +0100"/>
 <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch" unit="count/min" startDate="2024-03-02 07:14:00 +0100" endDate="2024-03-02 07:14:00 +0100" value="61"/>
 <Record type="HKQuantityTypeIdentifierBodyMass" sourceName="Renpho" unit="kg" startDate="2024-03-02 07:14:58 +0100" endDate="2024-03-02 07:14:58 +0100" value="81.3"/>
 <Record type="HKQuantityTypeIdentifierBodyMass" sourceName="Health" unit="kg" startDate="2024-03-02 07:14:20 +0100" endDate="2024-03-02 07:14:20 +0100" value="81.3"/>
 <Record type="HKQuantityTypeIdentifierBodyMass" sourceName="Renpho" unit="kg" startDate="2099-03-03 07:10:00 +0100" endDate="2099-03-03 07:10:00 +0100" value="81.0"/>
 <Record type="HKQuantityTypeIdentifierBodyMass" sourceName="Renpho" unit="kg" startDate="2024-03-04 07:10:00 +0100" endDate="2024-03-04 07:10:00 +0100" value="80.8"/>
</HealthData>
`

func appleZip(t *testing.T) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("apple_health_export/export.xml")
	w.Write([]byte(appleXML))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type importJob struct{ ID, Status, Result string }

type importState struct {
	State                  string
	BytesRead              int64 `json:"bytes_read"`
	BytesTotal             int64 `json:"bytes_total"`
	Found                  int64
	Format, Message        string
	Added, Merged, Skipped int
}

// awaitImport polls the status as upload.js does until the import ends.
func awaitImport(t *testing.T, b *browser, job importJob) importState {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		p := b.get(job.Status)
		var s importState
		if err := json.Unmarshal([]byte(p.body), &s); err != nil || p.status != http.StatusOK {
			t.Fatalf("status %d %q: %v", p.status, p.body, err)
		}
		if s.State != "running" {
			return s
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the import never ended")
	return importState{}
}

func startImport(t *testing.T, b *browser, name string, data []byte) importJob {
	t.Helper()
	p := b.uploadTo("/import?async=1", name, data, "")
	var job importJob
	if err := json.Unmarshal([]byte(p.body), &job); p.status != http.StatusAccepted || err != nil || job.ID == "" {
		t.Fatalf("async upload: %d %q %v", p.status, p.body, err)
	}
	return job
}

// TestImportAsync: the page's way: the upload answers 202 with a job, the status reports the bytes read and
// the weigh-ins found as JSON, and the result page shows the summary; the uploaded file is gone afterwards.
func TestImportAsync(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	data := appleZip(t)
	job := startImport(t, b, "export.zip", data)
	s := awaitImport(t, b, job)
	if s.State != "done" || s.BytesRead != int64(len(data)) || s.BytesTotal != int64(len(data)) || s.Found != 4 ||
		s.Format != "Apple Health export" || s.Added != 2 || s.Skipped != 1 {
		t.Errorf("final status %+v, want done, all %d bytes read, 4 found, 2 added, 1 skipped", s, len(data))
	}
	p := b.get(job.Result)
	if p.status != http.StatusOK || !strings.Contains(p.body, "Imported: Apple Health export (zip)") ||
		!strings.Contains(p.body, "<strong>2</strong> weigh-ins added") || !strings.Contains(p.body, "Skipped 1: a date in the future") ||
		!strings.Contains(p.body, "Unit: kilograms: the file names the unit") {
		t.Errorf("result page %d:\n%s", p.status, p.body)
	}
	if rows := exportRows(t, b); len(rows) != 2 {
		t.Errorf("%d rows stored, want the 2 weigh-ins (the doubled one once)", len(rows))
	}

	bad := startImport(t, b, "weights.csv", []byte("shopping list\nmilk\n"))
	if s := awaitImport(t, b, bad); s.State != "failed" || !strings.Contains(s.Message, `a text file starting "shopping list milk"`) {
		t.Errorf("unknown file: %+v", s)
	}
	if p := b.get(bad.Result); p.status != http.StatusBadRequest || !strings.Contains(p.body, "cannot read that file") {
		t.Errorf("unknown file's result: %d\n%s", p.status, p.body)
	}
	if p := b.get("/import/status?id=nope"); p.status != http.StatusNotFound {
		t.Errorf("unknown job: %d", p.status)
	}
	if left, _ := os.ReadDir(e.uploads); len(left) != 0 {
		t.Errorf("%d uploaded files left behind", len(left))
	}
	if rows := exportRows(t, b); len(rows) != 2 {
		t.Errorf("%d rows after a refused import, want 2", len(rows))
	}
}

// TestImportUploadFormats: the form without JavaScript: an Apple Health export.xml and an unknown file.
func TestImportUploadFormats(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	if p := b.upload("export.xml", []byte(appleXML), ""); p.status != http.StatusOK || !strings.Contains(p.body, "Imported: Apple Health export") {
		t.Errorf("bare XML: %d\n%s", p.status, p.body)
	}
	if p := b.upload("photo.jpg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF"), ""); p.status != http.StatusBadRequest || !strings.Contains(p.body, "a binary file starting ff d8 ff e0") {
		t.Errorf("binary: %d\n%s", p.status, p.body)
	}
	if p := b.upload("", nil, ""); p.status != http.StatusBadRequest || !strings.Contains(p.body, "No file") {
		t.Errorf("no file: %d\n%s", p.status, p.body)
	}
	if left, _ := os.ReadDir(e.uploads); len(left) != 0 {
		t.Errorf("%d uploaded files left behind", len(left))
	}
}
