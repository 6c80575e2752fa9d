package emulator

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var historyToday = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC) } // 12:00 in London too

func TestHistoryDeterministic(t *testing.T) {
	a := New(Options{Now: fixedNow, Today: historyToday, Seed: 7})
	b := New(Options{Now: fixedNow, Today: historyToday, Seed: 7})
	if diff := cmp.Diff(a.WeightLogs(), b.WeightLogs()); diff != "" {
		t.Errorf("equal options gave different histories:\n%s", diff)
	}
	if a.User() != b.User() {
		t.Errorf("equal options gave different users: %+v, %+v", a.User(), b.User())
	}
	c := New(Options{Now: fixedNow, Today: historyToday, Seed: 8})
	if cmp.Equal(a.WeightLogs(), c.WeightLogs()) {
		t.Error("seeds 7 and 8 gave the same history")
	}
	// Today defaults to the user's date by Now, and then nothing later than Now is served; the zero seed means
	// seed 1.
	d := New(Options{Now: fixedNow})
	var want []WeightLog
	for _, l := range New(Options{Now: fixedNow, Today: historyToday, Seed: 1}).WeightLogs() {
		if l.Date+" "+l.Time <= "2026-11-20 12:00:00" {
			want = append(want, l)
		}
	}
	if diff := cmp.Diff(want, d.WeightLogs()); diff != "" {
		t.Errorf("defaults differ from Seed 1 and Today = Now's date up to Now (-want +got):\n%s", diff)
	}
}

func TestWeightLogsIsACopy(t *testing.T) {
	e := New(Options{Now: fixedNow})
	logs := e.WeightLogs()
	logs[0].WeightKg = -1
	if e.WeightLogs()[0].WeightKg == -1 {
		t.Error("changing the returned slice changed the emulator's history")
	}
}

// byDate groups a history's weigh-ins by date.
func byDate(logs []WeightLog) map[string][]WeightLog {
	m := map[string][]WeightLog{}
	for _, l := range logs {
		m[l.Date] = append(m[l.Date], l)
	}
	return m
}

// A date's weigh-ins never change when the window moves or grows, so a client that syncs again sees the same
// logIds for the days it already has.
func TestHistoryStableAcrossWindows(t *testing.T) {
	tests := []struct {
		name             string
		todayA, todayB   time.Time
		yearsA, yearsB   int
		overlapFrom, end time.Time // shared dates
	}{
		{"next day", historyToday, historyToday.AddDate(0, 0, 1), 3, 3, historyToday.AddDate(-3, 0, 2), historyToday},
		{"3 and 5 years", historyToday, historyToday, 3, 5, historyToday.AddDate(-3, 0, 1), historyToday},
		{"a month later", historyToday, historyToday.AddDate(0, 1, 0), 1, 1, historyToday.AddDate(-1, 1, 1), historyToday},
	}
	for _, tt := range tests {
		for _, seed := range []int64{1, 2, 42} {
			a := byDate(generateHistory(seed, tt.yearsA, tt.todayA, time.Time{}, demoHeightCm).logs)
			b := byDate(generateHistory(seed, tt.yearsB, tt.todayB, time.Time{}, demoHeightCm).logs)
			shared := 0
			for d := tt.overlapFrom; !d.After(tt.end); d = d.AddDate(0, 0, 1) {
				k := d.Format(dateLayout)
				if diff := cmp.Diff(a[k], b[k]); diff != "" {
					t.Errorf("%s, seed %d: weigh-ins on %s differ (-a +b):\n%s", tt.name, seed, k, diff)
				}
				shared += len(a[k])
			}
			if shared < 100 {
				t.Errorf("%s, seed %d: %d weigh-ins on shared dates; the test proves little", tt.name, seed, shared)
			}
		}
	}
}

func TestHistoryCutoff(t *testing.T) {
	london, err := time.LoadLocation(demoTimeZone)
	if err != nil {
		t.Fatal(err)
	}
	cutOnce := false
	// Summer days: 07:00 in London is 06:00 UTC, so a cutoff read as UTC instead of local time shows.
	for day := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC); day.Month() == time.July; day = day.AddDate(0, 0, 1) {
		cutoff := time.Date(day.Year(), day.Month(), day.Day(), 7, 0, 0, 0, london)
		full := generateHistory(1, 1, day, time.Time{}, demoHeightCm).logs
		var want []WeightLog
		for _, l := range full {
			if l.Date+" "+l.Time <= day.Format(dateLayout)+" 07:00:00" {
				want = append(want, l)
			}
		}
		got := generateHistory(1, 1, day, cutoff, demoHeightCm).logs
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("today %s, cutoff 07:00 (-want +got):\n%s", day.Format(dateLayout), diff)
		}
		cutOnce = cutOnce || len(want) < len(full)
	}
	if !cutOnce {
		t.Error("no day in July had a weigh-in after 07:00; the test proves nothing")
	}
}

