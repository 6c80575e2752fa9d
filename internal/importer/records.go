package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/bodystats/bodystats/internal/body"
	"github.com/bodystats/bodystats/internal/formats"
	"github.com/bodystats/bodystats/internal/store"
)

// ErrTruncated means the file ends in the middle of its data: it is refused whole (see readAll).
var ErrTruncated = formats.ErrTruncated

// fileRecords is what one file of a format gave: its records and the ones its reader could not read.
type fileRecords struct {
	name    string // as the summary shows it
	format  formats.Format
	records []formats.Record
	rowErrs []string
	unread  int
}

// readAll reads every record of r. A *RowError skips one record; any other error refuses the file, including
// a truncated one: its records before the cut are sound, but a cut file is almost always an interrupted
// download or copy, and importing its first part would leave a source that looks complete and is not. The
// person still has the whole export; importing it again once complete merges with nothing twice.
func readAll(ctx context.Context, r formats.Reader, fr *fileRecords, p *Progress) error {
	p.watch(r)
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("importer: %w", err)
		}
		rec, err := r.Next()
		if err == io.EOF {
			return nil
		}
		var rowErr *formats.RowError
		switch {
		case errors.As(err, &rowErr):
			fr.unread++
			if len(fr.rowErrs) < maxExamples {
				fr.rowErrs = append(fr.rowErrs, rowErr.Error())
			}
			continue
		case errors.Is(err, formats.ErrTruncated):
			return fmt.Errorf("importer: %s: %w after %d records; nothing was imported: import the complete file", fr.name, err, len(fr.records))
		case err != nil:
			return fmt.Errorf("importer: %s: %w; nothing was imported", fr.name, err)
		}
		fr.records = append(fr.records, rec)
		if !(r != nil && hasCounter(r)) {
			p.addFound()
		}
	}
}

func hasCounter(r any) bool { _, ok := r.(interface{ Found() int64 }); return ok }

// importRecords stores the records of one or more files of the formats readers as one source, in one
// transaction: unit detection where a file did not say, the checks of check, another person's weigh-ins (by
// the height the scale recorded) and repeats skipped with their reasons, the newest height kept.
func importRecords(ctx context.Context, db *store.DB, kind string, files []fileRecords, fp string, opts Options) (Summary, error) {
	sum := Summary{Kind: kind}
	known, err := db.KnownHeight(ctx)
	if err != nil {
		return Summary{}, fmt.Errorf("importer: %w", err)
	}
	person := personHeight(files, known)
	today := startOfToday(time.Now())
	var ms []store.Measurement
	var fileOf []int
	var newest struct {
		date, clock string
		cm          float64
	}
	seen := map[string][]float64{} // local minute → weights kept, across the import's files
	ids := map[string]bool{}
	for i, f := range files {
		fs := FileSummary{File: f.name, Format: f.format.Name}
		var sk skips
		for range f.unread {
			sk.add(ReasonUnreadable, "")
		}
		sk.examples = append(sk.examples, f.rowErrs...)
		unit, why := fileUnit(f.records, opts.Unit, person)
		fs.Unit, fs.UnitReason = unit, why
		for _, rec := range f.records {
			if rec.HeightCm > 0 && (rec.Date+rec.Clock > newest.date+newest.clock) &&
				(person == 0 || rec.WeightKg == 0 || math.Abs(rec.HeightCm-person) <= otherPersonCm) {
				newest.date, newest.clock, newest.cm = rec.Date, rec.Clock, rec.HeightCm
			}
			if rec.WeightKg == 0 {
				switch {
				case rec.FatPct != nil || rec.BMI != nil || rec.LeanKg != nil:
					sk.add(ReasonNoWeight, "")
				case rec.HeightCm == 0:
					sk.add(ReasonWeight, rec.Date+" "+rec.Clock+": a weight of 0")
				}
				continue // a height alone is not a weigh-in
			}
			m := measurement(f.format, rec, unit, opts.Unit)
			if why := check(&m, today); why != "" {
				sk.add(why, describe(m)+": "+why)
				continue
			}
			if person > 0 && rec.HeightCm > 0 && math.Abs(rec.HeightCm-person) > otherPersonCm {
				sk.add(ReasonOtherPerson, fmt.Sprintf("%s: height %.0f cm, yours %.0f cm", describe(m), rec.HeightCm, person))
				continue
			}
			minute := m.Date + " " + m.Time[:5]
			if ids[m.ExternalID] || near(seen[minute], m.WeightKg) {
				sk.add(ReasonRepeated, "")
				continue
			}
			ids[m.ExternalID] = true
			seen[minute] = append(seen[minute], m.WeightKg)
			ms = append(ms, m)
			fileOf = append(fileOf, i)
		}
		sk.fill(&fs)
		sum.Files = append(sum.Files, fs)
	}
	sum.Unit, sum.UnitReason = overallUnit(sum.Files)
	if err := storeBatch(ctx, db, &sum, ms, fileOf, fp, opts); err != nil {
		return Summary{}, err
	}
	if newest.cm > 0 && known == 0 {
		acct, err := importAccount(ctx, db)
		if err == nil {
			err = db.SetHeight(ctx, acct.ID, newest.cm)
		}
		if err != nil {
			return Summary{}, fmt.Errorf("importer: the weigh-ins were imported, the height was not: %w", err)
		}
	}
	return sum, nil
}

