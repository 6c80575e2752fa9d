package emulator

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestGaps(t *testing.T) {
	gaps := []Gap{{From: "2025-03-01", To: "2025-06-30"}, {From: "2026-01-10", To: "2026-01-10"}}
	f := newFixture(t, Options{Today: historyToday, Gaps: gaps})
	full := New(Options{Today: historyToday})
	if got, want := f.emu.User().MemberSince, full.User().MemberSince; got != want {
		t.Errorf("MemberSince: got %s, want %s as without gaps", got, want)
	}

	var want []WeightLog
	inside := 0
	for _, l := range full.WeightLogs() {
		if inGap(l.Date, gaps) {
			inside++
			continue
		}
		want = append(want, l)
	}
	if inside < 60 {
		t.Fatalf("the full history has %d weigh-ins inside the gaps; the test proves little", inside)
	}
	logs := f.emu.WeightLogs()
	if diff := cmp.Diff(want, logs); diff != "" {
		t.Errorf("history with gaps is not the full one without the gaps' dates (-want +got):\n%s", diff)
	}
	// The weigh-ins nearest each edge of the long gap are kept.
	before, after := lastBefore(logs, "2025-03-01"), firstAfter(logs, "2025-06-30")
	if before < "2025-02-25" || after > "2025-07-04" {
		t.Errorf("nearest weigh-ins around the gap: %s and %s, want within a few days of its edges", before, after)
	}

	api := f.apiClient(t)
	var series struct {
		Points []seriesPoint `json:"body-weight"`
	}
	get(t, api, f.srv.URL+"/1/user/-/body/weight/date/2025-01-01/2026-02-28.json", "", &series)
	var gotDates, wantDates []string
	for _, p := range series.Points {
		gotDates = append(gotDates, p.DateTime)
	}
	for _, l := range logs {
		if l.Date >= "2025-01-01" && l.Date <= "2026-02-28" && !slices.Contains(wantDates, l.Date) {
			wantDates = append(wantDates, l.Date)
		}
	}
	if diff := cmp.Diff(wantDates, gotDates); diff != "" {
		t.Errorf("time series dates differ from the weigh-ins' (-want +got):\n%s", diff)
	}

	var body weightLogBody
	start, end := time.Date(2025, 2, 15, 0, 0, 0, 0, time.UTC), time.Date(2025, 3, 15, 0, 0, 0, 0, time.UTC)
	get(t, api, f.srv.URL+"/1/user/-/body/log/weight/date/2025-02-15/2025-03-15.json", "", &body)
	var ids []int64
	for _, w := range body.Weight {
		ids = append(ids, w.LogID)
	}
	if diff := cmp.Diff(logIDsBetween(f.emu, start, end, false), ids); diff != "" || len(ids) == 0 {
		t.Errorf("weight logs across the gap's start (-want +got):\n%s", diff)
	}
}

func TestGapsRefuseNonsense(t *testing.T) {
	for _, g := range []Gap{{"2025-06-30", "2025-03-01"}, {"2025-3-1", "2025-06-30"}, {"", ""}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New with gap %+v: no panic, want one", g)
				}
			}()
			New(Options{Today: historyToday, Years: 1, Gaps: []Gap{g}})
		}()
	}
}

func TestLongHistories(t *testing.T) {
	for _, years := range []int{10, 17} {
		e := New(Options{Now: fixedNow, Today: historyToday, Years: years})
		logs := e.WeightLogs()
		windowStart := historyToday.AddDate(-years, 0, 1).Format(dateLayout)
		if first := logs[0].Date; first < windowStart || first > historyToday.AddDate(-years, 2, 0).Format(dateLayout) {
			t.Errorf("%d years: first weigh-in %s, want within two months of %s", years, first, windowStart)
		}
		if n, days := len(logs), 365*years; n < days/2 || n > days*11/10 {
			t.Errorf("%d years: %d weigh-ins, want most of %d mornings", years, n, days)
		}
	}
}

func lastBefore(logs []WeightLog, date string) string {
	for i := len(logs) - 1; i >= 0; i-- {
		if logs[i].Date < date {
			return logs[i].Date
		}
	}
	return ""
}

func firstAfter(logs []WeightLog, date string) string {
	for _, l := range logs {
		if l.Date > date {
			return l.Date
		}
	}
	return "9999"
}

func BenchmarkNew17Years(b *testing.B) {
	for b.Loop() {
		New(Options{Now: fixedNow, Today: historyToday, Years: 17})
	}
}
