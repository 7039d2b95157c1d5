package service

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/fargatekit/fargatekit/internal/verify"

	// The zone database is built in, so that a TimeZone is checked the same
	// way on every machine, with or without /usr/share/zoneinfo.
	_ "time/tzdata"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/appautoscalingscheduledaction"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/internal/tfx"
)

// Schedule is a scheduled action on the service's scalable target: at each
// time the Expression names, Application Auto Scaling sets the target's
// minimum and maximum task count to MinCapacity and MaxCapacity, scaling the
// service out or in to fit. Target tracking keeps working inside the new
// bounds until the next schedule changes them.
//
// Both capacities are always set, so that reading a schedule tells the whole
// range the service runs with after it. MinCapacity 0 and MaxCapacity 0 stop
// every task (a development service at night).
type Schedule struct {
	// Name of the scheduled action, unique among the service's schedules:
	// 1-256 characters, no ':', '/', '|' or control characters, no leading
	// or trailing space. Required.
	Name string
	// Expression says when the action runs, in one of Application Auto
	// Scaling's three forms:
	//   - "cron(Minutes Hours Day-of-month Month Day-of-week Year)", six
	//     fields, e.g. "cron(0 20 ? * MON-FRI *)"; one of Day-of-month and
	//     Day-of-week must be "?".
	//   - "rate(Value Unit)", e.g. "rate(6 hours)": Value a positive integer,
	//     Unit minute, hour or day (singular when Value is 1, plural otherwise).
	//   - "at(yyyy-mm-ddThh:mm:ss)" for one time.
	// Required.
	Expression string
	// TimeZone in which cron and at expressions are read: an IANA name such
	// as "Europe/Berlin" (daylight saving time is followed). If empty, UTC.
	TimeZone string
	// MinCapacity and MaxCapacity are the task counts the action sets:
	// 0 <= MinCapacity <= MaxCapacity <= Autoscaling.MaxCapacity.
	MinCapacity int
	MaxCapacity int
	// StartTime and EndTime bound when a recurring action is active; zero
	// means no bound. They are sent in UTC.
	StartTime time.Time
	EndTime   time.Time
}

const maxScheduleNameLen = 256

var (
	rateRE = regexp.MustCompile(`^rate\(([0-9]+) (minute|minutes|hour|hours|day|days)\)$`)
	atRE   = regexp.MustCompile(`^at\(([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})\)$`)
	cronRE = regexp.MustCompile(`^cron\((.*)\)$`)
)

// cronField describes one field of an Application Auto Scaling (EventBridge)
// cron expression.
type cronField struct {
	name     string
	min, max int
	names    []string // names[i] stands for min+i
	question bool     // "?" allowed (day of month, day of week)
	last     bool     // "L" allowed
}

var cronFields = []cronField{
	{name: "Minutes", min: 0, max: 59},
	{name: "Hours", min: 0, max: 23},
	{name: "Day-of-month", min: 1, max: 31, question: true, last: true},
	{name: "Month", min: 1, max: 12, names: []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}},
	{name: "Day-of-week", min: 1, max: 7, names: []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}, question: true, last: true},
	{name: "Year", min: 1970, max: 2199},
}

// checkSchedules records a problem for every schedule AWS would refuse or that
// would leave the service outside its bounds. maxCapacity is the resolved
// Autoscaling.MaxCapacity.
func checkSchedules(c *verify.Checker, field string, schedules []Schedule, maxCapacity int) {
	seen := map[string]int{}
	for i, s := range schedules {
		f := fmt.Sprintf("%s[%d]", field, i)
		checkScheduleName(c, f+".Name", s.Name)
		if j, dup := seen[s.Name]; dup && s.Name != "" {
			c.Add(f+".Name", s.Name, "duplicates the name of %s[%d]: scheduled action names must be unique on the service", field, j)
		} else {
			seen[s.Name] = i
		}
		if why := scheduleExpressionProblem(s.Expression); why != "" {
			c.Add(f+".Expression", s.Expression, "%s", why)
		}
		if s.TimeZone != "" {
			if _, err := time.LoadLocation(s.TimeZone); err != nil || s.TimeZone == "Local" {
				c.Add(f+".TimeZone", s.TimeZone, `must be an IANA time zone name such as "Europe/Berlin" or "America/New_York" (or empty for UTC)`)
			}
		}
		c.Range(f+".MinCapacity", s.MinCapacity, 0, maxCapacity)
		if c.Range(f+".MaxCapacity", s.MaxCapacity, 0, maxCapacity) && s.MinCapacity > s.MaxCapacity {
			c.Add(f+".MinCapacity", s.MinCapacity, "must not exceed MaxCapacity (%d)", s.MaxCapacity)
		}
		if !s.StartTime.IsZero() && !s.EndTime.IsZero() && !s.EndTime.After(s.StartTime) {
			c.Add(f+".EndTime", s.EndTime.UTC().Format(time.RFC3339), "must be after StartTime (%s)", s.StartTime.UTC().Format(time.RFC3339))
		}
	}
}

