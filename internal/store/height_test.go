package store

import "testing"

// TestHeightUnitAndEnteredHeight: the provider's height unit is kept like its weight unit (an unknown one never
// erases a known one), and the entered height lives in the settings, apart from the provider's.
func TestHeightUnitAndEnteredHeight(t *testing.T) {
	db := mustOpen(t)
	ctx := t.Context()
	a, err := db.UpsertAccount(ctx, Account{Provider: "google-health", ExternalUserID: "1", HeightCm: 178, HeightUnit: "ftin"})
	if err != nil || a.HeightUnit != "ftin" {
		t.Fatalf("insert: %+v, %v", a, err)
	}
	if a, err = db.UpsertAccount(ctx, Account{Provider: "google-health", ExternalUserID: "1", HeightCm: 179}); err != nil || a.HeightUnit != "ftin" || a.HeightCm != 179 {
		t.Errorf("a sync without settings: %+v, %v; want ftin kept and the new height", a, err)
	}
	if _, err := db.UpsertAccount(ctx, Account{Provider: "google-health", ExternalUserID: "1", HeightUnit: "in"}); err == nil {
		t.Error("a height unit of \"in\" was accepted")
	}
	st, err := db.Settings(ctx)
	if err != nil || st.HeightCm != 0 {
		t.Fatalf("settings before: %+v, %v", st, err)
	}
	st.HeightCm = 181.5
	if err := db.SaveSettings(ctx, st); err != nil {
		t.Fatal(err)
	}
	if st, err = db.Settings(ctx); err != nil || st.HeightCm != 181.5 {
		t.Errorf("entered height: %+v, %v", st, err)
	}
	if a, _ = db.Account(ctx, a.ID); a.HeightCm != 179 {
		t.Errorf("the entered height changed the provider's: %v", a.HeightCm)
	}
	if err := db.SaveSettings(ctx, Settings{HeightCm: -1}); err == nil {
		t.Error("a negative entered height was accepted")
	}
}