func TestHistoryPlausible(t *testing.T) {
	for _, tt := range []struct {
		seed  int64
		years int
	}{{1, 3}, {2, 3}, {3, 3}, {4, 3}, {5, 3}, {6, 3}, {7, 1}, {8, 1}, {9, 10}, {42, 10}, {-9, 3}} {
		e := New(Options{Now: fixedNow, Today: historyToday, Seed: tt.seed, Years: tt.years})
		logs := e.WeightLogs()
		windowStart := historyToday.AddDate(-tt.years, 0, 1)
		first, _ := time.Parse(dateLayout, logs[0].Date)
		last, _ := time.Parse(dateLayout, logs[len(logs)-1].Date)
		since, _ := time.Parse(dateLayout, e.User().MemberSince)
		if first.Before(windowStart) || last.After(historyToday) {
			t.Errorf("seed %d: weigh-ins %s to %s, want inside %s to %s", tt.seed, logs[0].Date, logs[len(logs)-1].Date,
				windowStart.Format(dateLayout), historyToday.Format(dateLayout))
		}
		if d := windowStart.Sub(since).Hours() / 24; d < 3 || d > 10 {
			t.Errorf("seed %d: memberSince %s is %v days before the window, want 3-10", tt.seed, e.User().MemberSince, d)
		}

		ids := map[int64]bool{}
		var web, gaps, twice int
		lo, hi := logs[0].WeightKg, logs[0].WeightKg
		for i, l := range logs {
			lo, hi = min(lo, l.WeightKg), max(hi, l.WeightKg)
			at, err := time.Parse(dateLayout+" 15:04:05", l.Date+" "+l.Time)
			if err != nil || at.UnixMilli() != l.LogID {
				t.Errorf("seed %d: logId %d for %s %s, want the local time read as UTC in ms", tt.seed, l.LogID, l.Date, l.Time)
			}
			if ids[l.LogID] {
				t.Errorf("seed %d: logId %d twice", tt.seed, l.LogID)
			}
			ids[l.LogID] = true
			if l.WeightKg < 50 || l.WeightKg > 150 || l.WeightKg != round(l.WeightKg, 1) {
				t.Errorf("seed %d: weight %v, want 50-150 kg in 0.1 kg steps", tt.seed, l.WeightKg)
			}
			if want := round(l.WeightKg/(1.78*1.78), 2); l.BMI != want {
				t.Errorf("seed %d: BMI %v for %v kg, want %v", tt.seed, l.BMI, l.WeightKg, want)
			}
			switch l.Source {
			case "Aria":
				if !l.HasFat || l.FatPct < 5 || l.FatPct > 50 {
					t.Errorf("seed %d: Aria entry with fat %v (has %v), want 5-50%%", tt.seed, l.FatPct, l.HasFat)
				}
			case "Web":
				web++
				if l.HasFat || l.FatPct != 0 || (l.Time != "08:00:00" && l.Time != "23:59:59") {
					t.Errorf("seed %d: manual entry %+v, want no fat and a round time", tt.seed, l)
				}
			default:
				t.Errorf("seed %d: source %q", tt.seed, l.Source)
			}
			if i == 0 {
				continue
			}
			prev := logs[i-1]
			if prev.Date+prev.Time >= l.Date+l.Time {
				t.Errorf("seed %d: %s %s after %s %s, want sorted", tt.seed, l.Date, l.Time, prev.Date, prev.Time)
			}
			if prev.Date == l.Date {
				twice++
			}
			p, _ := time.Parse(dateLayout, prev.Date)
			d, _ := time.Parse(dateLayout, l.Date)
			if d.Sub(p) > 7*24*time.Hour { // seven or more days without a weigh-in
				gaps++
			}
		}
		if share := float64(web) / float64(len(logs)); share < 0.02 || share > 0.09 {
			t.Errorf("seed %d: %d manual entries of %d, want about 5%%", tt.seed, web, len(logs))
		}
		days := historyToday.Sub(windowStart).Hours()/24 + 1
		if n := float64(len(ids)); n < 0.6*days || n > days {
			t.Errorf("seed %d: %v weigh-ins over %v days, want most mornings", tt.seed, n, days)
		}
		if gaps > 4*tt.years {
			t.Errorf("seed %d: %d gaps of a week or more in %d years, want a few", tt.seed, gaps, tt.years)
		}
		if tt.years < 3 {
			continue
		}
		if gaps == 0 {
			t.Errorf("seed %d: no gap of a week or more in %d years", tt.seed, tt.years)
		}
		if twice == 0 {
			t.Errorf("seed %d: no day with two weigh-ins in %d years", tt.seed, tt.years)
		}
		if hi-lo < 4 {
			t.Errorf("seed %d: weights %v-%v kg over %d years, want losses and regains of several kg", tt.seed, lo, hi, tt.years)
		}
	}
}

func BenchmarkGenerateHistory10Years(b *testing.B) {
	for b.Loop() {
		generateHistory(1, 10, historyToday, time.Time{}, demoHeightCm)
	}
}
