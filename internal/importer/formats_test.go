package importer

import (
	"strings"
	"testing"

	"github.com/bodystats/bodystats/internal/formats/core"
	"github.com/bodystats/bodystats/internal/store"
)

const (
	withingsCSV = `Date,"Weight (kg)","Fat mass (kg)","Bone mass (kg)","Muscle mass (kg)","Hydration (kg)",Comments` + "\n" +
		`"2025-05-04 07:41:10",79.62,16.05,3.31,60.12,44.80,` + "\n" + `"2025-05-03 07:40:00",80.00,,,,,` + "\n"
	garminJSON = `[
 {"metaData":{"calendarDate":"2022-08-31T00:00:00.0"},"height":{"height":180.0}},
 {"metaData":{"calendarDate":"2022-08-31T00:00:00.0"},"weight":{"samplePk":1661926354000,"timestampGMT":"2022-08-31T06:12:34.0","weight":81200.0,"bmi":24.9,"bodyFat":21.4,"sourceType":"INDEX_SCALE"}},
 {"metaData":{"calendarDate":"2022-09-01T00:00:00.0"},"weight":{"timestampGMT":1661994000000,"weight":80900.0,"bmi":0.0,"bodyFat":0.0}}
]`
	garminCSV = "Time,Weight,Change,BMI,Body Fat,Skeletal Muscle Mass,Bone Mass,Body Water\n" +
		" Mar 9, 2025\n07:12,81.0 kg,-0.3 kg,24.9,21.4%,–,–,–\n6:05 PM,81.3 kg,0.3 kg,–,–,–,–,–\n"
	samsungCSV = "com.samsung.health.weight,6010014,31\nweight,body_fat,start_time,time_offset,datauuid,\n" +
		"79.8,21.5,2025-01-12 06:20:44.120,UTC+0100,6c1e-1,\n80.1,,2025-01-13 06:10:00.000,UTC+0100,6c1e-2,\n"
	fitJSON = `{"Data Source":"derived:com.google.weight:com.google.android.gms:merge_weight","Data Points":[
{"fitValue":[{"value":{"fpVal":80.6}}],"startTimeNanos":1735718400000000000,"endTimeNanos":1735718400000000000,"dataTypeName":"com.google.weight"},
{"fitValue":[{"value":{"fpVal":1.7526}}],"startTimeNanos":1735804800123456789,"endTimeNanos":1735804800123456789,"dataTypeName":"com.google.height"},
{"fitValue":[{"value":{"fpVal":21.5}}],"startTimeNanos":1735804800000000000,"dataTypeName":"com.google.body.fat.percentage"}
]}`
	renphoCSV = "Time of Measurement,Weight(kg),BMI,Body Fat(%),Fat-Free Mass(kg),Subcutaneous Fat(%),Visceral Fat,Body Water(%),Skeletal Muscle(%),Muscle Mass(kg),Bone Mass(kg),Protein(%),BMR(kcal),Metabolic Age,Optimal weight(kg),Target to optimal weight(kg),Target to optimal fat mass(kg),Target to optimal muscle mass(kg),Body Type,Remarks\n" +
		"2025-02-11 06:58:03,80.45,25.1,22.7,62.19,19.8,9,54.3,50.2,58.97,3.12,17.9,1702,38,,,,,Standard,\n"
	renpho2025 = "\ufeffDate,Time,Weight(lb),BMI,Body Fat(%),Fat-Free Mass(lb),Subcutaneous Fat(%)\n2025.12.03,10:11:50,180.2,--,--,--,--\n"
	zeppCSV    = "\ufefftime,weight,height,bmi,fatRate,bodyWaterRate,boneMass,metabolism,muscleRate,visceralFat\n" +
		"2024-09-14 05:48:21+0000,72.35,176.0,23.4,19.8,55.1,2.9,1611.0,54.7,7.0\n" +
		"2024-09-15 05:50:00+0000,72.10,176.0,23.3,null,null,null,null,null,null\n"
	openScaleCSV = `"dateTime";"weight";"fat";"water";"muscle";"lbw";"comment"` + "\n" + `"2019-01-25 06:31";"80,2";"21,5";"55";"40";"63";""` + "\n"
)

