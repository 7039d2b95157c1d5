package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/subnet"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpc"

	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/internal/tftest"
)

// TestScheduledScalingDeploys proves service.Autoscaling.Schedules on the
// emulator: a small stack (a VPC with one subnet, a cluster and a service
// whose task waits for an init container) with three scheduled actions is
// applied, re-planned with no change, destroyed, and nothing is left, the
// scheduled actions included.
func TestScheduledScalingDeploys(t *testing.T) {
	if testing.Short() && !tftest.InCI() {
		t.Skip("deploys to the emulator")
	}
	t.Parallel()
	tftest.Binary(t)

	s := newSmallStack(t, "schedules")
	stack := s.stack
	v := vpc.NewVpc(stack, jsii.String("Vpc"), &vpc.VpcConfig{CidrBlock: jsii.String("10.20.0.0/16")})
	sn := subnet.NewSubnet(stack, jsii.String("Subnet"), &subnet.SubnetConfig{
		VpcId: v.Id(), CidrBlock: jsii.String("10.20.1.0/24"), AvailabilityZone: jsii.String("us-east-1a"),
	})
	cl, err := cluster.New(stack, "Cluster", cluster.Props{Name: "sched"})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(stack, "Service", service.Props{
		Name:         "api-dev",
		Region:       "us-east-1",
		Cluster:      cl,
		VPCID:        *v.Id(),
		SubnetIDs:    []string{*sn.Id()},
		DesiredCount: 1,
		Containers: []container.Definition{
			{Name: "api", Image: "public.ecr.aws/nginx/nginx:1.27", DependsOn: []container.Dependency{{Container: "migrate", Condition: container.Success}}},
			{Name: "migrate", Image: "public.ecr.aws/nginx/nginx:1.27", Command: []string{"true"}, NonEssential: true},
		},
		Autoscaling: service.Autoscaling{
			MinCapacity: 1,
			MaxCapacity: 4,
			Schedules: []service.Schedule{
				{Name: "night", Expression: "cron(0 20 ? * MON-FRI *)", TimeZone: "Europe/Berlin", MinCapacity: 0, MaxCapacity: 0},
				{Name: "morning", Expression: "cron(0 7 ? * MON-FRI *)", TimeZone: "Europe/Berlin", MinCapacity: 1, MaxCapacity: 4,
					StartTime: time.Date(2027, 1, 4, 6, 0, 0, 0, time.UTC), EndTime: time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)},
				{Name: "launch-day", Expression: "at(2027-03-01T08:00:00)", MinCapacity: 2, MaxCapacity: 4},
			},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(svc.ScheduledActions) != 3 {
		t.Fatalf("%d scheduled actions, want 3", len(svc.ScheduledActions))
	}
	s.deploy(t, func(inv map[string][]string) {
		if got := strings.Join(inv["scheduled_actions"], " "); strings.Count(got, "scheduledActionName/") != 3 {
			t.Errorf("the emulator holds these scheduled actions after apply, want night, morning and launch-day: %v", inv["scheduled_actions"])
		}
	})
}