func checkScheduleName(c *verify.Checker, field, name string) {
	switch {
	case name == "":
		c.Add(field, name, `is required: a name such as "night" that is unique among the service's schedules`)
	case len(name) > maxScheduleNameLen:
		c.Add(field, name, "must be at most %d characters (it has %d)", maxScheduleNameLen, len(name))
	case strings.ContainsAny(name, ":/|"):
		c.Add(field, name, "must not contain ':', '/' or '|'")
	case strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || (r >= 0x7f && r <= 0x9f) }):
		c.Add(field, name, "must not contain control characters")
	case strings.HasPrefix(name, " ") || strings.HasSuffix(name, " "):
		c.Add(field, name, "must not start or end with a space")
	case strings.Contains(name, "${") || strings.Contains(name, "%{"):
		c.Add(field, name, `must not contain Terraform template syntax ("${" or "%{")`)
	}
}

// scheduleExpressionProblem returns why expr is not a schedule Application
// Auto Scaling accepts, or "" when it is one.
func scheduleExpressionProblem(expr string) string {
	switch {
	case expr == "":
		return `is required: "cron(Minutes Hours Day-of-month Month Day-of-week Year)", "rate(Value Unit)" or "at(yyyy-mm-ddThh:mm:ss)"`
	case strings.HasPrefix(expr, "rate("):
		m := rateRE.FindStringSubmatch(expr)
		if m == nil {
			return `must be "rate(Value Unit)" with a positive integer Value and Unit minute(s), hour(s) or day(s), e.g. "rate(6 hours)"`
		}
		n, err := strconv.Atoi(m[1])
		switch {
		case err != nil || n < 1:
			return "the rate's Value must be a positive integer"
		case n == 1 && strings.HasSuffix(m[2], "s"):
			return fmt.Sprintf("a rate of 1 takes the singular unit: \"rate(1 %s)\"", strings.TrimSuffix(m[2], "s"))
		case n > 1 && !strings.HasSuffix(m[2], "s"):
			return fmt.Sprintf("a rate above 1 takes the plural unit: \"rate(%d %ss)\"", n, m[2])
		}
		return ""
	case strings.HasPrefix(expr, "at("):
		m := atRE.FindStringSubmatch(expr)
		if m == nil {
			return `must be "at(yyyy-mm-ddThh:mm:ss)", e.g. "at(2027-01-31T18:00:00)"`
		}
		if _, err := time.Parse("2006-01-02T15:04:05", m[1]); err != nil {
			return fmt.Sprintf("%s is not a date and time: %v", m[1], err)
		}
		return ""
	case strings.HasPrefix(expr, "cron("):
		m := cronRE.FindStringSubmatch(expr)
		if m == nil {
			return `must be "cron(Minutes Hours Day-of-month Month Day-of-week Year)"`
		}
		return cronProblem(m[1])
	}
	return `must start with "cron(", "rate(" or "at(": e.g. "cron(0 20 ? * MON-FRI *)", "rate(6 hours)", "at(2027-01-31T18:00:00)"`
}

func cronProblem(body string) string {
	fields := strings.Split(body, " ")
	if len(fields) != 6 || strings.Contains(body, "  ") {
		return fmt.Sprintf("a cron expression has six fields separated by single spaces, Minutes Hours Day-of-month Month Day-of-week Year (e.g. \"cron(0 20 ? * MON-FRI *)\"); this one has %d", len(strings.Fields(body)))
	}
	for i, f := range cronFields {
		if why := cronFieldProblem(f, fields[i]); why != "" {
			return fmt.Sprintf("%s field %q: %s", f.name, fields[i], why)
		}
	}
	if (fields[2] == "?") == (fields[4] == "?") {
		return `one of Day-of-month and Day-of-week must be "?" and the other not (e.g. "cron(0 8 ? * MON-FRI *)" or "cron(0 8 1 * ? *)")`
	}
	return ""
}

