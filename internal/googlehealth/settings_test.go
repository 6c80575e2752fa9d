package googlehealth

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestSettings(t *testing.T) {
	tests := []struct {
		name string
		body string
		want Settings
		zone string
	}{
		{"Pounds", `{"name":"users/me/settings","timeZone":"America/New_York","utcOffset":"-18000s","weightUnit":"WEIGHT_UNIT_POUNDS","heightUnit":"HEIGHT_UNIT_INCHES"}`,
			Settings{TimeZone: "America/New_York", UTCOffset: -5 * time.Hour, HasOffset: true, WeightUnit: "lb", HeightUnit: "ftin"}, "America/New_York"},
		{"Stone", `{"timeZone":"Europe/London","weightUnit":"WEIGHT_UNIT_STONE","heightUnit":"HEIGHT_UNIT_CENTIMETERS"}`,
			Settings{TimeZone: "Europe/London", WeightUnit: "st", HeightUnit: "cm"}, "Europe/London"},
		{"Kilograms", `{"weightUnit":"WEIGHT_UNIT_KILOGRAMS","utcOffset":"19800s"}`,
			Settings{WeightUnit: "kg", UTCOffset: 5*time.Hour + 30*time.Minute, HasOffset: true}, "+05:30"},
		{"Unspecified", `{"weightUnit":"WEIGHT_UNIT_UNSPECIFIED","heightUnit":"HEIGHT_UNIT_UNSPECIFIED"}`, Settings{}, ""},
		{"Empty", `{}`, Settings{}, ""},
		{"UnknownUnits", `{"weightUnit":"WEIGHT_UNIT_GRAINS","heightUnit":"HEIGHT_UNIT_CUBITS","timeZone":"Mars/Olympus_Mons","utcOffset":"99999999s"}`,
			Settings{Unknown: []string{"weightUnit", "heightUnit", "timeZone", "utcOffset"}}, ""},
		{"UnknownZoneKeepsOffset", `{"timeZone":"Local","utcOffset":"3600s"}`,
			Settings{UTCOffset: time.Hour, HasOffset: true, Unknown: []string{"timeZone"}}, "+01:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, f := serve(t, ok(tt.body))
			got, err := c.Settings(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Settings (-want +got):\n%s", diff)
			}
			if z := got.Zone(); z != tt.zone {
				t.Errorf("Zone() = %q, want %q", z, tt.zone)
			}
			if got, want := f.request(t, 0).URL.Path, "/v4/users/me/settings"; got != want {
				t.Errorf("path = %q, want %q", got, want)
			}
		})
	}
}

func TestSettingsRefused(t *testing.T) {
	c, _ := serve(t, answer{status: http.StatusForbidden, body: googleError(403, "PERMISSION_DENIED", "Request had insufficient authentication scopes.")})
	if _, err := c.Settings(context.Background()); !errors.Is(err, ErrForbidden) {
		t.Errorf("Settings without the scope = %v, want ErrForbidden", err)
	}
	c, _ = serve(t, ok(`[]`))
	if _, err := c.Settings(context.Background()); !errors.Is(err, ErrMalformed) {
		t.Errorf("Settings of an array = %v, want ErrMalformed", err)
	}
}
