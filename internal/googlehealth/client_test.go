package googlehealth

import (
	"context"
	"errors"
	"testing"
)

func TestIdentity(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		c, f := serve(t, ok(`{"name":"users/me/identity","healthUserId":"4815162342","legacyUserId":"7BDEMO"}`))
		got, err := c.Identity(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if want := (Identity{HealthUserID: "4815162342", LegacyUserID: "7BDEMO"}); got != want {
			t.Errorf("Identity = %+v, want %+v", got, want)
		}
		r := f.request(t, 0)
		if got, want := r.URL.Path, "/v4/users/me/identity"; got != want {
			t.Errorf("path = %q, want %q", got, want)
		}
		if got := r.Header.Get("Accept-Language"); got != "" {
			t.Errorf("Accept-Language = %q, want none", got)
		}
	})
	t.Run("NoLegacyID", func(t *testing.T) {
		c, _ := serve(t, ok(`{"name":"users/me/identity","healthUserId":"NGL8Q2"}`))
		got, err := c.Identity(context.Background())
		if err != nil || got.HealthUserID != "NGL8Q2" || got.LegacyUserID != "" {
			t.Errorf("Identity = %+v, %v; want NGL8Q2 and no legacy ID", got, err)
		}
	})
	t.Run("ErrMalformed", func(t *testing.T) {
		c, _ := serve(t, ok(`{"name":"users/me/identity"}`))
		if _, err := c.Identity(context.Background()); !errors.Is(err, ErrMalformed) {
			t.Errorf("err = %v, want ErrMalformed", err)
		}
	})
}

func TestProfile(t *testing.T) {
	tests := []struct {
		name string
		body string
		want Profile
		err  error
	}{
		{"OK", `{"name":"users/me/profile","age":41,"membershipStartDate":{"year":2023,"month":11,"day":20}}`, Profile{Age: 41, MembershipStart: "2023-11-20"}, nil},
		{"NoMembershipDate", `{"name":"users/me/profile","age":41}`, Profile{Age: 41}, nil},
		{"EmptyMembershipDate", `{"age":41,"membershipStartDate":{}}`, Profile{Age: 41}, nil},
		{"Empty", `{}`, Profile{}, nil},
		{"ImpossibleDate", `{"age":41,"membershipStartDate":{"year":2023,"month":2,"day":30}}`, Profile{}, ErrMalformed},
		{"PartialDate", `{"age":41,"membershipStartDate":{"year":2023,"month":2}}`, Profile{}, ErrMalformed},
		{"NegativeAge", `{"age":-1}`, Profile{}, ErrMalformed},
		{"Null", `null`, Profile{}, ErrMalformed},
		{"Array", `[]`, Profile{}, ErrMalformed},
		{"Truncated", `{"age":41,"membershipStartDate":{"ye`, Profile{}, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, f := serve(t, ok(tt.body))
			got, err := c.Profile(context.Background())
			if !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if got != tt.want {
				t.Errorf("Profile = %+v, want %+v", got, tt.want)
			}
			if got, want := f.request(t, 0).URL.Path, "/v4/users/me/profile"; got != want {
				t.Errorf("path = %q, want %q", got, want)
			}
		})
	}
}

func TestNewClientBaseURL(t *testing.T) {
	if got := NewClient(nil, "").baseURL; got != DefaultBaseURL {
		t.Errorf("empty base URL: baseURL = %q, want %q", got, DefaultBaseURL)
	}
	if got, want := NewClient(nil, "http://127.0.0.1:9/").baseURL, "http://127.0.0.1:9"; got != want {
		t.Errorf("baseURL = %q, want %q", got, want)
	}
}
