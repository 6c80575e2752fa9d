// Package ahgen writes synthetic Apple Health exports for benchmarks: mostly heart-rate and step Records with
// MetadataEntry children, and a weigh-in (BodyMass plus BodyFatPercentage) every BodyEvery Records.
package ahgen

import (
	"archive/zip"
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"time"
)

// BodyEvery is how many filler Records come per weigh-in: 2 body Records in 2000 is 0.1 %.
const BodyEvery = 2000

// Stats says what was written.
type Stats struct {
	XMLBytes int64
	Records  int64
	WeighIns int64
}

// WriteZip writes an export.zip whose apple_health_export/export.xml holds about size bytes.
func WriteZip(w io.Writer, size int64) (Stats, error) {
	zw := zip.NewWriter(w)
	cda, err := zw.Create("apple_health_export/export_cda.xml")
	if err != nil {
		return Stats{}, err
	}
	io.WriteString(cda, `<?xml version="1.0" encoding="UTF-8"?>`+"\n<ClinicalDocument/>\n")
	ew, err := zw.Create("apple_health_export/export.xml")
	if err != nil {
		return Stats{}, err
	}
	st, err := WriteXML(ew, size)
	if err != nil {
		return st, err
	}
	return st, zw.Close()
}

type counter struct {
	w io.Writer
	n int64
}

func (c *counter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// WriteXML writes an export's main XML of about size bytes.
func WriteXML(w io.Writer, size int64) (Stats, error) {
	c := &counter{w: w}
	bw := bufio.NewWriterSize(c, 1<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	fmt.Fprint(bw, header)
	t := time.Date(2019, 1, 1, 6, 0, 0, 0, time.FixedZone("", 3600))
	var st Stats
	const device = `device="&lt;&lt;HKDevice: 0x283fb8e60&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2, software:10.1&gt;"`
	for c.n+int64(bw.Buffered()) < size {
		t = t.Add(time.Duration(20+rng.IntN(40)) * time.Second)
		d := t.Format("2006-01-02 15:04:05 -0700")
		e := t.Add(time.Duration(rng.IntN(60)) * time.Second).Format("2006-01-02 15:04:05 -0700")
		st.Records++
		if st.Records%BodyEvery == 0 {
			kg := 75 + rng.Float64()*10
			fmt.Fprintf(bw, " <Record type=\"HKQuantityTypeIdentifierBodyMass\" sourceName=\"Renpho\" sourceVersion=\"5.1\" unit=\"kg\" creationDate=\"%s\" startDate=\"%s\" endDate=\"%s\" value=\"%.2f\"/>\n", d, d, d, kg)
			fmt.Fprintf(bw, " <Record type=\"HKQuantityTypeIdentifierBodyFatPercentage\" sourceName=\"Renpho\" sourceVersion=\"5.1\" unit=\"%%\" creationDate=\"%s\" startDate=\"%s\" endDate=\"%s\" value=\"%.3f\">\n  <MetadataEntry key=\"HKWasUserEntered\" value=\"0\"/>\n </Record>\n", d, d, d, 0.15+rng.Float64()*0.1)
			st.Records++
			st.WeighIns++
			continue
		}
		if rng.IntN(2) == 0 {
			fmt.Fprintf(bw, " <Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceName=\"Someone’s Apple Watch\" sourceVersion=\"10.1\" %s unit=\"count/min\" creationDate=\"%s\" startDate=\"%s\" endDate=\"%s\" value=\"%d\">\n  <MetadataEntry key=\"HKMetadataKeyHeartRateMotionContext\" value=\"%d\"/>\n </Record>\n",
				device, e, d, d, 50+rng.IntN(90), rng.IntN(3))
		} else {
			fmt.Fprintf(bw, " <Record type=\"HKQuantityTypeIdentifierStepCount\" sourceName=\"Someone’s iPhone\" sourceVersion=\"17.1\" unit=\"count\" creationDate=\"%s\" startDate=\"%s\" endDate=\"%s\" value=\"%d\"/>\n",
				e, d, e, rng.IntN(400))
		}
	}
	fmt.Fprint(bw, "</HealthData>\n")
	if err := bw.Flush(); err != nil {
		return st, err
	}
	st.XMLBytes = c.n
	return st, nil
}

const header = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 14 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord|Audiogram|VisionPrescription)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate
  value CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
]>
<HealthData locale="en_US">
 <ExportDate value="2024-06-17 21:07:11 +0100"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1990-12-06" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexMale" HKCharacteristicTypeIdentifierBloodType="HKBloodTypeNotSet" HKCharacteristicTypeIdentifierFitzpatrickSkinType="HKFitzpatrickSkinTypeNotSet" HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse="None"/>
`
