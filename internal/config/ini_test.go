package config

import (
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func writeFile(name, content string) error {
	return os.WriteFile(name, []byte(content), 0o600)
}

// The seed's file: the 2013 post kept the consumer key and secret, then the
// hand-copied user token, in [Login Parameters] for Python's configparser.
const seedINI = `; kept in the working directory, as in the 2013 post
[Login Parameters]
C_KEY = 0a1b2c3d4e5f60718293a4b5c6d7e8f9
C_SECRET = 9f8e #x;7d6c5b4a3
# the user token, copied out of the 404 page's URL
U_KEY = 1a2b3c4d5e6f708192a3b4c5d6e7f809
U_SECRET = ab;cd #ef\
`

func TestSeedINI(t *testing.T) {
	c := mustLoad(t, input{ini: seedINI})
	want := defaults
	want.FitbitConsumerKey = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
	want.FitbitConsumerSecret = "9f8e #x;7d6c5b4a3"
	want.FitbitUserKey = "1a2b3c4d5e6f708192a3b4c5d6e7f809"
	want.FitbitUserSecret = `ab;cd #ef\`
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("Config (-want +got):\n%s", diff)
	}
}

func TestINICaseInsensitive(t *testing.T) {
	tests := []struct {
		name string
		ini  string
		want Config
	}{
		{
			"LowerKeys",
			"[Login Parameters]\nc_key = ck\nc_secret: cs\nu_key=uk\nU_Secret = us\n",
			Config{FitbitConsumerKey: "ck", FitbitConsumerSecret: "cs", FitbitUserKey: "uk", FitbitUserSecret: "us"},
		},
		{
			"AppSection",
			"[BODYSTATS]\nbodystats_addr = localhost:9000\nFitbit_Client_Id = id\nfitbit_client_secret = a;b #c\n",
			Config{Addr: "localhost:9000", BaseURL: "http://localhost:9000", FitbitClientID: "id", FitbitClientSecret: "a;b #c"},
		},
		{
			"LoginSectionCase",
			"[login parameters]\nC_KEY = ck\nC_SECRET = cs\n",
			Config{FitbitConsumerKey: "ck", FitbitConsumerSecret: "cs"},
		},
		{
			"EmptyValuesAreUnset",
			"[Login Parameters]\nC_KEY =\nC_SECRET =\nU_KEY =\nU_SECRET =\n[bodystats]\nBODYSTATS_DATA_DIR =\n",
			Config{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustLoad(t, input{ini: tt.ini})
			want := overlay(defaults, tt.want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Config (-want +got):\n%s", diff)
			}
		})
	}
}

// overlay returns base with the non-empty string fields of top.
func overlay(base, top Config) Config {
	for i := range fields {
		f := &fields[i]
		if f.ptr != nil && *f.ptr(&top) != "" {
			*f.ptr(&base) = *f.ptr(&top)
		}
	}
	return base
}

func TestMissingDefaultConfigFileIsFine(t *testing.T) {
	c := mustLoad(t, input{})
	if diff := cmp.Diff(defaults, c); diff != "" {
		t.Errorf("Config (-want +got):\n%s", diff)
	}
}
