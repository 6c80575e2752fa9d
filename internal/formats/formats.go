// Package formats recognises and reads the export files of health apps: it sniffs a file's format from its
// first bytes (or a zip's entry names and first bytes) and opens a streaming Reader of Records for it.
//
// Readers report what the file says. They refuse only what they cannot read: a parse error of one record is
// a *RowError (the reader goes on), a structural problem ends the reading with an error wrapping
// ErrTruncated, ErrMalformed, ErrLimit or ErrUnknownFormat, after the records read before it. Values out of
// range (0 or 900 kg, fat above 75 %, dates before 1900 or in the future) are handed out as records, so the
// importer can count them as skipped with a reason; the one exception is that no reader ever hands out NaN,
// Inf or a negative value. When Record.Unit is "" the file did not say its unit and WeightKg holds the number
// as written, for the importer to detect; otherwise WeightKg is in kilograms, converted from Unit.
//
// Files given as UTC instants only (Garmin JSON, Zepp Life, Google Fit, Samsung rows without time_offset)
// become clock readings in the zone OpenIn is given (the machine's zone with Open); OffsetKnown is then set,
// so Date+Clock-Offset is the exact instant. Files of local times without a zone (Withings, Renpho, Garmin
// CSV, openScale) leave OffsetKnown false.
package formats

import (
	"errors"

	"github.com/bodystats/bodystats/internal/formats/applehealth"
	"github.com/bodystats/bodystats/internal/formats/core"
	"github.com/bodystats/bodystats/internal/formats/garmin"
	"github.com/bodystats/bodystats/internal/formats/googlefit"
	"github.com/bodystats/bodystats/internal/formats/openscale"
	"github.com/bodystats/bodystats/internal/formats/renpho"
	"github.com/bodystats/bodystats/internal/formats/samsung"
	"github.com/bodystats/bodystats/internal/formats/withings"
	"github.com/bodystats/bodystats/internal/formats/zepp"
)

// The shared types, defined in package core so the readers can use them without importing this package.
type (
	Record   = core.Record
	Reader   = core.Reader
	Format   = core.Format
	RowError = core.RowError
)

// Errors for errors.Is.
var (
	ErrTruncated     = core.ErrTruncated
	ErrMalformed     = core.ErrMalformed
	ErrUnknownFormat = core.ErrUnknownFormat
	ErrLimit         = core.ErrLimit
	ErrUnsafe        = core.ErrUnsafe
	ErrEncrypted     = core.ErrEncrypted
	// ErrOtherReader: the format is recognised here but read by another package (internal/fitbit, internal/bodycsv).
	ErrOtherReader = errors.New("formats: this format is read by another package")
)

// The formats Sniff knows. The first group has readers here; FitbitExport is read by internal/fitbit,
// BodystatsCSV and GenericCSV by internal/bodycsv; Zip means "call SniffZip".
var (
	AppleHealth = applehealth.Format
	Withings    = withings.Format
	Garmin      = garmin.Format
	GarminCSV   = garmin.CSVFormat
	Samsung     = samsung.Format
	GoogleFit   = googlefit.Format
	Renpho      = renpho.Format
	Zepp        = zepp.Format
	OpenScale   = openscale.Format

	FitbitExport = Format{ID: "fitbit-export", Name: "Fitbit account export or Google Takeout"}
	BodystatsCSV = Format{ID: "bodystats-csv", Name: "bodystats CSV export"}
	GenericCSV   = Format{ID: "generic-csv", Name: "CSV with date and weight columns"}
	Zip          = Format{ID: "zip", Name: "zip archive"}
)

// All lists every format Sniff and SniffZip can return.
func All() []Format {
	return []Format{AppleHealth, Withings, Garmin, GarminCSV, Samsung, GoogleFit, Renpho, Zepp, OpenScale,
		FitbitExport, BodystatsCSV, GenericCSV, Zip}
}
