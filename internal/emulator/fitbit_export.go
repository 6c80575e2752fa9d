package emulator

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path"
	"time"
)

// ExportLayout is where an era's Fitbit data export keeps its weight files.
type ExportLayout string

// The layouts seen in the wild (reference §7).
const (
	LayoutUserSiteExport ExportLayout = "Sam/user-site-export"              // older account archives
	LayoutPersonal       ExportLayout = "SamSample/Personal & Account"      // the typical account archive
	LayoutTakeout        ExportLayout = "Takeout/Fitbit/Global Export Data" // Google Takeout
)

// ExportOptions shape a generated export.
type ExportOptions struct {
	Layout   ExportLayout
	Pounds   bool // weights in pounds with one decimal, as every real sample seen; else kilograms
	NoFat    bool // leave body fat out
	HeightMM int  // when > 0, add a height file with this height in millimetres
}

// exportRecord is one entry of a weight-YYYY-MM-DD.json file, as Fitbit writes it.
type exportRecord struct {
	LogID  int64    `json:"logId"`
	Weight float64  `json:"weight"`
	BMI    float64  `json:"bmi"`
	Fat    *float64 `json:"fat,omitempty"`
	Date   string   `json:"date"` // MM/DD/YY
	Time   string   `json:"time"`
	Source string   `json:"source,omitempty"`
}

// WriteExport writes logs as a Fitbit data export zip: one weight file per 31 days, named after its first day.
// Real personal data never goes into the repository; tests build their exports with this.
func WriteExport(w io.Writer, logs []WeightLog, opts ExportOptions) error {
	zw := zip.NewWriter(w)
	files := map[string][]exportRecord{}
	var order []string
	var first time.Time
	for i, l := range logs {
		day, err := time.Parse(dateLayout, l.Date)
		if err != nil {
			return fmt.Errorf("emulator: export: %w", err)
		}
		if i == 0 {
			first = day
		}
		start := first.AddDate(0, 0, int(day.Sub(first).Hours()/24)/31*31)
		name := path.Join(string(opts.Layout), "weight-"+start.Format(dateLayout)+".json")
		if _, ok := files[name]; !ok {
			order = append(order, name)
		}
		rec := exportRecord{LogID: l.LogID, Weight: l.WeightKg, BMI: l.BMI, Date: day.Format("01/02/06"), Time: l.Time, Source: l.Source}
		if opts.Pounds {
			rec.Weight = math.Round(l.WeightKg/0.45359237*10) / 10
		}
		if l.HasFat && !opts.NoFat {
			fat := l.FatPct
			rec.Fat = &fat
		}
		files[name] = append(files[name], rec)
	}
	for _, name := range order {
		if err := writeZipJSON(zw, name, files[name]); err != nil {
			return err
		}
	}
	if opts.HeightMM > 0 && len(logs) > 0 {
		name := path.Join(string(opts.Layout), "height-"+first.Format(dateLayout)+".json")
		h := []map[string]string{{"dateTime": first.Format("01/02/06") + " 00:00:00", "value": fmt.Sprint(opts.HeightMM)}}
		if err := writeZipJSON(zw, name, h); err != nil {
			return err
		}
	}
	return zw.Close()
}

func writeZipJSON(zw *zip.Writer, name string, v any) error {
	f, err := zw.Create(name)
	if err != nil {
		return fmt.Errorf("emulator: export %s: %w", name, err)
	}
	if err := json.NewEncoder(f).Encode(v); err != nil {
		return fmt.Errorf("emulator: export %s: %w", name, err)
	}
	return nil
}
