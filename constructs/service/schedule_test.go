package service_test

import (
	"strings"
	"testing"
	"time"

	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/internal/problemtest"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

func nightAndMorning() []service.Schedule {
	return []service.Schedule{
		{Name: "night", Expression: "cron(0 20 ? * MON-FRI *)", TimeZone: "Europe/Berlin", MinCapacity: 0, MaxCapacity: 0},
		{Name: "morning", Expression: "cron(0 7 ? * MON-FRI *)", TimeZone: "Europe/Berlin", MinCapacity: 1, MaxCapacity: 4,
			StartTime: time.Date(2027, 1, 4, 6, 0, 0, 0, time.UTC)},
	}
}

// GIVEN two schedules WHEN the service is created THEN each is one scheduled
// action on the service's scalable target with both capacities, its time
// zone and start time, and the target ignores the min/max changes the
// actions make, so that the next apply does not undo them.
func TestSchedulesBecomeScheduledActions(t *testing.T) {
	stack := providerStack(t)
	p := accountProps("123456789012", "aws")
	p.Autoscaling.MaxCapacity = 4
	p.DesiredCount = 1
	p.Autoscaling.MinCapacity = 1
	p.Autoscaling.Schedules = nightAndMorning()
	svc, err := service.New(stack, "Service", p)
	if err != nil {
		t.Fatal(err)
	}
	if len(svc.ScheduledActions) != 2 || svc.ScheduledActions["night"] == nil {
		t.Errorf("ScheduledActions = %v, want night and morning", testutil.SortedKeys(svc.ScheduledActions))
	}
	_, doc := testutil.Synth(t, stack)
	actions := doc.Resources("aws_appautoscaling_scheduled_action")
	if len(actions) != 2 {
		t.Fatalf("%d scheduled actions, want 2", len(actions))
	}
	byName := map[string]map[string]any{}
	for _, a := range actions {
		byName[a["name"].(string)] = a
	}
	night, morning := byName["night"], byName["morning"]
	if night == nil || morning == nil {
		t.Fatalf("scheduled actions by name: %v", testutil.SortedKeys(byName))
	}
	if night["schedule"] != "cron(0 20 ? * MON-FRI *)" || night["timezone"] != "Europe/Berlin" {
		t.Errorf("night: schedule %v timezone %v", night["schedule"], night["timezone"])
	}
	if got := testutil.Get(night, "scalable_target_action"); testutil.Get(got, "min_capacity") != "0" || testutil.Get(got, "max_capacity") != "0" {
		t.Errorf("night does not scale to zero: %v", got)
	}
	if morning["start_time"] != "2027-01-04T06:00:00Z" {
		t.Errorf("morning start_time = %v, want UTC RFC 3339", morning["start_time"])
	}
	if _, ok := night["end_time"]; ok {
		t.Error("a zero EndTime is emitted")
	}
	for _, a := range actions {
		for _, k := range []string{"resource_id", "scalable_dimension", "service_namespace"} {
			if s, _ := a[k].(string); !strings.Contains(s, "aws_appautoscaling_target.") {
				t.Errorf("%s = %v is not the scalable target's attribute", k, a[k])
			}
		}
	}
	_, target := doc.One(t, "aws_appautoscaling_target")
	if got := testutil.Get(target, "lifecycle", "ignore_changes"); len(got.([]any)) != 2 {
		t.Errorf("scalable target lifecycle.ignore_changes = %v, want min_capacity and max_capacity", got)
	}
}

// Without schedules the scalable target has no lifecycle block: the default
// stacks are unchanged.
func TestNoSchedulesNoLifecycle(t *testing.T) {
	stack := providerStack(t)
	svc, err := service.New(stack, "Service", accountProps("123456789012", "aws"))
	if err != nil {
		t.Fatal(err)
	}
	if svc.ScheduledActions != nil {
		t.Error("ScheduledActions is not nil without schedules")
	}
	_, doc := testutil.Synth(t, stack)
	_, target := doc.One(t, "aws_appautoscaling_target")
	if _, ok := target["lifecycle"]; ok {
		t.Errorf("lifecycle without schedules: %v", target["lifecycle"])
	}
	if n := len(doc.Resources("aws_appautoscaling_scheduled_action")); n != 0 {
		t.Errorf("%d scheduled actions without schedules", n)
	}
}

func TestSchedulesRefused(t *testing.T) {
	ok := nightAndMorning()[0]
	with := func(f func(*service.Schedule)) []service.Schedule { s := ok; f(&s); return []service.Schedule{s} }
	cases := map[string]struct {
		schedules []service.Schedule
		disabled  bool
		field     string
		value     string
		rule      string
	}{
		"no name": {with(func(s *service.Schedule) { s.Name = "" }), false,
			"Autoscaling.Schedules[0].Name", `""`, "is required"},
		"slash in name": {with(func(s *service.Schedule) { s.Name = "dev/night" }), false,
			"Autoscaling.Schedules[0].Name", `"dev/night"`, "must not contain ':', '/' or '|'"},
		"name too long": {with(func(s *service.Schedule) { s.Name = strings.Repeat("n", 257) }), false,
			"Autoscaling.Schedules[0].Name", "nnnn", "at most 256 characters (it has 257)"},
		"template in name": {with(func(s *service.Schedule) { s.Name = "${var.x}" }), false,
			"Autoscaling.Schedules[0].Name", `"${var.x}"`, "template syntax"},
		"duplicate name": {[]service.Schedule{ok, ok}, false,
			"Autoscaling.Schedules[1].Name", `"night"`, "duplicates the name of Autoscaling.Schedules[0]"},
		"five-field cron": {with(func(s *service.Schedule) { s.Expression = "cron(0 20 * * 1-5)" }), false,
			"Autoscaling.Schedules[0].Expression", `"cron(0 20 * * 1-5)"`, "six fields"},
		"unknown time zone": {with(func(s *service.Schedule) { s.TimeZone = "Europe/Munich" }), false,
			"Autoscaling.Schedules[0].TimeZone", `"Europe/Munich"`, "IANA time zone"},
		"Local time zone": {with(func(s *service.Schedule) { s.TimeZone = "Local" }), false,
			"Autoscaling.Schedules[0].TimeZone", `"Local"`, "IANA time zone"},
		"max above the ceiling": {with(func(s *service.Schedule) { s.MaxCapacity = 11 }), false,
			"Autoscaling.Schedules[0].MaxCapacity", "11", "between 0 and 10"},
		"negative min": {with(func(s *service.Schedule) { s.MinCapacity = -1 }), false,
			"Autoscaling.Schedules[0].MinCapacity", "-1", "between 0 and 10"},
		"min above max": {with(func(s *service.Schedule) { s.MinCapacity, s.MaxCapacity = 5, 3 }), false,
			"Autoscaling.Schedules[0].MinCapacity", "5", "must not exceed MaxCapacity (3)"},
		"end before start": {with(func(s *service.Schedule) {
			s.StartTime, s.EndTime = time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
		}), false, "Autoscaling.Schedules[0].EndTime", `"2027-01-01T00:00:00Z"`, "must be after StartTime (2027-02-01T00:00:00Z)"},
		"autoscaling disabled": {[]service.Schedule{ok}, true,
			"Autoscaling.Disabled", "true", "other Autoscaling fields are set"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			p := accountProps("123456789012", "aws")
			p.Autoscaling.Schedules = tc.schedules
			p.Autoscaling.Disabled = tc.disabled
			problemtest.One(t, service.Validate(p), tc.field, tc.value, tc.rule)
		})
	}
}
