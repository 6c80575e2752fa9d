package googlehealth

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Settings is the part of the user's settings the app uses. A value this code does not know (Google adds enum
// values) is left unknown and named in Unknown, never an error: the account then keeps what it had.
type Settings struct {
	TimeZone   string        // IANA name, e.g. "Europe/London"; "" unset or not a zone this host knows
	UTCOffset  time.Duration // the user's offset from UTC now
	HasOffset  bool          // UTCOffset was given
	WeightUnit string        // "kg", "lb" or "st"; "" unset or unknown
	HeightUnit string        // "cm" or "ftin"; "" unset or unknown
	Unknown    []string      // the fields whose value was not understood, e.g. "weightUnit"
}

// Zone is the account's zone as the settings give it: the IANA name, else the UTC offset ("+01:00"), else "".
func (s Settings) Zone() string {
	switch {
	case s.TimeZone != "":
		return s.TimeZone
	case s.HasOffset:
		return formatOffset(s.UTCOffset)
	}
	return ""
}

var (
	weightUnits = map[string]string{"WEIGHT_UNIT_KILOGRAMS": "kg", "WEIGHT_UNIT_POUNDS": "lb", "WEIGHT_UNIT_STONE": "st"}
	heightUnits = map[string]string{"HEIGHT_UNIT_CENTIMETERS": "cm", "HEIGHT_UNIT_INCHES": "ftin"}
)

// Settings returns the signed-in user's settings (GET /v4/users/me/settings). Google files this under its own
// scope, googlehealth.settings.readonly; without it the answer is a 403 (ErrForbidden).
func (c *Client) Settings(ctx context.Context) (Settings, error) {
	var body struct {
		TimeZone   string `json:"timeZone"`
		UTCOffset  string `json:"utcOffset"`
		WeightUnit string `json:"weightUnit"`
		HeightUnit string `json:"heightUnit"`
	}
	if err := c.get(ctx, "/v4/users/me/settings", &body); err != nil {
		return Settings{}, fmt.Errorf("googlehealth: settings: %w", err)
	}
	var s Settings
	enum := func(field, v string, known map[string]string) string {
		if u, ok := known[v]; ok {
			return u
		}
		if v != "" && !strings.HasSuffix(v, "_UNSPECIFIED") {
			s.Unknown = append(s.Unknown, field)
		}
		return ""
	}
	s.WeightUnit = enum("weightUnit", body.WeightUnit, weightUnits)
	s.HeightUnit = enum("heightUnit", body.HeightUnit, heightUnits)
	if body.TimeZone != "" {
		if _, err := time.LoadLocation(body.TimeZone); err == nil && body.TimeZone != "Local" {
			s.TimeZone = body.TimeZone
		} else {
			s.Unknown = append(s.Unknown, "timeZone")
		}
	}
	if body.UTCOffset != "" {
		if off, ok := parseDuration(body.UTCOffset); ok && off >= -maxOffset && off <= maxOffset {
			s.UTCOffset, s.HasOffset = off, true
		} else {
			s.Unknown = append(s.Unknown, "utcOffset")
		}
	}
	return s, nil
}

// formatOffset writes a UTC offset as a zone the store keeps: "+01:00", "-05:30".
func formatOffset(d time.Duration) string {
	return time.Unix(0, 0).In(time.FixedZone("", int(d.Seconds()))).Format("-07:00")
}
