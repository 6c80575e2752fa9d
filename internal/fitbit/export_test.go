package fitbit

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// exportFile is one file of a sample export, built by the tests: no real person's data is committed.
type exportFile struct {
	name string
	body string
}

// zipExport packs files into a zip in the given order, deflated.
func zipExport(t testing.TB, files []exportFile) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(f.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// dirExport writes files under a new temporary folder and returns it.
func dirExport(t testing.TB, files []exportFile) string {
	t.Helper()
	root := t.TempDir()
	for _, f := range files {
		p := filepath.Join(root, filepath.FromSlash(f.name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f.body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// readBoth reads the same files as a zip and as a folder, so every case checks both readers.
func readBoth(t *testing.T, files []exportFile, lim ExportLimits) map[string]func() (Export, error) {
	t.Helper()
	z := zipExport(t, files)
	dir := dirExport(t, files)
	return map[string]func() (Export, error){
		"Zip": func() (Export, error) { return ReadExportZip(bytes.NewReader(z), int64(len(z)), lim) },
		"Dir": func() (Export, error) { return ReadExportDir(os.DirFS(dir), lim) },
	}
}

func ptr(v float64) *float64 { return &v }

// A pounds account with an Aria (fat measured) and a manual weigh-in, in the export's own MM/DD/YY form.
const poundsFile = `[{"logId":1659948335000,"weight":165.8,"bmi":25.13,"fat":18.763,"date":"08/08/22","time":"08:45:35","source":"Aria"},
{"logId":1659398399000,"weight":166.2,"bmi":25.19,"date":"08/01/22","time":"23:59:59","source":"Web"}]`

// A kilograms account without fat, with the variations a reader must take: no logId, no time, no source, no
// BMI, a four-digit year, an ISO date and a quoted number.
const kilosFile = `[{"logId":1662025500000,"weight":75.2,"bmi":25.1,"date":"09/01/2022","time":"09:45:00","source":"API"},
{"weight":"74.95","date":"2022-09-02"}]`

const heightsFile = `[{"dateTime":"08/01/22 00:00:00","value":"1778"}]`

var (
	poundsLogs = []ExportLog{
		{LogID: 1659398399000, Date: "2022-08-01", Time: "23:59:59", Weight: 166.2, BMI: ptr(25.19), Source: "Web"},
		{LogID: 1659948335000, Date: "2022-08-08", Time: "08:45:35", Weight: 165.8, BMI: ptr(25.13), Fat: ptr(18.763), Source: "Aria"},
	}
	kilosLogs = []ExportLog{
		{LogID: 1662025500000, Date: "2022-09-01", Time: "09:45:00", Weight: 75.2, BMI: ptr(25.1), Source: "API"},
		{Date: "2022-09-02", Time: "23:59:59", Weight: 74.95},
	}
)

func TestReadExportLayouts(t *testing.T) {
	tests := []struct {
		name    string
		dir     string // where the weight and height files sit
		weights string
		want    []ExportLog
	}{
		{"UserSiteExport", "JaneDoe/user-site-export/", poundsFile, poundsLogs},
		{"PersonalAndAccount", "JaneDoe/Personal & Account/", kilosFile, kilosLogs},
		{"Takeout", "Takeout/Fitbit/Global Export Data/", poundsFile, poundsLogs},
		{"TakeoutDeep", "exports/2024/Takeout/Fitbit/Global Export Data/", kilosFile, kilosLogs},
		{"BareRoot", "", kilosFile, kilosLogs},
		{"BareFolder", "weights/", poundsFile, poundsLogs},
	}
	for _, tt := range tests {
		files := []exportFile{
			{tt.dir + "weight-2022-08-01.json", tt.weights},
			{tt.dir + "height-2022-08-01.json", heightsFile},
			// Not read at all: a file of another kind, and weight files in folders no export uses.
			{tt.dir + "sleep-2022-08-01.json", "not json"},
			{"JaneDoe/Other/Stuff/weight-2022-08-01.json", "not json"},
			{tt.dir + "weight-goal.json", "not json"},
		}
		for reader, read := range readBoth(t, files, ExportLimits{}) {
			t.Run(tt.name+"/"+reader, func(t *testing.T) {
				exp, err := read()
				if err != nil {
					t.Fatal(err)
				}
				want := make([]ExportLog, len(tt.want))
				for i, l := range tt.want {
					l.File = tt.dir + "weight-2022-08-01.json"
					want[i] = l
				}
				if diff := cmp.Diff(want, exp.Logs); diff != "" {
					t.Errorf("logs (-want +got):\n%s", diff)
				}
				wantFiles := []string{tt.dir + "height-2022-08-01.json", tt.dir + "weight-2022-08-01.json"}
				if diff := cmp.Diff(wantFiles, exp.Files); diff != "" {
					t.Errorf("files (-want +got):\n%s", diff)
				}
				wantHeights := []ExportHeight{{Date: "2022-08-01", Value: 1778, File: tt.dir + "height-2022-08-01.json"}}
				if diff := cmp.Diff(wantHeights, exp.Heights); diff != "" {
					t.Errorf("heights (-want +got):\n%s", diff)
				}
				if len(exp.Problems) != 0 {
					t.Errorf("problems = %v, want none", exp.Problems)
				}
			})
		}
	}
}

func TestReadExportMerges(t *testing.T) {
	// An archive and a Takeout unpacked side by side: the same weigh-in twice, once with and once without a
	// logId. Each appears once, and the logs of several files come out in date order.
	files := []exportFile{
		{"Takeout/Fitbit/Global Export Data/weight-2022-08-01.json", poundsFile},
		{"Jane/Personal & Account/weight-2022-08-01.json", poundsFile},
		{"Jane/Personal & Account/weight-2022-09-01.json", `[{"weight":74.95,"date":"2022-09-02"},{"weight":74.95,"date":"09/02/22"}]`},
		{"Jane/Personal & Account/weight-2022-07-01.json", `[{"logId":1,"weight":170,"date":"07/01/22","time":"7:05"}]`},
	}
	for reader, read := range readBoth(t, files, ExportLimits{}) {
		t.Run(reader, func(t *testing.T) {
			exp, err := read()
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, l := range exp.Logs {
				got = append(got, l.Date+" "+l.Time+" "+l.File)
			}
			want := []string{
				"2022-07-01 07:05:00 Jane/Personal & Account/weight-2022-07-01.json",
				"2022-08-01 23:59:59 Jane/Personal & Account/weight-2022-08-01.json",
				"2022-08-08 08:45:35 Jane/Personal & Account/weight-2022-08-01.json",
				"2022-09-02 23:59:59 Jane/Personal & Account/weight-2022-09-01.json",
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("logs (-want +got):\n%s", diff)
			}
			if got, want := len(exp.Files), 4; got != want {
				t.Errorf("read %d files, want %d", got, want)
			}
		})
	}
}

func TestReadExportProblems(t *testing.T) {
	files := []exportFile{
		{"Jane/Personal & Account/weight-2022-01-01.json", `[{"logId":1,"weight":150,"date":"01/0`},
		{"Jane/Personal & Account/weight-2022-02-01.json", `{"weights":[]}`},
		{"Jane/Personal & Account/weight-2022-03-01.json", `[
			{"logId":2,"weight":150,"date":"02/30/22"},
			{"logId":3,"weight":0,"date":"03/02/22"},
			{"logId":4,"weight":151,"date":"03/03/22"},
			{"logId":5,"weight":-3,"date":"03/04/22"},
			{"logId":6,"weight":152,"date":"03/05/22","fat":140},
			"Aria"]`},
		{"Jane/Personal & Account/weight-2022-04-01.json", `[{"logId":7,"weight":149,"date":"04/01/22"}]`},
	}
	for reader, read := range readBoth(t, files, ExportLimits{}) {
		t.Run(reader, func(t *testing.T) {
			exp, err := read()
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, l := range exp.Logs {
				ids = append(ids, l.LogID)
			}
			if diff := cmp.Diff([]int64{4, 7}, ids); diff != "" {
				t.Errorf("logIds kept (-want +got):\n%s", diff)
			}
			if got, want := len(exp.Problems), 3; got != want {
				t.Fatalf("got %d problems, want %d: %v", got, want, exp.Problems)
			}
			wants := []struct {
				file string
				kind error
				text []string
			}{
				{"weight-2022-01-01.json", ErrExportFile, []string{"malformed JSON"}},
				{"weight-2022-02-01.json", ErrExportFile, []string{"no list of weight records"}},
				{"weight-2022-03-01.json", ErrExportRecords, []string{
					"skipped records: 5 of 6 (",
					`record 1: date "02/30/22" is not a real date`,
					"record 2: weight 0 is out of range",
					"record 4: weight -3 is out of range",
					"2 more",
				}},
			}
			for i, w := range wants {
				p := exp.Problems[i]
				if !strings.HasSuffix(p.File, w.file) {
					t.Errorf("problem %d file = %q, want …%s", i, p.File, w.file)
				}
				if !errors.Is(p.Err, w.kind) {
					t.Errorf("problem %d = %v, want %v", i, p.Err, w.kind)
				}
				for _, s := range w.text {
					if !strings.Contains(p.Err.Error(), s) {
						t.Errorf("problem %d = %q, want it to say %q", i, p.Err, s)
					}
				}
			}
			// The two unparsable files were still read, so they are listed.
			if got, want := len(exp.Files), 4; got != want {
				t.Errorf("files = %v, want %d", exp.Files, want)
			}
		})
	}
}

func TestReadExportNotExport(t *testing.T) {
	files := []exportFile{
		{"Jane/Personal & Account/height-2022-08-01.json", heightsFile},
		{"Jane/Sleep/sleep-2022-08-01.json", "[]"},
	}
	for reader, read := range readBoth(t, files, ExportLimits{}) {
		t.Run(reader, func(t *testing.T) {
			if _, err := read(); !errors.Is(err, ErrNotExport) {
				t.Errorf("err = %v, want ErrNotExport", err)
			}
		})
	}
}
