package body

import "math"

// BMICategory is one adult BMI band, Min ≤ BMI < Max.
type BMICategory struct {
	Name     string // "Underweight", "Healthy weight", "Overweight", "Obesity"
	Min, Max float64
}

// WHOCategories lists the WHO adult bands in ascending order: <18.5, 18.5–<25, 25–<30, ≥30. The last Max is +Inf.
var WHOCategories = []BMICategory{
	{Name: "Underweight", Min: 0, Max: 18.5},
	{Name: "Healthy weight", Min: 18.5, Max: 25},
	{Name: "Overweight", Min: 25, Max: 30},
	{Name: "Obesity", Min: 30, Max: math.Inf(1)},
}

// Category returns the WHO band holding bmi; a band includes its Min, so 18.5 is Healthy weight, 25 Overweight and
// 30 Obesity. An unknown BMI (zero, as BMI returns without a height; negative; NaN) gives the zero BMICategory.
func Category(bmi float64) BMICategory {
	if !(bmi > 0) {
		return BMICategory{}
	}
	for _, c := range WHOCategories {
		if bmi >= c.Min && bmi < c.Max {
			return c
		}
	}
	return BMICategory{}
}

// Composition splits a weight by body-fat percentage into fat mass and lean (fat-free) mass, both in kg.
// A weight ≤ 0 or a percentage outside [0, 100] gives 0, 0: a scale's misreading should not draw a mass.
func Composition(kg, fatPct float64) (fatKg, leanKg float64) {
	if !(kg > 0) || !(fatPct >= 0 && fatPct <= 100) {
		return 0, 0
	}
	fatKg = kg * fatPct / 100
	return fatKg, kg - fatKg
}
