package emulator

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

const (
	demoUserID   = "7BDEMO"
	demoTimeZone = "Europe/London"
	demoHeightCm = 178.0
)

// history is the demo user's generated record.
type history struct {
	logs        []WeightLog
	memberSince time.Time
	goalKg      float64
}

// Stream kinds: each kind of draw has its own PCG stream per (seed, date or block), so adding a draw of one
// kind never shifts another.
const (
	streamSeed  = 0x626f647973746174 // "bodystat": the per-seed shape of the curve
	streamDay   = 1                  // a day's skip, time, manual and fat draws
	streamNoise = 2                  // a day's water-and-food swing
	streamGap   = 3                  // a block's holiday or flat battery
)

const (
	noiseMemory = 10 // days of noise that still reach a date; 0.6^10 is below 1%
	gapBlock    = 60 // days per block, counted from 1970-01-01; each block holds at most one gap
)

// generateHistory serves the weigh-ins of the window [today - years + 1 day, today] (today is a civil date at
// midnight UTC). A date's weigh-ins are a pure function of (seed, date): neither today nor years changes them,
// so the history a client synced yesterday is still true today, as with a real provider. cutoff, unless zero,
// is the clock: weigh-ins whose local time (cutoff's wall clock in its own location) is later have not happened
// yet and are left out.
func generateHistory(seed int64, years int, today, cutoff time.Time, heightCm float64) history {
	c := newCurve(seed)
	start := today.AddDate(-years, 0, 1)
	first, last := dayNumber(start), dayNumber(today)
	var until time.Time
	if !cutoff.IsZero() {
		y, m, d := cutoff.Date()
		h, mi, s := cutoff.Clock()
		until = time.Date(y, m, d, h, mi, s, cutoff.Nanosecond(), time.UTC)
	}

	// eps[i] is day (first - noiseMemory + 1 + i)'s own swing; a day's noise is the decayed sum of its last
	// noiseMemory swings, the short-memory walk started from zero a fixed distance back, so it depends on the
	// date alone.
	eps := make([]float64, int(last-first)+noiseMemory)
	for i := range eps {
		eps[i] = stream(seed, streamNoise, first-noiseMemory+1+int64(i)).NormFloat64() * 0.28
	}

	var logs []WeightLog
	low := math.Inf(1)
	gapBlockNo, gapFrom, gapTo := int64(math.MinInt64), int64(0), int64(0)
	for n := first; n <= last; n++ {
		u := c.at(n)
		low = min(low, u)
		if b := floorDiv(n, gapBlock); b != gapBlockNo {
			gapBlockNo = b
			gapFrom, gapTo = blockGap(seed, b)
		}
		if n >= gapFrom && n < gapTo {
			continue
		}
		noise, decay := 0.0, 1.0
		for k := range noiseMemory {
			noise += decay * eps[int(n-first)+noiseMemory-1-k]
			decay *= 0.6
		}
		day := start.AddDate(0, 0, int(n-first))
		rng := stream(seed, streamDay, n)
		skip := 0.12
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			skip = 0.25
		}
		if rng.Float64() < skip {
			continue
		}
		if rng.Float64() < 0.05 {
			clock := 8 * 3600
			if rng.IntN(3) == 0 {
				clock = 23*3600 + 59*60 + 59 // what Fitbit records for an entry logged without a time
			}
			logs = append(logs, weighIn(day, clock, round(u+noise, 1), 0, false, "Web", heightCm))
			continue
		}
		morning := 6*3600 + rng.IntN(3*3600)
		logs = append(logs, weighIn(day, morning, round(u+noise, 1), fatFor(rng, u, c.base), true, "Aria", heightCm))
		if rng.Float64() < 0.03 {
			evening := 18*3600 + rng.IntN(4*3600)
			w := round(u+noise+0.5+rng.Float64()*0.8, 1)
			logs = append(logs, weighIn(day, evening, w, fatFor(rng, u, c.base), true, "Aria", heightCm))
		}
	}
	if !until.IsZero() {
		for len(logs) > 0 && time.UnixMilli(logs[len(logs)-1].LogID).UTC().After(until) {
			logs = logs[:len(logs)-1]
		}
	}
	return history{
		logs:        logs,
		memberSince: start.AddDate(0, 0, -c.joinedEarly),
		goalKg:      round(low-2, 0),
	}
}