// measurement turns a record into a row of the import source.
func measurement(f formats.Format, rec formats.Record, unit body.Unit, chosen body.Unit) store.Measurement {
	kg := rec.WeightKg
	switch {
	case chosen != "" && rec.Unit != "":
		kg = body.ToKg(kg/body.ToKg(1, body.Unit(rec.Unit)), chosen) // the person overrides the file's unit
	case rec.Unit == "":
		kg = body.ToKg(kg, unit)
	}
	m := store.Measurement{
		Provider: AccountProvider, Date: rec.Date, Time: rec.Clock, WeightKg: kg, FatPct: rec.FatPct, BMI: rec.BMI,
		Source: rec.Device, Method: store.MethodImport,
	}
	if rec.OffsetKnown {
		m.TimeZone = offsetZone(rec.Offset)
	}
	id := rec.ExternalID
	if id == "" {
		id = contentID(rec.Date, rec.Clock, strconv.FormatFloat(kg, 'f', -1, 64), rec.Device)
	}
	if !strings.HasPrefix(id, f.ID+":") {
		id = f.ID + ":" + id
	}
	m.ExternalID = id
	if m.Source == "" {
		m.Source = f.Name
	}
	return m
}

// offsetZone writes seconds east of UTC as the store's "+HH:MM".
func offsetZone(sec int) string {
	sign := '+'
	if sec < 0 {
		sign, sec = '-', -sec
	}
	return fmt.Sprintf("%c%02d:%02d", sign, sec/3600, sec%3600/60)
}

func near(ws []float64, w float64) bool {
	for _, v := range ws {
		if math.Abs(v-w) <= store.MergeTolerance+1e-9 {
			return true
		}
	}
	return false
}

// personHeight is the height that tells the person's weigh-ins from another's on a shared scale (Zepp Life
// files mix a family's, each with the profile's height), or 0 when the files' weigh-ins carry no height or only
// one: then they are all the person's. Of several heights it is the one near the height already known, else
// the one most weigh-ins were taken at.
func personHeight(files []fileRecords, known float64) float64 {
	usual, lo, hi := usualHeight(files)
	if usual == 0 || hi-lo <= otherPersonCm {
		return 0
	}
	if known > 0 {
		for _, f := range files {
			for _, r := range f.records {
				if r.WeightKg > 0 && r.HeightCm > 0 && math.Abs(r.HeightCm-known) <= otherPersonCm {
					return known
				}
			}
		}
	}
	return usual
}

// usualHeight is the height most weigh-ins were taken at (to the centimetre), and the lowest and highest.
func usualHeight(files []fileRecords) (usual, lo, hi float64) {
	n := map[float64]int{}
	best, bestN := 0.0, 0
	lo, hi = math.Inf(1), 0
	for _, f := range files {
		for _, r := range f.records {
			if r.WeightKg > 0 && r.HeightCm > 0 {
				h := math.Round(r.HeightCm)
				lo, hi = min(lo, h), max(hi, h)
				n[h]++
				if n[h] > bestN || (n[h] == bestN && h < best) {
					best, bestN = h, n[h]
				}
			}
		}
	}
	return best, lo, hi
}
