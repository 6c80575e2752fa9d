package googlehealth

import (
	"strings"
	"unicode"

	"github.com/bodystats/bodystats/internal/provider"
)

// wireSource is a data point's DataSource: which platform uploaded it, how it was recorded, and the device or
// app behind it.
type wireSource struct {
	Platform        string `json:"platform"`
	RecordingMethod string `json:"recordingMethod"`
	Device          *struct {
		DisplayName  string `json:"displayName"`
		Manufacturer string `json:"manufacturer"`
		FormFactor   string `json:"formFactor"`
	} `json:"device"`
	Application *struct {
		PackageName string `json:"packageName"`
	} `json:"application"`
}

// platforms names the platforms that relay what other apps and devices recorded, as the source label starts.
// FITBIT is absent: it is the Aria's own platform (the Fitbit app and its devices).
var platforms = map[string]string{
	"HEALTH_CONNECT":             "Health Connect",
	"HEALTH_KIT":                 "Apple Health",
	"FIT":                        "Google Fit",
	"FITBIT_WEB_API":             "Fitbit Web API",
	"NEST":                       "Nest",
	"GOOGLE_WEB_API":             "Google Health API",
	"GOOGLE_PARTNER_INTEGRATION": "Google partner",
}

// apps names the Android packages most likely to write weigh-ins to Health Connect.
var apps = map[string]string{
	"com.withings.wiscale2":                 "Withings",
	"com.fitbit.FitbitMobile":               "Fitbit",
	"com.google.android.apps.fitness":       "Google Fit",
	"com.samsung.android.app.shealth":       "Samsung Health",
	"com.garmin.android.apps.connectmobile": "Garmin Connect",
	"com.qingniu.renpho":                    "Renpho",
	"com.eufylife.smarthome":                "Eufy",
	"com.xiaomi.wearable":                   "Mi Fitness",
	"com.myfitnesspal.android":              "MyFitnessPal",
}

// origin turns a data point's DataSource into the source label pages and the export show and the Method the
// merge ranks twins by: "manual" (Manual) for a weigh-in typed in; the scale's name (Device) for what a scale
// measured and the Fitbit platform reported; "<platform> · <maker or app>" (Copy) for what a platform relayed.
// An unknown platform or recording method is no error: Google adds enum values, and the reading is kept as a copy.
func origin(ds *wireSource) (string, provider.Method) {
	if ds == nil {
		return "Google Health", provider.Copy
	}
	if ds.RecordingMethod == "MANUAL" {
		return "manual", provider.Manual
	}
	var device, maker, form string
	if d := ds.Device; d != nil {
		device, maker, form = clean(d.DisplayName), clean(d.Manufacturer), d.FormFactor
	}
	app := ""
	if a := ds.Application; a != nil {
		app = appName(a.PackageName)
	}
	if relay, ok := platforms[ds.Platform]; ok {
		what := firstOf(maker, device, app)
		if what == "" {
			return relay, provider.Copy
		}
		return relay + " · " + what, provider.Copy
	}
	// FITBIT, PLATFORM_UNSPECIFIED, absent or a platform newer than this code: the device speaks for itself.
	label := firstOf(device, joinNonEmpty(maker, formName(form)), app)
	if label == "" {
		label = "Google Health"
	}
	measured := ds.RecordingMethod == "ACTIVELY_MEASURED" || ds.RecordingMethod == "PASSIVELY_MEASURED"
	if ds.Platform == "FITBIT" && form == "SCALE" && measured {
		return label, provider.Device
	}
	return label, provider.Copy
}

// formName is how a label names a device by its form factor when it has no name.
func formName(f string) string {
	switch f {
	case "SCALE":
		return "scale"
	case "WATCH":
		return "watch"
	case "PHONE":
		return "phone"
	case "FITNESS_BAND":
		return "tracker"
	case "RING":
		return "ring"
	}
	return ""
}

// appName names an Android package: a known app by its name, another by its package name.
func appName(pkg string) string {
	if n, ok := apps[pkg]; ok {
		return n
	}
	return clean(pkg)
}

// clean keeps a name Google passes on from a device or app fit for a label: printable, trimmed, at most 60
// characters.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if !unicode.IsPrint(r) {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > 60 {
		s = strings.TrimSpace(string(r[:60]))
	}
	return s
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func joinNonEmpty(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " " + b
}