// formatCase is one export, its name on disk (never used to recognise it), and the history it gives.
type formatCase struct {
	name, file string
	data       []byte
	kind, unit string // words of the summary's Kind and UnitReason
	want       []want
	skipped    int
}

func formatCases(t *testing.T) []formatCase {
	lb := func(v float64) float64 { return v * core.KgPerLb }
	apple := []want{{"2024-03-02", "07:14:58", "+01:00", 81.3, 21.4, "Renpho"}, {"2024-03-03", "07:10:00", "+01:00", 81.0, 0, "Renpho"}}
	appleLb := []want{{"2024-03-02", "07:14:58", "+01:00", lb(179.2), 21.4, "Renpho"}, {"2024-03-03", "07:10:00", "+01:00", lb(178.6), 0, "Renpho"}}
	cda := entry{"apple_health_export/export_cda.xml", `<?xml version="1.0"?><ClinicalDocument xmlns="urn:hl7-org:v3"></ClinicalDocument>`}
	vt := strings.Replace(appleBody("kg", "81.3", "81.0"), `value="0.214"/>`, `value="0.214"><MetadataEntry key="note" value="a`+"\x0b"+`b"/></Record>`, 1)
	vt = strings.Replace(vt, `sourceName="Health"`, `sourceName="Health`+"\x0b"+`"`, 1)
	return []formatCase{
		{"AppleHealthKgBareXML", "export.xml", []byte(appleDoc("en_US", appleBody("kg", "81.3", "81.0"))), "Apple Health export", "kilograms: the file names", apple, 0},
		{"AppleHealthLbZip", "export.zip", zipOf(t, entry{"apple_health_export/export.xml", appleDoc("en_US", appleBody("lb", "179.2", "178.6"))}, cda), "Apple Health export (zip)", "pounds: the file names", appleLb, 0},
		{"AppleHealthSpanishZip", "exportar.zip", zipOf(t, cda, entry{"apple_health_export/exportar.xml", appleDoc("es_ES", appleBody("kg", "81.3", "81.0"))}), "Apple Health export (zip)", "kilograms", apple, 0},
		{"AppleHealthChineseXMLRenamed", "导出.txt", []byte(appleDoc("zh_CN", appleBody("kg", "81.3", "81.0"))), "Apple Health export", "kilograms", apple, 0},
		{"AppleHealthVerticalTab", "export.xml", []byte(appleDoc("en_US", vt)), "Apple Health export", "kilograms", apple, 0},
		{"WithingsZip", "data_ALEX_1771869311.zip", zipOf(t, entry{"data_ALEX_1771869311/README.txt", "Your data\n"}, entry{"data_ALEX_1771869311/weight.csv", withingsCSV},
			entry{"data_ALEX_1771869311/height.csv", "Date,\"Height (m)\",Comments\n\"2025-01-01 08:00:00\",1.84,\n"}), "Withings", "kilograms",
			[]want{{"2025-05-03", "07:40:00", "", 80, 0, "Withings"}, {"2025-05-04", "07:41:10", "", 79.62, 16.05 / 79.62 * 100, "Withings"}}, 0},
		{"WithingsCSV", "weight.csv", []byte(withingsCSV), "Withings", "kilograms",
			[]want{{"2025-05-03", "07:40:00", "", 80, 0, "Withings"}, {"2025-05-04", "07:41:10", "", 79.62, 16.05 / 79.62 * 100, "Withings"}}, 0},
		{"GarminZip", "garmin.zip", zipOf(t, entry{"DI_CONNECT/DI-Connect-Wellness/123_userBioMetrics.json", garminJSON}, entry{"DI_CONNECT/DI-Connect-Fitness/x.json", "[]"}), "Garmin", "kilograms",
			[]want{wantUTC("2022-08-31 06:12:34", 81.2, 21.4, "Garmin"), wantUTC("2022-09-01 01:00:00", 80.9, 0, "Garmin")}, 0},
		{"GarminWebCSV", "weight.csv", []byte(garminCSV), "Garmin", "kilograms",
			[]want{{"2025-03-09", "07:12:00", "", 81, 21.4, "Garmin"}, {"2025-03-09", "18:05:00", "", 81.3, 0, "Garmin"}}, 0},
		{"SamsungCSV", "com.samsung.health.weight.20250201120000.csv", []byte(samsungCSV), "Samsung", "kilograms",
			[]want{{"2025-01-12", "07:20:44", "+01:00", 79.8, 21.5, "Samsung Health"}, {"2025-01-13", "07:10:00", "+01:00", 80.1, 0, "Samsung Health"}}, 0},
		{"GoogleFitTakeoutZip", "takeout.zip", zipOf(t, entry{"Takeout/Fit/All Data/derived_com.google.weight_com.google.android.g.json", fitJSON},
			entry{"Takeout/Fit/All Data/raw_com.google.weight_com.google.android.apps.fitn.json", fitJSON}), "Google Fit", "kilograms",
			[]want{wantUTC("2025-01-01 08:00:00", 80.6, 0, "")}, 1},
		{"RenphoCSV", "Renpho Health-1.csv", []byte(renphoCSV), "Renpho", "kilograms", []want{{"2025-02-11", "06:58:03", "", 80.45, 22.7, "Renpho"}}, 0},
		{"Renpho2025Pounds", "renpho.csv", []byte(renpho2025), "Renpho", "pounds", []want{{"2025-12-03", "10:11:50", "", lb(180.2), 0, "Renpho"}}, 0},
		{"ZeppCSV", "BODY_1726292901.csv", []byte(zeppCSV), "Zepp", "kilograms",
			[]want{wantUTC("2024-09-14 05:48:21", 72.35, 19.8, "Zepp Life"), wantUTC("2024-09-15 05:50:00", 72.10, 0, "Zepp Life")}, 0},
		{"OpenScaleSemicolonsDecimalCommas", "openScale.csv", []byte(openScaleCSV), "openScale", "kilograms", []want{{"2019-01-25", "06:31:00", "", 80.2, 21.5, "openScale"}}, 0},
		{"GenericCSVWithBOMSemicolonsDecimalCommas", "weights.txt", []byte("\ufeffdate;weight;fat\n2025-01-02;80,5;21,5\n2025-01-03;80,1;\n"), "CSV", "",
			[]want{{"2025-01-02", "00:00:00", "", 80.5, 21.5, ""}, {"2025-01-03", "00:00:00", "", 80.1, 0, ""}}, 0},
	}
}

