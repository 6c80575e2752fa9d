// Package body computes the numbers the app shows from weigh-ins: units, BMI, trend, weekly rate, goal and deltas. Pure functions.
package body

// BMI returns the body-mass index for a weight in kilograms and a height in centimetres, or 0 when the height is unknown.
func BMI(weightKg, heightCm float64) float64 {
	if heightCm <= 0 || weightKg <= 0 {
		return 0
	}
	m := heightCm / 100
	return weightKg / (m * m)
}
