package fitbit

import (
	"bytes"
	"errors"
	"math"
	"regexp"
	"sort"
	"strings"
	"testing"
)

var (
	isoDate   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	clockTime = regexp.MustCompile(`^\d{2}:\d{2}:\d{2}$`)
)

// checkLogs asserts what every caller may rely on, whatever the input: normalised dates and times, weights in
// range, no NaN, sorted output.
func checkLogs(t *testing.T, logs []ExportLog) {
	t.Helper()
	for _, l := range logs {
		if !isoDate.MatchString(l.Date) || !clockTime.MatchString(l.Time) {
			t.Fatalf("log %+v: date or time not normalised", l)
		}
		if math.IsNaN(l.Weight) || l.Weight < minExportWeight || l.Weight > maxExportWeight {
			t.Fatalf("log %+v: weight out of range", l)
		}
		if l.Fat != nil && (math.IsNaN(*l.Fat) || *l.Fat <= 0 || *l.Fat >= 100) {
			t.Fatalf("log %+v: fat %v out of range", l, *l.Fat)
		}
		if l.BMI != nil && (math.IsNaN(*l.BMI) || *l.BMI <= 0) {
			t.Fatalf("log %+v: BMI %v out of range", l, *l.BMI)
		}
		if l.LogID < 0 {
			t.Fatalf("log %+v: negative logId", l)
		}
	}
}

// checkProblem asserts that a problem is one short sentence of a known kind.
func checkProblem(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if !errors.Is(err, ErrExportFile) && !errors.Is(err, ErrExportRecords) {
		t.Fatalf("problem %q is of no known kind", err)
	}
	if msg := err.Error(); len(msg) > 1000 || strings.Contains(msg, "\n") {
		t.Fatalf("problem is not one short sentence: %q", msg)
	}
}

func FuzzParseWeightFile(f *testing.F) {
	f.Add([]byte(poundsFile))
	f.Add([]byte(kilosFile))
	f.Add([]byte(`[{"logId":"12","weight":"70.5","fat":0,"bmi":null,"date":"2/29/24","time":"7:05"}]`))
	f.Add([]byte(`{"weight":[{"weight":70,"date":"2022-08-08"}]}`))
	f.Add([]byte(`[{"weight":70,"date":"02/30/22"},{"weight":-1,"date":"01/01/22"},"x",null,[]]`))
	f.Add([]byte("\xef\xbb\xbf[]"))
	f.Add([]byte(`[{"weight":1e400,"date":"01/01/22","logId":1e30}]`))
	f.Add([]byte(`[{"weight`))
	f.Add([]byte(heightsFile))
	f.Fuzz(func(t *testing.T, data []byte) {
		logs, err := parseWeightFile(data)
		checkLogs(t, logs)
		checkProblem(t, err)
		hs, err := parseHeightFile(data)
		for _, h := range hs {
			if !isoDate.MatchString(h.Date) || !(h.Value > 0 && h.Value <= maxExportHeight) {
				t.Fatalf("height %+v out of range", h)
			}
		}
		checkProblem(t, err)
	})
}

func FuzzReadExportZip(f *testing.F) {
	valid := zipExport(f, []exportFile{
		{"Jane/Personal & Account/weight-2022-08-01.json", poundsFile},
		{"Jane/Personal & Account/height-2022-08-01.json", heightsFile},
		{takeoutDir + "weight-2022-09-01.json", kilosFile},
		{"Jane/Sleep/sleep-2022-08-01.json", "[]"},
	})
	f.Add(valid)
	f.Add(valid[:len(valid)/2])
	f.Add(valid[len(valid)/2:])
	f.Add(zipExport(f, []exportFile{{"weight-2022-08-01.json", `[{"weight":"x"}]`}}))
	f.Add(zipExport(f, []exportFile{{"../weight-2022-08-01.json", poundsFile}}))
	f.Add(zipExport(f, []exportFile{{takeoutDir + "weight-2022-08-01.json", strings.Repeat("\x00", 1<<16)}}))
	f.Add([]byte{})
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	lim := ExportLimits{MaxFiles: 50, MaxTotalBytes: 1 << 16, MaxFileBytes: 1 << 14}
	f.Fuzz(func(t *testing.T, data []byte) {
		exp, err := ReadExportZip(bytes.NewReader(data), int64(len(data)), lim)
		if err != nil {
			if len(exp.Logs)+len(exp.Files)+len(exp.Heights)+len(exp.Problems) != 0 {
				t.Fatalf("error %v came with data", err)
			}
			return
		}
		checkLogs(t, exp.Logs)
		if !sort.SliceIsSorted(exp.Logs, func(i, j int) bool {
			a, b := exp.Logs[i], exp.Logs[j]
			return a.Date+a.Time < b.Date+b.Time
		}) {
			t.Fatalf("logs not sorted")
		}
		seen := make(map[int64]bool)
		for _, l := range exp.Logs {
			if l.LogID != 0 && seen[l.LogID] {
				t.Fatalf("logId %d twice", l.LogID)
			}
			seen[l.LogID] = true
		}
		for _, p := range exp.Problems {
			checkProblem(t, p.Err)
		}
	})
}
