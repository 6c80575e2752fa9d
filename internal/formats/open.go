package formats

import (
	"fmt"
	"io"
	"time"

	"github.com/bodystats/bodystats/internal/formats/applehealth"
	"github.com/bodystats/bodystats/internal/formats/garmin"
	"github.com/bodystats/bodystats/internal/formats/googlefit"
	"github.com/bodystats/bodystats/internal/formats/openscale"
	"github.com/bodystats/bodystats/internal/formats/renpho"
	"github.com/bodystats/bodystats/internal/formats/samsung"
	"github.com/bodystats/bodystats/internal/formats/withings"
	"github.com/bodystats/bodystats/internal/formats/zepp"
)

// Open returns a Reader of format f over r, a bare file (for a zip use OpenZip). Formats read elsewhere give
// an error wrapping ErrOtherReader.
func Open(f Format, r io.Reader) (Reader, error) { return OpenIn(f, r, nil) }

// OpenIn is Open with the zone that turns UTC-only instants into clock readings (time.Local when nil).
func OpenIn(f Format, r io.Reader, loc *time.Location) (Reader, error) {
	switch f {
	case AppleHealth:
		return applehealth.NewReader(r), nil
	case Withings:
		return withings.NewReader(r), nil
	case Garmin:
		return garmin.NewReaderIn(r, loc), nil
	case GarminCSV:
		return garmin.NewCSVReader(r), nil
	case Samsung:
		return samsung.NewReaderIn(r, loc), nil
	case GoogleFit:
		return googlefit.NewReaderIn(r, loc), nil
	case Renpho:
		return renpho.NewReader(r), nil
	case Zepp:
		return zepp.NewReaderIn(r, loc), nil
	case OpenScale:
		return openscale.NewReader(r), nil
	}
	return nil, fmt.Errorf("formats: %s: %w", f.Name, ErrOtherReader)
}
