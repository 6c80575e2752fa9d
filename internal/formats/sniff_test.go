package formats

import (
	"errors"
	"strings"
	"testing"
)

func TestSniff(t *testing.T) {
	tests := []struct {
		name string
		head string
		want string // a Format ID, or the error text it must contain
	}{
		{"apple health", `<?xml version="1.0" encoding="UTF-8"?>` + "\n<!DOCTYPE HealthData [\n", "apple-health"},
		{"apple health without DTD, BOM", "\ufeff<?xml version=\"1.0\"?>\n<HealthData locale=\"es_ES\">", "apple-health"},
		{"withings", `Date,"Weight (kg)","Fat mass (kg)","Bone mass (kg)","Muscle mass (kg)","Hydration (kg)",Comments` + "\n", "withings"},
		{"garmin json", `[{"metaData":{"calendarDate":"2023-11-28T06:00:00.0"},"weight":{"weight":81200.0}}]`, "garmin"},
		{"garmin csv", "Time,Weight,Change,BMI,Body Fat,Skeletal Muscle Mass,Bone Mass,Body Water\n Mar 9, 2025\n", "garmin-csv"},
		{"samsung", "com.samsung.health.weight,6010014,31\nweight,body_fat,start_time,time_offset\n", "samsung-health"},
		{"samsung without metadata", "start_time,weight,time_offset\n", "samsung-health"},
		{"google fit", `{"Data Source":"derived:com.google.weight:com.google.android.gms:merge_weight","Data Points":[`, "google-fit"},
		{"renpho 2024", "Time of Measurement,Weight(kg),BMI,Body Fat(%),Fat-Free Mass(kg),Subcutaneous Fat(%)\n", "renpho"},
		{"renpho 2025", "\ufeffDate,Time,Weight(lb),BMI,Body Fat(%),Fat-Free Mass(lb),Subcutaneous Fat(%),Metabolic Age\n", "renpho"},
		{"zepp", "\ufefftime,weight,height,bmi,fatRate,bodyWaterRate,boneMass,metabolism,muscleRate,visceralFat\n", "zepp-life"},
		{"openscale 2", `"biceps","bone","caliper1","dateTime","fat","lbm","muscle","water","weight"` + "\n", "openscale"},
		{"openscale semicolons", `"dateTime";"weight";"fat";"water";"muscle";"lbw";"comment"` + "\n", "openscale"},
		{"fitbit weight json", `[{"logId":1659948335000,"weight":176.4,"bmi":24.3,"date":"08/08/22","time":"08:45:35","source":"Aria"}]`, "fitbit-export"},
		{"own csv", "date,time,weight_kg,bmi,fat_pct,source,provider,external_id\n", "bodystats-csv"},
		{"generic csv", "Date;Weight (kg)\n01.02.2024;80,4\n", "generic-csv"},
		{"zip", "PK\x03\x04\x14\x00", "zip"},
		{"unknown text", "hello world, this is not\nan export", `a text file starting "hello world, this is not an export"`},
		{"unknown json", `{"steps": 1000}`, `a JSON file starting "{'steps': 1000}"`},
		{"clinical document", `<?xml version="1.0"?><ClinicalDocument>`, `an XML file starting "<?xml version='1.0'?><ClinicalDocument>"`},
		{"gzip", "\x1f\x8b\x08\x00\x00\x00", "a gzip file"},
		{"binary", "\x00\x01\x02\x03", "a binary file starting 00 01 02 03"},
		{"empty", "  \n", "an empty file"},
		{"control characters are not echoed", "a\x1b[31mred\x07 text", `a text file starting "a?[31mred? text"`},
		{"long text is cut", strings.Repeat("x", 500), `"` + strings.Repeat("x", 40) + `..."`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Sniff([]byte(tt.head))
			if err != nil {
				if !errors.Is(err, ErrUnknownFormat) || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("err %q, want %q (ErrUnknownFormat)", err, tt.want)
				}
				return
			}
			if f.ID != tt.want {
				t.Errorf("got %q, want %q", f.ID, tt.want)
			}
		})
	}
}