func cronFieldProblem(f cronField, v string) string {
	if v == "?" {
		if !f.question {
			return `"?" is only allowed in Day-of-month and Day-of-week`
		}
		return ""
	}
	if f.last {
		switch {
		case v == "L":
			return ""
		case f.name == "Day-of-month" && (v == "LW" || strings.HasSuffix(v, "W")):
			if _, ok := f.value(strings.TrimSuffix(v, "W")); ok || v == "LW" {
				return ""
			}
			return fmt.Sprintf("W follows a single day of the month %d-%d, e.g. 15W", f.min, f.max)
		case f.name == "Day-of-week" && strings.HasSuffix(v, "L"):
			if _, ok := f.value(strings.TrimSuffix(v, "L")); ok {
				return ""
			}
			return "L follows a single weekday, e.g. 6L or FRIL (the last Friday)"
		case f.name == "Day-of-week" && strings.Contains(v, "#"):
			day, nth, _ := strings.Cut(v, "#")
			n, err := strconv.Atoi(nth)
			if _, ok := f.value(day); !ok || err != nil || n < 1 || n > 5 {
				return "weekday#n takes a weekday and n from 1 to 5, e.g. MON#1 (the first Monday)"
			}
			return ""
		}
	}
	for _, item := range strings.Split(v, ",") {
		base, step, hasStep := strings.Cut(item, "/")
		if hasStep {
			n, err := strconv.Atoi(step)
			if err != nil || n < 1 || n > f.max {
				return fmt.Sprintf("the increment after / must be a number from 1 to %d", f.max)
			}
		}
		if base == "*" {
			continue
		}
		lo, hi, isRange := strings.Cut(base, "-")
		a, ok := f.value(lo)
		if !ok {
			return f.allowed()
		}
		if isRange {
			b, ok := f.value(hi)
			if !ok {
				return f.allowed()
			}
			if b < a && f.name != "Day-of-week" {
				return fmt.Sprintf("the range %s runs backwards", base)
			}
		}
	}
	return ""
}

// value parses a number or name of the field.
func (f cronField) value(s string) (int, bool) {
	for i, n := range f.names {
		if strings.EqualFold(s, n) {
			return f.min + i, true
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < f.min || n > f.max || strings.HasPrefix(s, "+") {
		return 0, false
	}
	return n, true
}

func (f cronField) allowed() string {
	var b strings.Builder
	fmt.Fprintf(&b, "values must be %d-%d", f.min, f.max)
	if len(f.names) > 0 {
		fmt.Fprintf(&b, " or %s-%s", f.names[0], f.names[len(f.names)-1])
	}
	b.WriteString(", combined with , - * /")
	if f.question {
		b.WriteString(" or ?")
	}
	if f.last {
		b.WriteString(" and L")
	}
	return b.String()
}

// scheduleLifecycle keeps Terraform from undoing the schedules: a scheduled
// action changes the scalable target's min_capacity and max_capacity, which
// the next apply would otherwise set back to Autoscaling's values. Without
// schedules it returns nil, and the target stays as it was.
func scheduleLifecycle(r resolved) *cdktf.TerraformResourceLifecycle {
	if len(r.Autoscaling.Schedules) == 0 {
		return nil
	}
	return &cdktf.TerraformResourceLifecycle{IgnoreChanges: tfx.Strs([]string{"min_capacity", "max_capacity"})}
}

// addSchedules creates one aws_appautoscaling_scheduled_action per schedule,
// under the id "Schedule-<Name>", so that reordering the list changes nothing.
func addSchedules(s constructs.Construct, r resolved, out *Service, target struct{ id, dim, ns string }) {
	if len(r.Autoscaling.Schedules) == 0 {
		return
	}
	out.ScheduledActions = map[string]appautoscalingscheduledaction.AppautoscalingScheduledAction{}
	for _, sc := range r.Autoscaling.Schedules {
		cfg := &appautoscalingscheduledaction.AppautoscalingScheduledActionConfig{
			Name:              tfx.Str(sc.Name),
			ResourceId:        &target.id,
			ScalableDimension: &target.dim,
			ServiceNamespace:  &target.ns,
			Schedule:          tfx.Str(sc.Expression),
			ScalableTargetAction: &appautoscalingscheduledaction.AppautoscalingScheduledActionScalableTargetAction{
				MinCapacity: tfx.Str(strconv.Itoa(sc.MinCapacity)),
				MaxCapacity: tfx.Str(strconv.Itoa(sc.MaxCapacity)),
			},
		}
		if sc.TimeZone != "" {
			cfg.Timezone = tfx.Str(sc.TimeZone)
		}
		if !sc.StartTime.IsZero() {
			cfg.StartTime = tfx.Str(sc.StartTime.UTC().Format(time.RFC3339))
		}
		if !sc.EndTime.IsZero() {
			cfg.EndTime = tfx.Str(sc.EndTime.UTC().Format(time.RFC3339))
		}
		out.ScheduledActions[sc.Name] = appautoscalingscheduledaction.NewAppautoscalingScheduledAction(s, tfx.Str("Schedule-"+sc.Name), cfg)
	}
}
