package cost

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/fargatekit/fargatekit/report/tfmodel"
)

// Why a resource type without a line of its own has none. Free types cost
// nothing; the others may cost something the estimate leaves out.
const (
	whyNetwork   = "VPC networking: AWS charges for NAT gateways, endpoints and public IPv4 addresses (priced above when the stack has them), not for VPCs, subnets, route tables, routes, internet gateways or security groups"
	whyIAM       = "IAM roles and policies have no charge"
	whyECS       = "ECS charges for the Fargate tasks (priced above), not for clusters, capacity provider settings or task definitions"
	whyLBParts   = "parts of a load balancer, whose hours and capacity units are priced above"
	whyScaling   = "Application Auto Scaling has no charge of its own"
	whyACM       = "public ACM certificates used with a load balancer have no charge (see Not included)"
	whyFlowLog   = "a VPC flow log is billed as the log data it delivers, priced above with its log group"
	whyGateway   = "gateway VPC endpoints (S3, DynamoDB) have no charge"
	whyAlias     = "alias records to a load balancer are answered without a query charge (see Not included)"
	whyPolicy    = "a target tracking policy makes Application Auto Scaling create and manage CloudWatch alarms outside the stack (two per policy); what AWS bills for them is not priced here"
	whyCloudMap  = "no AWS Cloud Map rate is in the price table (see Not included)"
	whyUnwritten = "nothing in the stack is known to write to it, so its volume is unknown (see Not included)"
	whyRecords   = "Route 53 query charges for records other than aliases are not priced (see Not included)"
	whySSM       = "no AWS Systems Manager Parameter Store rate is in the price table (its pricing page was not read for this estimate)"
)

var (
	freeTypes = map[string]string{
		"aws_vpc": whyNetwork, "aws_subnet": whyNetwork, "aws_route_table": whyNetwork, "aws_route": whyNetwork,
		"aws_route_table_association": whyNetwork, "aws_internet_gateway": whyNetwork, "aws_security_group": whyNetwork,
		"aws_vpc_security_group_ingress_rule": whyNetwork, "aws_vpc_security_group_egress_rule": whyNetwork,
		"aws_iam_role": whyIAM, "aws_iam_role_policy": whyIAM,
		"aws_ecs_cluster": whyECS, "aws_ecs_cluster_capacity_providers": whyECS, "aws_ecs_task_definition": whyECS,
		"aws_lb_listener": whyLBParts, "aws_lb_listener_rule": whyLBParts, "aws_lb_target_group": whyLBParts,
		"aws_appautoscaling_target": whyScaling, "aws_appautoscaling_scheduled_action": whyScaling,
		"aws_acm_certificate": whyACM, "aws_acm_certificate_validation": whyACM,
		"aws_flow_log": whyFlowLog,
	}
	notPricedTypes = map[string]string{
		"aws_appautoscaling_policy":            whyPolicy,
		"aws_service_discovery_http_namespace": whyCloudMap,
		"aws_cloudwatch_log_group":             whyUnwritten,
		"aws_route53_record":                   whyRecords,
		"aws_ssm_parameter":                    whySSM,
	}
)

// unpriced groups the resources of s that no line lists by why they have no
// line: a gateway endpoint is free, an alias record is answered free, every
// other resource by its type. A type the estimate does not know is listed as
// not priced, naming the type.
func unpriced(s *tfmodel.Stack, lines []Line) []Unpriced {
	priced := map[string]bool{}
	for _, l := range lines {
		for _, r := range l.Resources {
			priced[r] = true
		}
	}
	type key struct {
		free bool
		why  string
	}
	groups := map[key][]string{}
	var order []key
	put := func(k key, addr string) {
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], addr)
	}
	endpoint := map[string]tfmodel.Endpoint{}
	for _, ep := range s.Endpoints {
		endpoint[ep.Address] = ep
	}
	alias := map[string]bool{}
	for _, r := range s.DNSRecords {
		alias[r.Address] = r.Alias != ""
	}
	for _, addr := range slices.Sorted(maps.Keys(s.Resources)) {
		if priced[addr] {
			continue
		}
		typ, _, _ := strings.Cut(addr, ".")
		switch {
		case typ == "aws_vpc_endpoint" && endpoint[addr].Type != "Interface":
			put(key{true, whyGateway}, addr)
		case typ == "aws_route53_record" && alias[addr]:
			put(key{true, whyAlias}, addr)
		default:
			if why, ok := freeTypes[typ]; ok {
				put(key{true, why}, addr)
			} else if why, ok := notPricedTypes[typ]; ok {
				put(key{false, why}, addr)
			} else {
				put(key{false, fmt.Sprintf("the estimate does not know the resource type %s, so it has no price for it", typ)}, addr)
			}
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return order[i].free && !order[j].free })
	var out []Unpriced
	for _, k := range order {
		out = append(out, Unpriced{Resources: groups[k], Free: k.free, Why: k.why})
	}
	return out
}
