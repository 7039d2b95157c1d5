package tfmodel_test

import (
	"os"
	"strings"
	"testing"

	_ "github.com/fargatekit/fargatekit/internal/testutil" // -update
	"github.com/fargatekit/fargatekit/report/tfmodel"
)

func TestProductionModel(t *testing.T) {
	b, err := os.ReadFile("../../stacks/testdata/production.golden")
	if err != nil {
		t.Fatal(err)
	}
	s, err := tfmodel.Parse("production", b)
	if err != nil {
		t.Fatal(err)
	}
	if s.Region != "us-east-1" || len(s.NATGateways) != 2 || len(s.EIPs) != 2 || len(s.Services) != 1 {
		t.Fatalf("region %q, %d NAT, %d EIP, %d services", s.Region, len(s.NATGateways), len(s.EIPs), len(s.Services))
	}
	sv := s.Services[0]
	if lo, hi, scaled := s.Scaling(sv); lo != 2 || hi != 10 || !scaled {
		t.Errorf("scaling %d–%d (%v), want 2–10", lo, hi, scaled)
	}
	td, ok := s.TaskDefinition(sv.TaskDefinition)
	if !ok || td.CPU != 256 || td.Memory != 512 || td.Arch != "X86_64" || len(td.Containers) != 1 || td.Containers[0].LogGroup != "/ecs/my-service" {
		t.Errorf("task definition %+v", td)
	}
	if st := s.EffectiveStrategy(sv); len(st) != 1 || st[0].Provider != "FARGATE" {
		t.Errorf("strategy %+v, want FARGATE from the launch type", st)
	}
	if z := s.Zones(); strings.Join(z, ",") != "zone 1,zone 2" {
		t.Errorf("zones %v", z)
	}
	r, ok := s.DefaultRoute(sv.Subnets[1])
	if !ok || !strings.Contains(r.NATGateway, "NatGateway1") {
		t.Errorf("the second private subnet's default route %+v, want its zone's NAT gateway", r)
	}
	if len(s.Other) != 0 {
		t.Errorf("resources the model does not read: %v", s.Other)
	}
	alarms := s.AlarmsOf(sv)
	if len(alarms) != 6 || len(s.Alarms) != 6 {
		t.Fatalf("%d alarms of the service (%d in the stack), want 6", len(alarms), len(s.Alarms))
	}
	metrics := 0
	byName := map[string]tfmodel.Alarm{}
	for _, a := range alarms {
		metrics += a.MetricCount()
		byName[strings.TrimPrefix(a.Name, "production-cluster-my-service-")] = a
		if len(a.Actions) != 1 || a.Actions[0] != s.Topics[0].Address || a.HighResolution() {
			t.Errorf("alarm %s: actions %v, period %d; want the topic only, a minute", a.Name, a.Actions, a.Period)
		}
	}
	if metrics != 7 {
		t.Errorf("%d alarm metrics, want 7 (5 single-metric alarms + running tasks: desired and running)", metrics)
	}
	if a := byName["running-tasks"]; a.Expression != "desired - running" || len(a.Metrics) != 2 || a.Metric != "" || a.Period != 60 || a.Threshold != 0 {
		t.Errorf("running tasks alarm %+v, want metric math over 2 metrics", a)
	}
	if a := byName["response-time"]; a.Statistic != "p99" || !a.Extended || a.Metric != "TargetResponseTime" || a.Threshold != 2 {
		t.Errorf("response time alarm %+v, want p99 of TargetResponseTime above 2", a)
	}
	if a := byName["cpu"]; a.Statistic != "Average" || a.Extended || a.Namespace != "AWS/ECS" || a.Threshold != 90 {
		t.Errorf("CPU alarm %+v", a)
	}
	if len(sv.DeploymentAlarms) != 2 || !sv.Rollback {
		t.Errorf("deployment alarms %v (rollback %v), want the two rollback alarms", sv.DeploymentAlarms, sv.Rollback)
	}
	if len(s.Topics) != 1 || s.Topics[0].Name != "production-cluster-my-service-alarms" {
		t.Fatalf("topics %+v", s.Topics)
	}
	if k, ok := s.KMSKey(s.Topics[0].KMSKey); !ok || !k.Rotation {
		t.Errorf("the topic's key %q: %+v (found %v), want a rotating key of the stack", s.Topics[0].KMSKey, k, ok)
	}
}

func TestDevelopmentRunsOnTheClustersSpotDefault(t *testing.T) {
	b, err := os.ReadFile("../../stacks/testdata/development.golden")
	if err != nil {
		t.Fatal(err)
	}
	s, err := tfmodel.Parse("development", b)
	if err != nil {
		t.Fatal(err)
	}
	if st := s.EffectiveStrategy(s.Services[0]); len(st) != 1 || st[0].Provider != "FARGATE_SPOT" {
		t.Errorf("strategy %+v, want FARGATE_SPOT", st)
	}
}

