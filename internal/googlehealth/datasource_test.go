package googlehealth

import (
	"encoding/json"
	"testing"

	health "google.golang.org/api/health/v4"

	"github.com/bodystats/bodystats/internal/provider"
)

// TestOrigin: a DataSource, as Google's own type writes it, becomes the label pages and the export show and the
// Method the merge ranks twins by.
func TestOrigin(t *testing.T) {
	scale := func(name, maker string) *health.Device {
		return &health.Device{DisplayName: name, Manufacturer: maker, FormFactor: "SCALE"}
	}
	tests := []struct {
		name   string
		ds     *health.DataSource
		label  string
		method provider.Method
	}{
		{"Aria", &health.DataSource{Platform: "FITBIT", RecordingMethod: "ACTIVELY_MEASURED", Device: scale("Aria Air", "Fitbit")}, "Aria Air", provider.Device},
		{"AriaPassive", &health.DataSource{Platform: "FITBIT", RecordingMethod: "PASSIVELY_MEASURED", Device: scale("Aria 2", "Fitbit")}, "Aria 2", provider.Device},
		{"FitbitManual", &health.DataSource{Platform: "FITBIT", RecordingMethod: "MANUAL"}, "manual", provider.Manual},
		{"ManualWithDevice", &health.DataSource{Platform: "FITBIT", RecordingMethod: "MANUAL", Device: scale("Aria Air", "Fitbit")}, "manual", provider.Manual},
		{"HealthConnectWithings", &health.DataSource{Platform: "HEALTH_CONNECT", RecordingMethod: "ACTIVELY_MEASURED", Device: scale("Body+", "Withings"),
			Application: &health.Application{PackageName: "com.withings.wiscale2"}}, "Health Connect · Withings", provider.Copy},
		{"HealthConnectAppOnly", &health.DataSource{Platform: "HEALTH_CONNECT", Application: &health.Application{PackageName: "com.withings.wiscale2"}}, "Health Connect · Withings", provider.Copy},
		{"HealthConnectUnknownApp", &health.DataSource{Platform: "HEALTH_CONNECT", Application: &health.Application{PackageName: "org.example.scale"}}, "Health Connect · org.example.scale", provider.Copy},
		{"HealthConnectManual", &health.DataSource{Platform: "HEALTH_CONNECT", RecordingMethod: "MANUAL", Application: &health.Application{PackageName: "com.myfitnesspal.android"}}, "manual", provider.Manual},
		{"HealthKit", &health.DataSource{Platform: "HEALTH_KIT", RecordingMethod: "ACTIVELY_MEASURED", Device: scale("", "Withings")}, "Apple Health · Withings", provider.Copy},
		{"HealthConnectBare", &health.DataSource{Platform: "HEALTH_CONNECT"}, "Health Connect", provider.Copy},
		{"GoogleFit", &health.DataSource{Platform: "FIT", RecordingMethod: "UNKNOWN"}, "Google Fit", provider.Copy},
		{"OtherAppViaWebAPI", &health.DataSource{Platform: "FITBIT_WEB_API", RecordingMethod: "ACTIVELY_MEASURED", Device: scale("Smart Scale", "Renpho")}, "Fitbit Web API · Renpho", provider.Copy},
		{"Derived", &health.DataSource{Platform: "FITBIT", RecordingMethod: "DERIVED", Device: scale("Aria Air", "Fitbit")}, "Aria Air", provider.Copy},
		{"FitbitWatch", &health.DataSource{Platform: "FITBIT", RecordingMethod: "ACTIVELY_MEASURED", Device: &health.Device{DisplayName: "Pixel Watch 3", FormFactor: "WATCH"}}, "Pixel Watch 3", provider.Copy},
		{"UnnamedScale", &health.DataSource{Platform: "FITBIT", RecordingMethod: "ACTIVELY_MEASURED", Device: &health.Device{Manufacturer: "Fitbit", FormFactor: "SCALE"}}, "Fitbit scale", provider.Device},
		{"UnknownPlatform", &health.DataSource{Platform: "QUANTUM_MIRROR", RecordingMethod: "ACTIVELY_MEASURED", Device: scale("Mirror", "Acme")}, "Mirror", provider.Copy},
		{"UnknownRecordingMethod", &health.DataSource{Platform: "FITBIT", RecordingMethod: "TELEPATHY", Device: scale("Aria Air", "Fitbit")}, "Aria Air", provider.Copy},
		{"Unspecified", &health.DataSource{Platform: "PLATFORM_UNSPECIFIED", RecordingMethod: "RECORDING_METHOD_UNSPECIFIED"}, "Google Health", provider.Copy},
		{"Empty", &health.DataSource{}, "Google Health", provider.Copy},
		{"NameWithControls", &health.DataSource{Platform: "FITBIT", Device: &health.Device{DisplayName: "  Aria\u0007 Air\n"}}, "Aria Air", provider.Copy},
		{"NameTooLong", &health.DataSource{Platform: "FITBIT", Device: &health.Device{DisplayName: "Scale with a name that goes on and on, well beyond any label's room for it"}},
			"Scale with a name that goes on and on, well beyond any label", provider.Copy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.ds)
			if err != nil {
				t.Fatal(err)
			}
			var ws wireSource
			if err := json.Unmarshal(b, &ws); err != nil {
				t.Fatal(err)
			}
			label, method := origin(&ws)
			if label != tt.label || method != tt.method {
				t.Errorf("origin(%s) = %q, %s; want %q, %s", b, label, method, tt.label, tt.method)
			}
		})
	}
	if label, method := origin(nil); label != "Google Health" || method != provider.Copy {
		t.Errorf("origin(nil) = %q, %s", label, method)
	}
}
