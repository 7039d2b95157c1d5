package service

import (
	"strings"
	"testing"
)

// TestScheduleExpressionsAWSAccepts: the forms of the Application Auto
// Scaling and EventBridge documentation are accepted.
func TestScheduleExpressionsAWSAccepts(t *testing.T) {
	for _, expr := range []string{
		"cron(0 20 ? * MON-FRI *)",
		"cron(30 6 ? * MON *)",
		"cron(0 8 1 * ? *)",
		"cron(0/15 * ? * * *)",
		"cron(0 18 ? * FRI#1 *)",
		"cron(0 18 ? * 6L 2026-2030)",
		"cron(0 9 L * ? *)",
		"cron(0 9 15W * ? *)",
		"cron(0 9 LW * ? *)",
		"cron(5,35 14 ? JAN-MAR,DEC SAT-SUN *)",
		"cron(0 10 * * ? *)",
		"rate(1 minute)",
		"rate(5 minutes)",
		"rate(1 day)",
		"rate(12 hours)",
		"at(2027-01-31T18:00:00)",
	} {
		if why := scheduleExpressionProblem(expr); why != "" {
			t.Errorf("%s refused: %s", expr, why)
		}
	}
}

// TestScheduleExpressionsRefused: each says what is wrong.
func TestScheduleExpressionsRefused(t *testing.T) {
	for expr, want := range map[string]string{
		"":                            "is required",
		"0 20 * * *":                  `must start with "cron(", "rate(" or "at("`,
		"cron(0 20 * * *)":            "six fields",
		"cron(0 20 ? * MON-FRI)":      "six fields",
		"cron(0  20 ? * MON-FRI *)":   "six fields",
		"cron(60 20 ? * MON-FRI *)":   `Minutes field "60": values must be 0-59`,
		"cron(0 24 ? * * *)":          `Hours field "24"`,
		"cron(0 8 32 * ? *)":          `Day-of-month field "32"`,
		"cron(0 8 ? 13 MON *)":        `Month field "13"`,
		"cron(0 8 ? * MON-FOO *)":     `Day-of-week field "MON-FOO"`,
		"cron(0 8 ? * 0 *)":           `Day-of-week field "0": values must be 1-7 or SUN-SAT`,
		"cron(0 8 ? * MON 1969)":      `Year field "1969"`,
		"cron(0 8 * * MON *)":         `one of Day-of-month and Day-of-week must be "?"`,
		"cron(0 8 ? * ? *)":           `one of Day-of-month and Day-of-week must be "?"`,
		"cron(? 8 1 * ? *)":           `"?" is only allowed in Day-of-month and Day-of-week`,
		"cron(0/0 8 ? * MON *)":       "increment",
		"cron(0 8 ? * MON#6 *)":       "weekday#n",
		"cron(0 20-8 ? * MON *)":      "runs backwards",
		"rate(0 minutes)":             "positive integer",
		"rate(1 minutes)":             `"rate(1 minute)"`,
		"rate(5 minute)":              `"rate(5 minutes)"`,
		"rate(2 weeks)":               "minute(s), hour(s) or day(s)",
		"rate(-1 hours)":              "positive integer Value",
		"at(2027-02-30T18:00:00)":     "is not a date and time",
		"at(2027-01-31 18:00:00)":     "at(yyyy-mm-ddThh:mm:ss)",
		"cron(0 20 ? * MON-FRI *) ; ": `must be "cron(`,
	} {
		why := scheduleExpressionProblem(expr)
		if why == "" {
			t.Errorf("%q accepted", expr)
		} else if !strings.Contains(why, want) {
			t.Errorf("%q: got %q, want it to contain %q", expr, why, want)
		}
	}
}
