package ihealth

import (
	"regexp"
	"testing"
	"time"
)

var (
	zoneForm  = regexp.MustCompile(`^[+-](0\d|1[0-4]):[0-5]\d$`)
	dateForm  = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	clockForm = regexp.MustCompile(`^\d{2}:\d{2}:\d{2}$`)
)

// FuzzDecodePage: whatever the answer, the decoder returns an error or records that keep every promise: a
// local date and clock, a zone that is an offset within ±14:00 or none, kilograms in range, fat nil or a
// percentage, a usable DataID.
func FuzzDecodePage(f *testing.F) {
	f.Add([]byte(page(UnitKg, "", record("9f8e7d6c5b4a39281706f5e4d3c2b1a0", 1766996400, ""))))
	f.Add([]byte(page(UnitLb, "http://x/", record("a", 1766996400, `"TimeZone":-8,"FatValue":"0"`))))
	f.Add([]byte(page(UnitStone, "", record("b", 1766996400, `"TimeZone":"0800","WeightValue":"12.5"`))))
	f.Add([]byte(`{"WeightDataList":[{"DataID":"c","MDate":"1766996400","TimeZone":"+25:00","WeightValue":900}],"WeightUnit":"1"}`))
	f.Add([]byte(`{"Error":"unauthorized_token","ErrorCode":2002}`))
	f.Add([]byte(`<html></html>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := DecodePage(body)
		if err != nil {
			return
		}
		for _, r := range p.Records {
			if !dateForm.MatchString(r.Date) || !clockForm.MatchString(r.Clock) {
				t.Fatalf("record %+v: date or clock malformed", r)
			}
			if r.Zone != "" && !zoneForm.MatchString(r.Zone) {
				t.Fatalf("zone %q", r.Zone)
			}
			if !(r.WeightKg >= 1 && r.WeightKg <= 650) {
				t.Fatalf("weight %v kg", r.WeightKg)
			}
			if r.FatPct != nil && !(*r.FatPct > 0 && *r.FatPct < 80) {
				t.Fatalf("fat %v", *r.FatPct)
			}
			if r.DataID == "" || safeID(r.DataID) != r.DataID {
				t.Fatalf("DataID %q", r.DataID)
			}
		}
	})
}

// FuzzTokenAnswer: a token answer either decodes into a usable token (an access token, a user, an expiry
// within the cap, a region that is empty or trusted) or is refused; never a panic.
func FuzzTokenAnswer(f *testing.F) {
	f.Add([]byte(`{"AccessToken":"AT*x-1","Expires":3672000,"RefreshToken":"RT*y","UserID":"0a1b","UserRegion":"https://openapi.ihealthlabs.eu","APIName":"OpenApiWeight"}`))
	f.Add([]byte(`{"AccessToken":"a","Expires":"1e400","UserID":"u"}`))
	f.Add([]byte(`{"AccessToken":"a","Expires":"NaN","UserID":"u","UserRegion":"javascript:alert(1)"}`))
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte) {
		tok, err := decodeToken(body, now, DefaultAPIURL, true)
		if err != nil {
			return
		}
		if tok.Token == "" || tok.UserID == "" || tok.Expiry.After(now.Add(tokenLifetimeCap)) {
			t.Fatalf("token %+v", tok)
		}
		if tok.Secret != "" && regionOf(tok.Secret, DefaultAPIURL) != tok.Secret {
			t.Fatalf("region %q not trusted", tok.Secret)
		}
	})
}
