package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"github.com/bodystats/bodystats/internal/body"
	"github.com/bodystats/bodystats/internal/bodycsv"
	"github.com/bodystats/bodystats/internal/fitbit"
	"github.com/bodystats/bodystats/internal/store"
)

// importExport stores a Fitbit account archive or Takeout export. Its weigh-ins keep Fitbit's logId, which the
// Web API reports too, so a later (or earlier) sync of the same account merges with them.
func importExport(ctx context.Context, db *store.DB, kind string, exp fitbit.Export, fp string, opts Options) (Summary, error) {
	sum := Summary{Kind: kind}
	index := map[string]int{}
	for _, f := range exp.Files {
		index[f] = len(sum.Files)
		sum.Files = append(sum.Files, FileSummary{File: f})
	}
	for _, p := range exp.Problems {
		i, ok := index[p.File]
		if !ok {
			i = len(sum.Files)
			index[p.File] = i
			sum.Files = append(sum.Files, FileSummary{File: p.File})
		}
		sum.Files[i].Skipped++
		sum.Files[i].Problems = append(sum.Files[i].Problems, p.Err.Error())
	}

	heightCm := latestHeightCm(exp.Heights)
	sum.Unit, sum.UnitReason = opts.Unit, "you chose it"
	if sum.Unit == "" {
		rs := make([]reading, len(exp.Logs))
		for i, l := range exp.Logs {
			rs[i] = reading{weight: l.Weight, bmi: l.BMI}
		}
		sum.Unit, sum.UnitReason = detectUnit(rs, heightCm, fitbitExport)
	}

	acct, err := importAccount(ctx, db)
	if err != nil {
		return Summary{}, fmt.Errorf("importer: %w", err)
	}
	if opts.Progress != nil {
		opts.Progress.found.Store(int64(len(exp.Logs)))
	}
	today := startOfToday(time.Now())
	sks := make([]skips, len(sum.Files))
	ms := make([]store.Measurement, 0, len(exp.Logs))
	fileOf := make([]int, 0, len(exp.Logs))
	for _, l := range exp.Logs {
		m := store.Measurement{
			Provider: AccountProvider, Date: l.Date, Time: l.Time,
			WeightKg: body.ToKg(l.Weight, sum.Unit), FatPct: l.Fat, BMI: l.BMI, Source: l.Source,
			LogID: l.LogID, Method: store.MethodImport,
		}
		if l.LogID != 0 {
			m.ExternalID = "fitbit-log:" + strconv.FormatInt(l.LogID, 10)
		} else {
			m.ExternalID = "fitbit-export:" + contentID(l.Date, l.Time, strconv.FormatFloat(l.Weight, 'f', -1, 64))
		}
		if m.Source == "" {
			m.Source = "Fitbit export"
		}
		if why := check(&m, today); why != "" {
			sks[index[l.File]].add(why, l.File+": "+describe(m)+": "+why)
			continue
		}
		ms = append(ms, m)
		fileOf = append(fileOf, index[l.File])
	}
	for i := range sum.Files {
		sum.Files[i].Format, sum.Files[i].Unit, sum.Files[i].UnitReason = kind, sum.Unit, sum.UnitReason
		sks[i].fill(&sum.Files[i])
	}
	if err := storeBatch(ctx, db, &sum, ms, fileOf, fp, opts); err != nil {
		return Summary{}, err
	}
	if heightCm > 0 && acct.HeightCm == 0 {
		if err := db.SetHeight(ctx, acct.ID, heightCm); err != nil {
			return Summary{}, fmt.Errorf("importer: %w", err)
		}
	}
	return sum, nil
}

// latestHeightCm returns the newest height reading in centimetres (the reader reports millimetres), or 0.
func latestHeightCm(hs []fitbit.ExportHeight) float64 {
	var latest fitbit.ExportHeight
	for _, h := range hs {
		if h.Date >= latest.Date {
			latest = h
		}
	}
	return latest.Value / 10
}

// importCSV stores a CSV file: the app's own export keeps its provider, external id and kilograms, so an export
// imported into an empty database exports again byte for byte; a generic file's rows get ids from their content,
// so importing it twice adds nothing.
func importCSV(ctx context.Context, db *store.DB, file bodycsv.File, fp string, opts Options) (Summary, error) {
	sum := Summary{Kind: "CSV", Files: []FileSummary{{File: "CSV file"}}}
	if opts.Name != "" {
		sum.Files[0].File = opts.Name
	}
	if file.Format == bodycsv.FormatOwn {
		sum.Kind = "bodystats CSV export"
	}
	sum.Files[0].Format = sum.Kind
	for _, p := range file.Problems {
		sum.Files[0].Skipped++
		sum.Files[0].Problems = append(sum.Files[0].Problems, fmt.Sprintf("line %d: %v", p.Line, p.Err))
	}

	switch {
	case file.Format == bodycsv.FormatOwn:
		sum.Unit, sum.UnitReason = body.Kilograms, "the bodystats export is always in kilograms"
	case opts.Unit != "":
		sum.Unit, sum.UnitReason = opts.Unit, "you chose it"
	case file.Unit != "":
		sum.Unit, sum.UnitReason = file.Unit, "the file's header names it"
	default:
		var rs []reading
		for _, r := range file.Rows {
			if r.Unit == "" {
				rs = append(rs, reading{weight: r.Weight, bmi: r.BMI})
			}
		}
		sum.Unit, sum.UnitReason = detectUnit(rs, 0, weightFile)
	}

	today := startOfToday(time.Now())
	var sk skips
	ms := make([]store.Measurement, 0, len(file.Rows))
	for _, r := range file.Rows {
		unit := sum.Unit
		if r.Unit != "" && file.Format != bodycsv.FormatOwn && opts.Unit == "" {
			unit = r.Unit // a unit column names each row's unit
		}
		m := store.Measurement{
			Provider: AccountProvider, Date: r.Date, Time: r.Time, WeightKg: body.ToKg(r.Weight, unit),
			FatPct: r.FatPct, BMI: r.BMI, Source: r.Source, Method: store.MethodImport,
		}
		if file.Format == bodycsv.FormatOwn {
			m.Provider, m.ExternalID = r.Provider, r.ExternalID
			if r.Provider == "fitbit" || r.Provider == "fitbit-oauth1" {
				m.LogID, _ = strconv.ParseInt(r.ExternalID, 10, 64)
			}
		} else {
			m.ExternalID = "csv:" + contentID(r.Date, r.Time, strconv.FormatFloat(r.Weight, 'f', -1, 64), string(unit))
			if m.Source == "" {
				m.Source = "CSV import"
			}
		}
		if why := check(&m, today); why != "" {
			sk.add(why, describe(m)+": "+why)
			continue
		}
		ms = append(ms, m)
	}
	sum.Files[0].Unit, sum.Files[0].UnitReason = sum.Unit, sum.UnitReason
	sk.fill(&sum.Files[0])
	if err := storeBatch(ctx, db, &sum, ms, make([]int, len(ms)), fp, opts); err != nil {
		return Summary{}, err
	}
	return sum, nil
}

// contentID names a record by what it says, for sources without ids of their own.
func contentID(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:20]
}