func TestBadDocumentsNameTheStackAndResource(t *testing.T) {
	for name, doc := range map[string]string{
		"not JSON":     `{`,
		"token number": `{"resource":{"aws_ecs_task_definition":{"T":{"cpu":"${var.cpu}","memory":"512"}}}}`,
	} {
		_, err := tfmodel.Parse("web", []byte(doc))
		if err == nil || !strings.Contains(err.Error(), "stack web") {
			t.Errorf("%s: got %v, want an error naming stack web", name, err)
		}
	}
	_, err := tfmodel.Parse("web", []byte(`{"resource":{"aws_ecs_task_definition":{"T":{"cpu":"${var.cpu}"}}}}`))
	if err == nil || !strings.Contains(err.Error(), "aws_ecs_task_definition.T") || !strings.Contains(err.Error(), "not a literal number") {
		t.Errorf("got %v, want the address and the reason", err)
	}
}

// Hand-written Terraform JSON writes nested blocks as lists; cdktf writes
// objects. Both read the same.
func TestBlocksAsListOrObject(t *testing.T) {
	for name, cfg := range map[string]string{
		"object": `{"target_value":70,"predefined_metric_specification":{"predefined_metric_type":"ECSServiceAverageCPUUtilization"}}`,
		"list":   `[{"target_value":70,"predefined_metric_specification":[{"predefined_metric_type":"ECSServiceAverageCPUUtilization"}]}]`,
	} {
		doc := `{"resource":{"aws_appautoscaling_policy":{"P":{"name":"cpu","resource_id":"${aws_appautoscaling_target.T.resource_id}","target_tracking_scaling_policy_configuration":` + cfg + `}}}}`
		s, err := tfmodel.Parse("x", []byte(doc))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		p := s.ScalingPolicies[0]
		if p.Metric != "ECSServiceAverageCPUUtilization" || p.Value != 70 || p.Target != "aws_appautoscaling_target.T" {
			t.Errorf("%s: %+v", name, p)
		}
	}
}

// The platform stack's Service Connect namespace, the api's served port, the
// worker's call (a security group rule pair) and the domain are read.
func TestPlatformModel(t *testing.T) {
	b, err := os.ReadFile("../../stacks/testdata/platform.golden")
	if err != nil {
		t.Fatal(err)
	}
	s, err := tfmodel.Parse("platform", b)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Namespaces) != 1 || s.Namespaces[0].Name != "platform.internal" {
		t.Fatalf("namespaces %+v", s.Namespaces)
	}
	byName := map[string]tfmodel.Service{}
	for _, sv := range s.Services {
		byName[sv.Name] = sv
	}
	api, worker, web := byName["api"], byName["worker"], byName["web"]
	if web.ServiceConnect != nil {
		t.Errorf("web has Service Connect %+v, want none", web.ServiceConnect)
	}
	if api.ServiceConnect == nil || api.ServiceConnect.Namespace != s.Namespaces[0].Address || len(api.ServiceConnect.Serves) != 1 {
		t.Fatalf("api Service Connect %+v", api.ServiceConnect)
	}
	sc := api.ServiceConnect.Serves[0]
	if sc.PortName != "http" || sc.DiscoveryName != "api" || len(sc.Aliases) != 1 || sc.Aliases[0] != (tfmodel.ClientAlias{DNSName: "api", Port: 80}) {
		t.Errorf("api serves %+v", sc)
	}
	td, _ := s.TaskDefinition(api.TaskDefinition)
	if td.Containers[0].PortNames["http"] != 80 || td.Containers[0].AppProtocols["http"] != "http" {
		t.Errorf("api container ports %+v %+v", td.Containers[0].PortNames, td.Containers[0].AppProtocols)
	}
	if worker.ServiceConnect == nil || len(worker.ServiceConnect.Serves) != 0 {
		t.Errorf("worker Service Connect %+v, want a client only", worker.ServiceConnect)
	}
	pair := 0
	for _, r := range s.SecurityGroupRules {
		if r.Peer == worker.SecurityGroups[0] && r.Group == api.SecurityGroups[0] && r.Ingress && r.Allows(80) ||
			r.Peer == api.SecurityGroups[0] && r.Group == worker.SecurityGroups[0] && !r.Ingress && r.Allows(80) {
			pair++
		}
	}
	if pair != 2 {
		t.Errorf("%d rules between worker and api on port 80, want the ingress and egress pair", pair)
	}
	if len(s.Certificates) != 1 || strings.Join(s.Certificates[0].Names(), ",") != "www.example.com,api.example.com" || s.Certificates[0].Validation != "DNS" || s.Certificates[0].Validated == "" {
		t.Errorf("certificates %+v", s.Certificates)
	}
	var https tfmodel.Listener
	for _, l := range s.Listeners {
		if l.Protocol == "HTTPS" {
			https = l
		}
	}
	if c, ok := s.Certificate(https.Certificate); !ok || c.Address != s.Certificates[0].Address {
		t.Errorf("HTTPS listener certificate %q does not resolve to the stack's certificate", https.Certificate)
	}
	aliases := 0
	for _, r := range s.DNSRecords {
		if r.Alias == s.LoadBalancers[0].Address && r.Type == "A" && r.Zone == "data.aws_route53_zone.Zone" {
			aliases++
		}
	}
	if aliases != 2 || len(s.HostedZones) != 1 || s.HostedZones[0].Name != "example.com" {
		t.Errorf("%d alias records to the ALB, zones %+v", aliases, s.HostedZones)
	}
	for _, o := range s.Other {
		if strings.Contains(o, "route53") || strings.Contains(o, "acm") || strings.Contains(o, "service_discovery") {
			t.Errorf("%s is left uninterpreted", o)
		}
	}
}