// fatFor draws an Aria body-fat reading: about 24% at the base weight, moving half a point per kilogram.
func fatFor(rng *rand.Rand, underlying, base float64) float64 {
	return round(24+0.55*(underlying-base)+rng.NormFloat64()*0.6, 3)
}

func weighIn(day time.Time, secs int, kg, fat float64, hasFat bool, source string, heightCm float64) WeightLog {
	at := day.Add(time.Duration(secs) * time.Second)
	m := heightCm / 100
	return WeightLog{
		LogID:    at.UnixMilli(), // local wall clock read as UTC, as Fitbit's logIds are
		Date:     at.Format(dateLayout),
		Time:     fmt.Sprintf("%02d:%02d:%02d", secs/3600, secs/60%60, secs%60),
		WeightKg: kg,
		BMI:      round(kg/(m*m), 2),
		FatPct:   fat,
		HasFat:   hasFat,
		Source:   source,
	}
}

// curve is the smooth underlying weight as a function of the absolute date: slow waves whose sum reads as a
// person's story (a loss over a year or two, a plateau, a regain) in any window, plus a winter bulge.
type curve struct {
	base        float64
	waves       []wave
	winterPeak  float64 // day of the year (from 1 January) the yearly swing peaks
	winterAmp   float64
	joinedEarly int // days between joining Fitbit and the window's first day
}

type wave struct{ amp, period, phase float64 }

// newCurve draws the seed's curve. The amplitudes add up to at most about 11 kg around a base of 84-90 kg, so
// the weight stays between roughly 73 and 101 kg (BMI 23-32 at 178 cm), well inside 50-150 kg.
func newCurve(seed int64) *curve {
	rng := stream(seed, streamSeed, 0)
	w := func(amp, ampSpread, period, periodSpread float64) wave {
		return wave{
			amp:    amp + ampSpread*rng.Float64(),
			period: period + periodSpread*rng.Float64(),
			phase:  2 * math.Pi * rng.Float64(),
		}
	}
	return &curve{
		base: 84 + 6*rng.Float64(),
		waves: []wave{
			w(3, 2, 3*365.25, 365.25),       // the main loss and regain: 3-4 years
			w(1, 1, 440, 80),                // a shorter diet-and-relapse cycle of about 16 months
			w(1.5, 1.5, 7*365.25, 3*365.25), // a drift over 7-10 years, so a long window does not repeat itself
		},
		winterPeak:  float64(rng.IntN(45)) - 15, // mid December to the end of January
		winterAmp:   0.4 + 0.4*rng.Float64(),
		joinedEarly: 3 + rng.IntN(8),
	}
}

// at is the underlying weight on absolute day n (days since 1970-01-01).
func (c *curve) at(n int64) float64 {
	d := float64(n)
	kg := c.base + c.winterAmp*math.Cos(2*math.Pi*(d-c.winterPeak)/365.2425)
	for _, w := range c.waves {
		kg += w.amp * math.Sin(2*math.Pi*d/w.period+w.phase)
	}
	return kg
}

// blockGap returns block b's stretch without weigh-ins (a holiday, a flat battery) as absolute days [from, to),
// or an empty one. About one block in five has a gap of one to four weeks: three or four in three years.
func blockGap(seed int64, b int64) (from, to int64) {
	rng := stream(seed, streamGap, b)
	if rng.Float64() >= 0.2 {
		return 0, 0
	}
	length := 7 + rng.IntN(22)
	from = b*gapBlock + int64(rng.IntN(gapBlock-length+1))
	return from, from + int64(length)
}

// stream is the PCG for one (seed, kind, n). Both words go through a mixer so neighbouring days and seeds get
// unrelated streams.
func stream(seed int64, kind uint64, n int64) *rand.Rand {
	return rand.New(rand.NewPCG(mix(uint64(seed)), mix(mix(uint64(n))^kind)))
}

// mix is SplitMix64's finalizer.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// dayNumber is the civil date t (midnight UTC) as days since 1970-01-01.
func dayNumber(t time.Time) int64 { return floorDiv(t.Unix(), 86400) }

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}

func round(v float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(v*p) / p
}