// TestImportFormats reads the smallest file of each format through ImportPath into exact rows, recognised by
// content whatever its name.
func TestImportFormats(t *testing.T) {
	for _, tc := range formatCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			db := mustOpen(t)
			opts := Options{}
			if tc.name == "GenericCSVWithBOMSemicolonsDecimalCommas" {
				opts.Unit = "kg"
			}
			sum, err := ImportPath(t.Context(), db, writeFile(t, tc.file, tc.data), opts)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(sum.Kind, tc.kind) || !strings.Contains(sum.UnitReason, tc.unit) || sum.UnitReason == "" {
				t.Errorf("kind %q unit %q, want %q and %q", sum.Kind, sum.UnitReason, tc.kind, tc.unit)
			}
			if sum.Added != len(tc.want) || sum.Merged != 0 || sum.Skipped != tc.skipped || len(sum.Files) == 0 || sum.Files[0].Format == "" {
				t.Errorf("summary %+v, want %d added, %d skipped", sum, len(tc.want), tc.skipped)
			}
			rows := checkHistory(t, db, tc.want)
			for _, m := range rows {
				if m.Method != store.MethodImport || m.Provider != AccountProvider || m.ExternalID == "" || m.Source == "" {
					t.Errorf("row %+v: want an import row with an id and a source label", m)
				}
			}
			again, err := ImportPath(t.Context(), db, writeFile(t, tc.file, tc.data), opts)
			if err != nil || again.Added != 0 || again.Merged != len(tc.want) {
				t.Errorf("re-import: %+v, %v; want 0 added, %d merged", again, err, len(tc.want))
			}
			checkHistory(t, db, tc.want)
		})
	}
}
