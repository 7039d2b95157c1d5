// Package tfmodel reads a synthesized stack (the cdk.tf.json that cdktf
// writes and Terraform applies) into typed Go values: the parts of an ECS
// Fargate stack that its architecture picture and its cost estimate need.
//
// It reads the same document that deploys, so the picture and the estimate
// cannot drift from what is applied. It understands the resource types that
// fargatekit creates; other resources are kept in [Stack.Other] by address,
// so that a reader can say what it did not draw or price.
package tfmodel

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Document is the top level of a cdk.tf.json file.
type Document struct {
	Provider map[string][]Provider                 `json:"provider"`
	Resource map[string]map[string]json.RawMessage `json:"resource"`
	Data     map[string]map[string]json.RawMessage `json:"data"`
}

// Provider is one provider block; only the AWS provider's region is read.
type Provider struct {
	Region string `json:"region"`
	Alias  string `json:"alias"`
}

// Stack is the typed model of one synthesized stack.
type Stack struct {
	// Name is the stack's directory name (cdktf.out/stacks/<Name>).
	Name string
	// Region is the default AWS provider's region; empty if it is not a
	// literal.
	Region string

	VPCs            []VPC
	Subnets         []Subnet
	InternetGateway []string // addresses
	NATGateways     []NATGateway
	EIPs            []EIP
	Endpoints       []Endpoint
	LoadBalancers   []LoadBalancer
	Listeners       []Listener
	ListenerRules   []ListenerRule
	TargetGroups    []TargetGroup
	Clusters        []Cluster
	Services        []Service
	TaskDefinitions []TaskDefinition
	ScalableTargets []ScalableTarget
	ScalingPolicies []ScalingPolicy
	Roles           []Role
	RolePolicies    []RolePolicy
	LogGroups       []LogGroup
	FlowLogs        []FlowLog
	SecurityGroups  []string // addresses
	Routes          []Route
	Associations    []Association
	Alarms          []Alarm
	Topics          []Topic
	KMSKeys         []KMSKey
	// Namespaces are the Cloud Map HTTP namespaces that ECS Service Connect
	// uses; SecurityGroupRules the aws_vpc_security_group_ingress_rule and
	// _egress_rule resources.
	Namespaces         []Namespace
	SecurityGroupRules []SecurityGroupRule
	// Certificates are ACM certificates (with their validation resource),
	// DNSRecords the Route 53 records, and HostedZones the
	// data.aws_route53_zone lookups: zones the stack uses but does not
	// create.
	Certificates []Certificate
	DNSRecords   []DNSRecord
	HostedZones  []HostedZone

	// VPCIDs are the literal VPC ids the stack's resources are placed in
	// (vpc_id of security groups and target groups, sorted): an existing
	// VPC that the stack uses but does not create. Empty when the VPC is
	// an aws_vpc of the stack (a reference, not a literal).
	VPCIDs []string

	// Resources maps every resource address ("aws_lb.LoadBalancer_1045")
	// to its attributes as written, for comparisons (see package review).
	Resources map[string]json.RawMessage
	// Other lists the addresses of resources this model does not interpret.
	Other []string
}

// VPC is an aws_vpc.
type VPC struct {
	Address string
	CIDR    string `json:"cidr_block"`
}

// Subnet is an aws_subnet. Zone is the literal zone name or, for the
// `element(data.aws_availability_zones...names, N)` form, "zone N+1".
type Subnet struct {
	Address string
	CIDR    string `json:"cidr_block"`
	Zone    string
	Tier    string // "public", "private" or "" (from the Tier tag)
	Name    string
	Public  bool `json:"map_public_ip_on_launch"`
}

// NATGateway is an aws_nat_gateway.
type NATGateway struct {
	Address    string
	Subnet     string // subnet address
	Allocation string // EIP address
	Name       string
}

// EIP is an aws_eip.
type EIP struct {
	Address string
}

// Endpoint is an aws_vpc_endpoint.
type Endpoint struct {
	Address string
	// Service is the short name ("ecr.api", "s3"): the part of service_name
	// after the region.
	Service string
	Type    string // "Interface" or "Gateway"
	Subnets []string
}

// LoadBalancer is an aws_lb.
type LoadBalancer struct {
	Address  string
	Name     string
	Type     string // "application" or "network"
	Internal bool
	Subnets  []string
}

// Listener is an aws_lb_listener.
type Listener struct {
	Address      string
	LoadBalancer string // aws_lb address
	Port         int
	Protocol     string
	// Action is "forward", "redirect" or the default action's type.
	Action string
	// TargetGroup is the forward target's address; Redirect describes a
	// redirect ("HTTPS:443").
	TargetGroup string
	Redirect    string
	// Certificate is certificate_arn: an aws_acm_certificate or
	// aws_acm_certificate_validation address, or an ARN as written.
	Certificate string
}

// ListenerRule is an aws_lb_listener_rule.
type ListenerRule struct {
	Address     string
	Listener    string
	Priority    int
	Paths       []string
	Hosts       []string
	TargetGroup string
}

// TargetGroup is an aws_lb_target_group.
type TargetGroup struct {
	Address    string
	Name       string
	Port       int
	Protocol   string
	HealthPath string
}

// Cluster is an aws_ecs_cluster with its capacity providers.
type Cluster struct {
	Address           string
	Name              string
	ContainerInsights bool
	// DefaultStrategy comes from aws_ecs_cluster_capacity_providers.
	DefaultStrategy []StrategyItem
}

// StrategyItem is one capacity provider strategy entry.
type StrategyItem struct {
	Provider string `json:"capacity_provider"`
	Base     int    `json:"base"`
	Weight   int    `json:"weight"`
}

// Service is an aws_ecs_service.
type Service struct {
	Address        string
	Name           string
	Cluster        string // aws_ecs_cluster address
	TaskDefinition string // aws_ecs_task_definition address
	DesiredCount   int
	LaunchType     string
	Strategy       []StrategyItem
	Subnets        []string
	AssignPublicIP bool
	TargetGroups   []string
	SecurityGroups []string
	// ServiceConnect is the service's Service Connect configuration; nil
	// when it has none or it is disabled.
	ServiceConnect *ServiceConnect
	// DependsOn lists the addresses of its depends_on.
	DependsOn []string
	// DeploymentAlarms are the alarm names of the service's alarms block:
	// a deployment that sets one off is rolled back when Rollback is set.
	DeploymentAlarms []string
	Rollback         bool
	// PipelineDeploys is true when Terraform ignores which task definition
	// revision the service runs (lifecycle ignore_changes includes
	// task_definition): a pipeline deploys the images after the first
	// revision, so the images of the task definition are only the first.
	PipelineDeploys bool
}

// ServiceConnect is an ECS service's service_connect_configuration: the
// namespace it joins (as a client) and the ports it serves to the other
// services of the namespace.
type ServiceConnect struct {
	// Namespace is the aws_service_discovery_http_namespace address, or the
	// name or ARN as written.
	Namespace string
	Serves    []ServiceConnectService
}

// ServiceConnectService is one entry of service_connect_configuration.service.
type ServiceConnectService struct {
	PortName      string
	DiscoveryName string
	// IngressPort is ingress_port_override; 0 when the proxy listens on the
	// container port.
	IngressPort int
	Aliases     []ClientAlias
}

// ClientAlias is a client_alias: the name and port callers use.
type ClientAlias struct {
	DNSName string
	Port    int
}

// Namespace is an aws_service_discovery_http_namespace.
type Namespace struct {
	Address string
	Name    string
}

// SecurityGroupRule is an aws_vpc_security_group_ingress_rule or
// aws_vpc_security_group_egress_rule.
type SecurityGroupRule struct {
	Address string
	Ingress bool
	Group   string // aws_security_group address the rule belongs to
	// Peer is the referenced security group's address; CIDR the IPv4 range
	// (one of them is set).
	Peer     string
	CIDR     string
	Protocol string // "tcp", "udp" or "-1" (all)
	FromPort int
	ToPort   int
}

// Allows reports whether the rule lets TCP traffic through on port.
func (r SecurityGroupRule) Allows(port int) bool {
	if r.Protocol == "-1" {
		return true
	}
	return (r.Protocol == "tcp" || r.Protocol == "6") && r.FromPort <= port && port <= r.ToPort
}

// Certificate is an aws_acm_certificate.
type Certificate struct {
	Address    string
	Domain     string
	SANs       []string
	Validation string // validation_method: "DNS", "EMAIL" or "" (imported)
	// Validated is the address of the aws_acm_certificate_validation that
	// waits for it, if any.
	Validated string
}

// Names returns the certificate's domain and its subject alternative
// names, each once.
func (c Certificate) Names() []string {
	out := []string{c.Domain}
	for _, n := range c.SANs {
		if n != c.Domain {
			out = append(out, n)
		}
	}
	return out
}

// DNSRecord is an aws_route53_record.
type DNSRecord struct {
	Address string
	// Name is the record's name as written (a token for ACM validation
	// records); Type likewise.
	Name string
	Type string
	Zone string // data.aws_route53_zone or aws_route53_zone address
	// Alias is the address of the aws_lb the alias points to, if any.
	Alias string
	// ForEach is set for records written once per element of for_each
	// (ACM validation records).
	ForEach bool
}

// HostedZone is a data.aws_route53_zone lookup.
type HostedZone struct {
	Address string
	Name    string
	Private bool
}

// TaskDefinition is an aws_ecs_task_definition.
type TaskDefinition struct {
	Address string
	Family  string
	// CPU in CPU units (1024 = 1 vCPU) and Memory in MiB.
	CPU    int
	Memory int
	// Arch is "X86_64" or "ARM64"; OS the operating system family
	// ("LINUX" unless the task definition says otherwise).
	Arch string
	OS   string
	// EphemeralGiB is the configured ephemeral storage; 0 means the free
	// 20 GiB.
	EphemeralGiB  int
	ExecutionRole string // aws_iam_role address
	TaskRole      string
	Containers    []Container
}

// Container is one entry of a task definition's container_definitions.
type Container struct {
	Name     string
	Image    string
	Ports    []int
	LogGroup string // awslogs-group name
	// PortNames maps a named port mapping (Service Connect's port_name) to
	// its container port, and AppProtocols to its appProtocol ("http").
	PortNames    map[string]int
	AppProtocols map[string]string
}

// ScalableTarget is an aws_appautoscaling_target.
type ScalableTarget struct {
	Address string
	Min     int
	Max     int
	// Service is the address of the ECS service it scales, from the target's
	// depends_on or, failing that, its resource_id.
	Service    string
	ResourceID string
}

// ScalingPolicy is an aws_appautoscaling_policy.
type ScalingPolicy struct {
	Address string
	Name    string
	Target  string // aws_appautoscaling_target address
	// Metric is the predefined metric type, and Value its target.
	Metric string
	Value  float64
}

// Role is an aws_iam_role.
type Role struct {
	Address string
	Name    string
	// AssumedBy lists the service principals of its trust policy.
	AssumedBy []string
}

// RolePolicy is an inline aws_iam_role_policy.
type RolePolicy struct {
	Address    string
	Role       string // aws_iam_role address
	Statements []Statement
}

// Statement is one Allow or Deny statement.
type Statement struct {
	Effect    string
	Actions   []string
	Resources []string
}

// LogGroup is an aws_cloudwatch_log_group.
type LogGroup struct {
	Address       string
	Name          string
	RetentionDays int // 0: never expires
}

// FlowLog is an aws_flow_log.
type FlowLog struct {
	Address  string
	LogGroup string // aws_cloudwatch_log_group address
}

// Alarm is an aws_cloudwatch_metric_alarm: on one metric (Namespace,
// Metric, Statistic) or on a metric math expression over Metrics.
type Alarm struct {
	Address string
	Name    string
	// Namespace and Metric name the watched metric of a single-metric
	// alarm; both are empty for a metric math alarm.
	Namespace string
	Metric    string
	// Statistic is the statistic ("Average") or, when Extended, the
	// extended statistic ("p99").
	Statistic string
	Extended  bool
	// Expression is the metric math expression the alarm watches, and
	// Metrics the metrics it reads ("ECS/ContainerInsights RunningTaskCount").
	Expression string
	Metrics    []string
	// Period is the evaluation period in seconds: the alarm's own or the
	// shortest of its metric math metrics'.
	Period     int
	Comparison string
	Threshold  float64
	// Dimensions of the metric (of every metric, for metric math), with
	// references to the stack's resources as addresses.
	Dimensions map[string]string
	// Actions are the alarm, OK and insufficient-data actions, references
	// as addresses, each once.
	Actions []string
}

// MetricCount is how many metrics the alarm evaluates: one, or each
// metric its expression reads.
func (a Alarm) MetricCount() int {
	if a.Expression != "" {
		return len(a.Metrics)
	}
	return 1
}

// HighResolution reports an alarm that evaluates periods shorter than a
// minute.
func (a Alarm) HighResolution() bool { return a.Period > 0 && a.Period < 60 }

// Topic is an aws_sns_topic.
type Topic struct {
	Address string
	Name    string
	// KMSKey is the aws_kms_key address (or the key id, ARN or alias as
	// written) the topic is encrypted with; empty when not encrypted.
	KMSKey string
}

// KMSKey is an aws_kms_key.
type KMSKey struct {
	Address     string
	Description string
	Rotation    bool
}

// Route is an aws_route: the destination and where it goes.
type Route struct {
	Address     string
	Table       string // aws_route_table address
	Destination string
	NATGateway  string // aws_nat_gateway address, if the route goes there
	Gateway     string // aws_internet_gateway address, if it goes there
}

// Association is an aws_route_table_association of a subnet.
type Association struct {
	Subnet string
	Table  string
}

// ReadDir reads dir/cdk.tf.json; the stack is named after dir.
func ReadDir(dir string) (*Stack, error) {
	b, err := os.ReadFile(filepath.Join(dir, "cdk.tf.json"))
	if err != nil {
		return nil, err
	}
	return Parse(filepath.Base(dir), b)
}

// Parse reads a synthesized stack document.
func Parse(name string, doc []byte) (*Stack, error) {
	var d Document
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, fmt.Errorf("stack %s: cdk.tf.json is not Terraform JSON: %w", name, err)
	}
	s := &Stack{Name: name, Resources: map[string]json.RawMessage{}}
	for _, p := range d.Provider["aws"] {
		if p.Alias == "" && !strings.Contains(p.Region, "${") {
			s.Region = p.Region
		}
	}
	p := parser{s: s}
	for _, typ := range slices.Sorted(maps.Keys(d.Resource)) {
		for _, name := range slices.Sorted(maps.Keys(d.Resource[typ])) {
			addr := typ + "." + name
			raw := d.Resource[typ][name]
			s.Resources[addr] = raw
			p.vpcID(raw)
			if err := p.resource(typ, addr, raw); err != nil {
				return nil, fmt.Errorf("stack %s: %s: %w", s.Name, addr, err)
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(d.Data["aws_route53_zone"])) {
		var r struct {
			Name    string `json:"name"`
			Private bool   `json:"private_zone"`
		}
		if err := json.Unmarshal(d.Data["aws_route53_zone"][name], &r); err != nil {
			return nil, fmt.Errorf("stack %s: data.aws_route53_zone.%s: %w", s.Name, name, err)
		}
		s.HostedZones = append(s.HostedZones, HostedZone{Address: "data.aws_route53_zone." + name, Name: r.Name, Private: r.Private})
	}
	p.link()
	return s, nil
}

// vpcID records the literal vpc_id of a resource (an existing VPC's).
func (p *parser) vpcID(raw json.RawMessage) {
	var r struct {
		VPC any `json:"vpc_id"`
	}
	if json.Unmarshal(raw, &r) != nil {
		return
	}
	if v, ok := r.VPC.(string); ok && v != "" && !strings.Contains(v, "${") && !slices.Contains(p.s.VPCIDs, v) {
		p.s.VPCIDs = append(p.s.VPCIDs, v)
		slices.Sort(p.s.VPCIDs)
	}
}

type parser struct {
	s           *Stack
	providers   map[string][]StrategyItem // cluster address -> default strategy
	validations map[string]string         // certificate address -> its validation's
}

// ref turns "${aws_x.Name.attr}" into "aws_x.Name"; other strings are
// returned as they are.
func ref(v string) string {
	m := refRE.FindStringSubmatch(v)
	if m == nil {
		return v
	}
	return m[1]
}

var (
	refRE  = regexp.MustCompile(`^\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_\-]+)\.[a-z_]+\}$`)
	zoneRE = regexp.MustCompile(`^\$\{element\(data\.aws_availability_zones\.[A-Za-z0-9_\-]+\.names,\s*(\d+)\)\}$`)
)

func refs(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = ref(v)
	}
	return out
}

// num reads a JSON number or a numeric string ("256").
type num float64

func (n *num) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		*n = 0
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		// A token (for example "${var.cpu}") is not a number the model can use.
		return fmt.Errorf("%s is not a literal number", b)
	}
	*n = num(f)
	return nil
}

func (p *parser) resource(typ, addr string, raw json.RawMessage) error {
	s := p.s
	switch typ {
	case "aws_vpc":
		v := VPC{Address: addr}
		return decode(raw, &v, func() { s.VPCs = append(s.VPCs, v) })
	case "aws_subnet":
		var r struct {
			CIDR   string            `json:"cidr_block"`
			AZ     string            `json:"availability_zone"`
			Public bool              `json:"map_public_ip_on_launch"`
			Tags   map[string]string `json:"tags"`
		}
		return decode(raw, &r, func() {
			zone := r.AZ
			if m := zoneRE.FindStringSubmatch(r.AZ); m != nil {
				i, _ := strconv.Atoi(m[1])
				zone = fmt.Sprintf("zone %d", i+1)
			}
			s.Subnets = append(s.Subnets, Subnet{Address: addr, CIDR: r.CIDR, Zone: zone, Tier: strings.ToLower(r.Tags["Tier"]), Name: r.Tags["Name"], Public: r.Public})
		})
	case "aws_internet_gateway":
		s.InternetGateway = append(s.InternetGateway, addr)
	case "aws_nat_gateway":
		var r struct {
			Subnet     string            `json:"subnet_id"`
			Allocation string            `json:"allocation_id"`
			Tags       map[string]string `json:"tags"`
		}
		return decode(raw, &r, func() {
			s.NATGateways = append(s.NATGateways, NATGateway{Address: addr, Subnet: ref(r.Subnet), Allocation: ref(r.Allocation), Name: r.Tags["Name"]})
		})
	case "aws_eip":
		s.EIPs = append(s.EIPs, EIP{Address: addr})
	case "aws_vpc_endpoint":
		var r struct {
			Service string   `json:"service_name"`
			Type    string   `json:"vpc_endpoint_type"`
			Subnets []string `json:"subnet_ids"`
		}
		return decode(raw, &r, func() {
			svc := r.Service
			// com.amazonaws.<region>.<service>: the region may be a token.
			if i := strings.Index(svc, "}."); i >= 0 {
				svc = svc[i+2:]
			} else if parts := strings.SplitN(svc, ".", 4); len(parts) == 4 {
				svc = parts[3]
			}
			if r.Type == "" {
				r.Type = "Gateway" // the provider's default
			}
			s.Endpoints = append(s.Endpoints, Endpoint{Address: addr, Service: svc, Type: r.Type, Subnets: refs(r.Subnets)})
		})
	case "aws_lb", "aws_alb":
		var r struct {
			Name     string   `json:"name"`
			Type     string   `json:"load_balancer_type"`
			Internal bool     `json:"internal"`
			Subnets  []string `json:"subnets"`
		}
		return decode(raw, &r, func() {
			if r.Type == "" {
				r.Type = "application"
			}
			s.LoadBalancers = append(s.LoadBalancers, LoadBalancer{Address: addr, Name: r.Name, Type: r.Type, Internal: r.Internal, Subnets: refs(r.Subnets)})
		})
	case "aws_lb_listener", "aws_alb_listener":
		var r struct {
			LB       string `json:"load_balancer_arn"`
			Port     num    `json:"port"`
			Protocol string `json:"protocol"`
			Cert     string `json:"certificate_arn"`
			Default  []struct {
				Type        string `json:"type"`
				TargetGroup string `json:"target_group_arn"`
				Redirect    *struct {
					Port     string `json:"port"`
					Protocol string `json:"protocol"`
				} `json:"redirect"`
			} `json:"default_action"`
		}
		return decode(raw, &r, func() {
			l := Listener{Address: addr, LoadBalancer: ref(r.LB), Port: int(r.Port), Protocol: r.Protocol, Certificate: ref(r.Cert)}
			if len(r.Default) > 0 {
				a := r.Default[0]
				l.Action = a.Type
				l.TargetGroup = ref(a.TargetGroup)
				if a.Redirect != nil {
					l.Redirect = a.Redirect.Protocol + ":" + a.Redirect.Port
				}
			}
			s.Listeners = append(s.Listeners, l)
		})
	case "aws_lb_listener_rule", "aws_alb_listener_rule":
		var r struct {
			Listener string `json:"listener_arn"`
			Priority num    `json:"priority"`
			Action   []struct {
				TargetGroup string `json:"target_group_arn"`
			} `json:"action"`
			Condition []struct {
				Path *struct {
					Values []string `json:"values"`
				} `json:"path_pattern"`
				Host *struct {
					Values []string `json:"values"`
				} `json:"host_header"`
			} `json:"condition"`
		}
		return decode(raw, &r, func() {
			lr := ListenerRule{Address: addr, Listener: ref(r.Listener), Priority: int(r.Priority)}
			for _, a := range r.Action {
				if a.TargetGroup != "" {
					lr.TargetGroup = ref(a.TargetGroup)
				}
			}
			for _, c := range r.Condition {
				if c.Path != nil {
					lr.Paths = append(lr.Paths, c.Path.Values...)
				}
				if c.Host != nil {
					lr.Hosts = append(lr.Hosts, c.Host.Values...)
				}
			}
			s.ListenerRules = append(s.ListenerRules, lr)
		})
	case "aws_lb_target_group", "aws_alb_target_group":
		var r struct {
			Name       string            `json:"name"`
			NamePrefix string            `json:"name_prefix"`
			Port       num               `json:"port"`
			Protocol   string            `json:"protocol"`
			Tags       map[string]string `json:"tags"`
			Health     *struct {
				Path string `json:"path"`
			} `json:"health_check"`
		}
		return decode(raw, &r, func() {
			tg := TargetGroup{Address: addr, Name: r.Name, Port: int(r.Port), Protocol: r.Protocol}
			if tg.Name == "" {
				tg.Name = r.Tags["Name"]
			}
			if tg.Name == "" {
				tg.Name = r.NamePrefix + "*"
			}
			if r.Health != nil {
				tg.HealthPath = r.Health.Path
			}
			s.TargetGroups = append(s.TargetGroups, tg)
		})
	case "aws_ecs_cluster":
		var r struct {
			Name    string `json:"name"`
			Setting []struct {
				Name  string `json:"name"`
				Value string `json:"value"`
			} `json:"setting"`
		}
		return decode(raw, &r, func() {
			c := Cluster{Address: addr, Name: r.Name}
			for _, st := range r.Setting {
				if st.Name == "containerInsights" && (st.Value == "enabled" || st.Value == "enhanced") {
					c.ContainerInsights = true
				}
			}
			s.Clusters = append(s.Clusters, c)
		})
	case "aws_ecs_cluster_capacity_providers":
		var r struct {
			Cluster  string         `json:"cluster_name"`
			Strategy []StrategyItem `json:"default_capacity_provider_strategy"`
		}
		return decode(raw, &r, func() {
			if p.providers == nil {
				p.providers = map[string][]StrategyItem{}
			}
			p.providers[ref(r.Cluster)] = r.Strategy
		})
	case "aws_ecs_service":
		var r struct {
			Name         string         `json:"name"`
			Cluster      string         `json:"cluster"`
			TaskDef      string         `json:"task_definition"`
			Desired      num            `json:"desired_count"`
			LaunchType   string         `json:"launch_type"`
			Strategy     []StrategyItem `json:"capacity_provider_strategy"`
			LoadBalancer []struct {
				TargetGroup string `json:"target_group_arn"`
			} `json:"load_balancer"`
			Alarms block[struct {
				Names    []string `json:"alarm_names"`
				Enable   bool     `json:"enable"`
				Rollback bool     `json:"rollback"`
			}] `json:"alarms"`
			DependsOn []string `json:"depends_on"`
			Lifecycle *struct {
				Ignore []string `json:"ignore_changes"`
			} `json:"lifecycle"`
			ServiceConnect block[struct {
				Enabled   bool   `json:"enabled"`
				Namespace string `json:"namespace"`
				Service   []struct {
					PortName      string `json:"port_name"`
					DiscoveryName string `json:"discovery_name"`
					IngressPort   num    `json:"ingress_port_override"`
					Alias         blocks[struct {
						DNSName string `json:"dns_name"`
						Port    num    `json:"port"`
					}] `json:"client_alias"`
				} `json:"service"`
			}] `json:"service_connect_configuration"`
			Network *struct {
				Public         bool     `json:"assign_public_ip"`
				Subnets        []string `json:"subnets"`
				SecurityGroups []string `json:"security_groups"`
			} `json:"network_configuration"`
		}
		return decode(raw, &r, func() {
			sv := Service{Address: addr, Name: r.Name, Cluster: ref(r.Cluster), TaskDefinition: ref(r.TaskDef), DesiredCount: int(r.Desired), LaunchType: r.LaunchType, Strategy: r.Strategy}
			for _, lb := range r.LoadBalancer {
				sv.TargetGroups = append(sv.TargetGroups, ref(lb.TargetGroup))
			}
			if al := r.Alarms.V; al != nil && al.Enable {
				sv.DeploymentAlarms = al.Names
				sv.Rollback = al.Rollback
			}
			sv.DependsOn = r.DependsOn
			if r.Lifecycle != nil {
				sv.PipelineDeploys = slices.Contains(r.Lifecycle.Ignore, "task_definition")
			}
			if sc := r.ServiceConnect.V; sc != nil && sc.Enabled {
				c := &ServiceConnect{Namespace: ref(sc.Namespace)}
				for _, e := range sc.Service {
					scs := ServiceConnectService{PortName: e.PortName, DiscoveryName: e.DiscoveryName, IngressPort: int(e.IngressPort)}
					for _, a := range e.Alias {
						scs.Aliases = append(scs.Aliases, ClientAlias{DNSName: a.DNSName, Port: int(a.Port)})
					}
					c.Serves = append(c.Serves, scs)
				}
				sv.ServiceConnect = c
			}
			if r.Network != nil {
				sv.AssignPublicIP = r.Network.Public
				sv.Subnets = refs(r.Network.Subnets)
				sv.SecurityGroups = refs(r.Network.SecurityGroups)
			}
			s.Services = append(s.Services, sv)
		})
	case "aws_ecs_task_definition":
		var r struct {
			Family     string `json:"family"`
			CPU        num    `json:"cpu"`
			Memory     num    `json:"memory"`
			Containers string `json:"container_definitions"`
			ExecRole   string `json:"execution_role_arn"`
			TaskRole   string `json:"task_role_arn"`
			Platform   *struct {
				Arch string `json:"cpu_architecture"`
				OS   string `json:"operating_system_family"`
			} `json:"runtime_platform"`
			Ephemeral *struct {
				Size num `json:"size_in_gib"`
			} `json:"ephemeral_storage"`
		}
		return decode(raw, &r, func() {
			td := TaskDefinition{Address: addr, Family: r.Family, CPU: int(r.CPU), Memory: int(r.Memory), Arch: "X86_64", OS: "LINUX", ExecutionRole: ref(r.ExecRole), TaskRole: ref(r.TaskRole)}
			if r.Platform != nil && r.Platform.Arch != "" {
				td.Arch = r.Platform.Arch
			}
			if r.Platform != nil && r.Platform.OS != "" {
				td.OS = r.Platform.OS
			}
			if r.Ephemeral != nil {
				td.EphemeralGiB = int(r.Ephemeral.Size)
			}
			var cs []struct {
				Name  string `json:"name"`
				Image string `json:"image"`
				Ports []struct {
					ContainerPort int    `json:"containerPort"`
					Name          string `json:"name"`
					AppProtocol   string `json:"appProtocol"`
				} `json:"portMappings"`
				Log *struct {
					Options map[string]string `json:"options"`
				} `json:"logConfiguration"`
			}
			// Container definitions that are not literal JSON (a token) leave
			// the list empty; the task's size is still known.
			if json.Unmarshal([]byte(r.Containers), &cs) == nil {
				for _, c := range cs {
					ct := Container{Name: c.Name, Image: c.Image}
					for _, pm := range c.Ports {
						ct.Ports = append(ct.Ports, pm.ContainerPort)
						if pm.Name != "" {
							if ct.PortNames == nil {
								ct.PortNames, ct.AppProtocols = map[string]int{}, map[string]string{}
							}
							ct.PortNames[pm.Name] = pm.ContainerPort
							if pm.AppProtocol != "" {
								ct.AppProtocols[pm.Name] = pm.AppProtocol
							}
						}
					}
					if c.Log != nil {
						ct.LogGroup = c.Log.Options["awslogs-group"]
					}
					td.Containers = append(td.Containers, ct)
				}
			}
			s.TaskDefinitions = append(s.TaskDefinitions, td)
		})
	case "aws_appautoscaling_target":
		var r struct {
			Min       num      `json:"min_capacity"`
			Max       num      `json:"max_capacity"`
			Resource  string   `json:"resource_id"`
			DependsOn []string `json:"depends_on"`
		}
		return decode(raw, &r, func() {
			t := ScalableTarget{Address: addr, Min: int(r.Min), Max: int(r.Max), ResourceID: r.Resource}
			for _, d := range r.DependsOn {
				if strings.HasPrefix(d, "aws_ecs_service.") {
					t.Service = d
				}
			}
			s.ScalableTargets = append(s.ScalableTargets, t)
		})
	case "aws_appautoscaling_policy":
		var r struct {
			Name     string `json:"name"`
			Resource string `json:"resource_id"`
			Target   block[struct {
				Value      num `json:"target_value"`
				Predefined block[struct {
					Type string `json:"predefined_metric_type"`
				}] `json:"predefined_metric_specification"`
			}] `json:"target_tracking_scaling_policy_configuration"`
		}
		return decode(raw, &r, func() {
			pol := ScalingPolicy{Address: addr, Name: r.Name, Target: ref(r.Resource)}
			if t := r.Target.V; t != nil {
				pol.Value = float64(t.Value)
				if t.Predefined.V != nil {
					pol.Metric = t.Predefined.V.Type
				}
			}
			s.ScalingPolicies = append(s.ScalingPolicies, pol)
		})
	case "aws_iam_role":
		var r struct {
			Name   string `json:"name"`
			Assume string `json:"assume_role_policy"`
		}
		return decode(raw, &r, func() {
			role := Role{Address: addr, Name: r.Name}
			for _, st := range statements(r.Assume) {
				role.AssumedBy = append(role.AssumedBy, st.Principal.Service...)
			}
			s.Roles = append(s.Roles, role)
		})
	case "aws_iam_role_policy":
		var r struct {
			Role   string `json:"role"`
			Policy string `json:"policy"`
		}
		return decode(raw, &r, func() {
			rp := RolePolicy{Address: addr, Role: ref(r.Role)}
			for _, st := range statements(r.Policy) {
				rp.Statements = append(rp.Statements, Statement{Effect: st.Effect, Actions: st.Action, Resources: refsIn(st.Resource)})
			}
			s.RolePolicies = append(s.RolePolicies, rp)
		})
	case "aws_cloudwatch_log_group":
		var r struct {
			Name      string `json:"name"`
			Retention num    `json:"retention_in_days"`
		}
		return decode(raw, &r, func() {
			s.LogGroups = append(s.LogGroups, LogGroup{Address: addr, Name: r.Name, RetentionDays: int(r.Retention)})
		})
	case "aws_flow_log":
		var r struct {
			Dest string `json:"log_destination"`
		}
		return decode(raw, &r, func() {
			s.FlowLogs = append(s.FlowLogs, FlowLog{Address: addr, LogGroup: ref(r.Dest)})
		})
	case "aws_security_group":
		s.SecurityGroups = append(s.SecurityGroups, addr)
	case "aws_route":
		var r struct {
			Table string `json:"route_table_id"`
			Dest  string `json:"destination_cidr_block"`
			NAT   string `json:"nat_gateway_id"`
			GW    string `json:"gateway_id"`
		}
		return decode(raw, &r, func() {
			s.Routes = append(s.Routes, Route{Address: addr, Table: ref(r.Table), Destination: r.Dest, NATGateway: ref(r.NAT), Gateway: ref(r.GW)})
		})
	case "aws_route_table_association":
		var r struct {
			Subnet string `json:"subnet_id"`
			Table  string `json:"route_table_id"`
		}
		return decode(raw, &r, func() {
			if r.Subnet != "" {
				s.Associations = append(s.Associations, Association{Subnet: ref(r.Subnet), Table: ref(r.Table)})
			}
		})
	case "aws_cloudwatch_metric_alarm":
		return p.alarm(addr, raw)
	case "aws_sns_topic":
		var r struct {
			Name string `json:"name"`
			Key  string `json:"kms_master_key_id"`
		}
		return decode(raw, &r, func() {
			s.Topics = append(s.Topics, Topic{Address: addr, Name: r.Name, KMSKey: ref(r.Key)})
		})
	case "aws_kms_key":
		var r struct {
			Description string `json:"description"`
			Rotation    bool   `json:"enable_key_rotation"`
		}
		return decode(raw, &r, func() {
			s.KMSKeys = append(s.KMSKeys, KMSKey{Address: addr, Description: r.Description, Rotation: r.Rotation})
		})
	case "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule":
		var r struct {
			Group    string `json:"security_group_id"`
			Peer     string `json:"referenced_security_group_id"`
			CIDR     string `json:"cidr_ipv4"`
			Protocol string `json:"ip_protocol"`
			From     num    `json:"from_port"`
			To       num    `json:"to_port"`
		}
		return decode(raw, &r, func() {
			s.SecurityGroupRules = append(s.SecurityGroupRules, SecurityGroupRule{Address: addr, Ingress: typ == "aws_vpc_security_group_ingress_rule",
				Group: ref(r.Group), Peer: ref(r.Peer), CIDR: r.CIDR, Protocol: r.Protocol, FromPort: int(r.From), ToPort: int(r.To)})
		})
	case "aws_service_discovery_http_namespace":
		var r struct {
			Name string `json:"name"`
		}
		return decode(raw, &r, func() { s.Namespaces = append(s.Namespaces, Namespace{Address: addr, Name: r.Name}) })
	case "aws_acm_certificate":
		var r struct {
			Domain     string   `json:"domain_name"`
			SANs       []string `json:"subject_alternative_names"`
			Validation string   `json:"validation_method"`
		}
		return decode(raw, &r, func() {
			s.Certificates = append(s.Certificates, Certificate{Address: addr, Domain: r.Domain, SANs: r.SANs, Validation: r.Validation})
		})
	case "aws_acm_certificate_validation":
		var r struct {
			Cert string `json:"certificate_arn"`
		}
		return decode(raw, &r, func() {
			if p.validations == nil {
				p.validations = map[string]string{}
			}
			p.validations[ref(r.Cert)] = addr
		})
	case "aws_route53_record":
		var r struct {
			Name    string `json:"name"`
			Type    string `json:"type"`
			Zone    string `json:"zone_id"`
			ForEach any    `json:"for_each"`
			Alias   block[struct {
				Name string `json:"name"`
			}] `json:"alias"`
		}
		return decode(raw, &r, func() {
			rec := DNSRecord{Address: addr, Name: r.Name, Type: r.Type, Zone: ref(r.Zone), ForEach: r.ForEach != nil}
			if a := r.Alias.V; a != nil && strings.HasPrefix(ref(a.Name), "aws_lb.") {
				rec.Alias = ref(a.Name)
			}
			s.DNSRecords = append(s.DNSRecords, rec)
		})
	case "aws_route_table":
		// Wiring that neither the picture nor the estimate needs.
	default:
		s.Other = append(s.Other, addr)
	}
	return nil
}

func (p *parser) alarm(addr string, raw json.RawMessage) error {
	type metric struct {
		Namespace  string            `json:"namespace"`
		Name       string            `json:"metric_name"`
		Period     num               `json:"period"`
		Stat       string            `json:"stat"`
		Dimensions map[string]string `json:"dimensions"`
	}
	var r struct {
		Name       string            `json:"alarm_name"`
		Namespace  string            `json:"namespace"`
		Metric     string            `json:"metric_name"`
		Statistic  string            `json:"statistic"`
		Extended   string            `json:"extended_statistic"`
		Period     num               `json:"period"`
		Comparison string            `json:"comparison_operator"`
		Threshold  num               `json:"threshold"`
		Dimensions map[string]string `json:"dimensions"`
		Alarm      []string          `json:"alarm_actions"`
		OK         []string          `json:"ok_actions"`
		Missing    []string          `json:"insufficient_data_actions"`
		Queries    []struct {
			Expression string        `json:"expression"`
			Metric     block[metric] `json:"metric"`
		} `json:"metric_query"`
	}
	return decode(raw, &r, func() {
		a := Alarm{Address: addr, Name: r.Name, Namespace: r.Namespace, Metric: r.Metric, Statistic: r.Statistic,
			Period: int(r.Period), Comparison: r.Comparison, Threshold: float64(r.Threshold)}
		if r.Extended != "" {
			a.Statistic, a.Extended = r.Extended, true
		}
		dims := map[string]string{}
		for k, v := range r.Dimensions {
			dims[k] = ref(v)
		}
		for _, q := range r.Queries {
			if q.Expression != "" {
				// The returned expression; an alarm has one.
				if a.Expression == "" {
					a.Expression = q.Expression
				}
				continue
			}
			if m := q.Metric.V; m != nil {
				a.Metrics = append(a.Metrics, m.Namespace+" "+m.Name)
				if a.Statistic == "" {
					a.Statistic = m.Stat
				}
				if per := int(m.Period); per > 0 && (a.Period == 0 || per < a.Period) {
					a.Period = per
				}
				for k, v := range m.Dimensions {
					dims[k] = ref(v)
				}
			}
		}
		if len(dims) > 0 {
			a.Dimensions = dims
		}
		seen := map[string]bool{}
		for _, list := range [][]string{r.Alarm, r.OK, r.Missing} {
			for _, act := range list {
				if v := ref(act); !seen[v] {
					seen[v] = true
					a.Actions = append(a.Actions, v)
				}
			}
		}
		p.s.Alarms = append(p.s.Alarms, a)
	})
}

// policyStatement is one statement of an IAM policy document; Action,
// Resource and the service principal may each be a string or a list.
type policyStatement struct {
	Effect    string  `json:"Effect"`
	Action    strList `json:"Action"`
	Resource  strList `json:"Resource"`
	Principal struct {
		Service strList `json:"Service"`
	} `json:"Principal"`
}

// statements reads a policy document written as a JSON string. One that is
// not literal JSON (a token such as jsonencode(...)) has no statements the
// model can read.
func statements(doc string) []policyStatement {
	var pd struct {
		Statement []policyStatement `json:"Statement"`
	}
	if json.Unmarshal([]byte(doc), &pd) != nil {
		return nil
	}
	return pd.Statement
}

// block reads a nested Terraform block, which cdktf writes as an object and
// hand-written Terraform JSON as a list of one.
type block[T any] struct{ V *T }

func (b *block[T]) UnmarshalJSON(raw []byte) error {
	var list []T
	if json.Unmarshal(raw, &list) == nil {
		if len(list) > 0 {
			b.V = &list[0]
		}
		return nil
	}
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		return err
	}
	b.V = &v
	return nil
}

// blocks reads a nested block written as one object or as a list of them.
type blocks[T any] []T

func (b *blocks[T]) UnmarshalJSON(raw []byte) error {
	var list []T
	if json.Unmarshal(raw, &list) == nil {
		*b = list
		return nil
	}
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		return err
	}
	*b = []T{v}
	return nil
}

type strList []string

func (l *strList) UnmarshalJSON(b []byte) error {
	var one string
	if json.Unmarshal(b, &one) == nil {
		*l = []string{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*l = many
	return nil
}

var embeddedRefRE = regexp.MustCompile(`\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_\-]+)\.[a-z_]+\}`)

// refsIn rewrites each resource ARN of a policy: a reference to a resource
// of this stack becomes its address (with any suffix such as
// ":log-stream:*" dropped); other ARNs stay as written.
func refsIn(rs []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range rs {
		v := r
		if m := embeddedRefRE.FindStringSubmatch(r); m != nil && strings.HasPrefix(r, "${") && !strings.HasPrefix(m[1], "data.") {
			v = m[1]
		}
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

func decode(raw json.RawMessage, v any, then func()) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return err
	}
	then()
	return nil
}

// link fills in what needs more than one resource: cluster strategies and
// each scalable target's service.
func (p *parser) link() {
	s := p.s
	for i := range s.Clusters {
		s.Clusters[i].DefaultStrategy = p.providers[s.Clusters[i].Address]
	}
	for i := range s.Certificates {
		s.Certificates[i].Validated = p.validations[s.Certificates[i].Address]
	}
	for i, t := range s.ScalableTargets {
		if t.Service != "" {
			continue
		}
		// resource_id is service/<cluster name>/<service name>.
		for _, sv := range s.Services {
			if strings.HasSuffix(t.ResourceID, "/"+sv.Name) {
				s.ScalableTargets[i].Service = sv.Address
			}
		}
	}
}

// byAddress returns the element of list whose address is addr.
func byAddress[T any](list []T, addr string, address func(T) string) (T, bool) {
	for _, v := range list {
		if address(v) == addr {
			return v, true
		}
	}
	var zero T
	return zero, false
}

// TaskDefinition returns the task definition at addr.
func (s *Stack) TaskDefinition(addr string) (TaskDefinition, bool) {
	return byAddress(s.TaskDefinitions, addr, func(v TaskDefinition) string { return v.Address })
}

// Cluster returns the cluster at addr.
func (s *Stack) Cluster(addr string) (Cluster, bool) {
	return byAddress(s.Clusters, addr, func(v Cluster) string { return v.Address })
}

// Scaling returns the minimum and maximum task count of a service: its
// scalable target's range, or its desired count when nothing scales it.
func (s *Stack) Scaling(sv Service) (min, max int, scaled bool) {
	for _, t := range s.ScalableTargets {
		if t.Service == sv.Address {
			return t.Min, t.Max, true
		}
	}
	return sv.DesiredCount, sv.DesiredCount, false
}

// EffectiveStrategy is the capacity provider strategy a service's tasks run
// on: its own, else FARGATE when its launch type is set, else its cluster's
// default, else FARGATE.
func (s *Stack) EffectiveStrategy(sv Service) []StrategyItem {
	if len(sv.Strategy) > 0 {
		return sv.Strategy
	}
	if sv.LaunchType != "" {
		return []StrategyItem{{Provider: sv.LaunchType, Weight: 1}}
	}
	if c, ok := s.Cluster(sv.Cluster); ok && len(c.DefaultStrategy) > 0 {
		return c.DefaultStrategy
	}
	return []StrategyItem{{Provider: "FARGATE", Weight: 1}}
}

// AlarmsOf returns the alarms that watch a service: those whose metric
// has its ServiceName, or one of its target groups as TargetGroup, and
// those its deployments watch.
func (s *Stack) AlarmsOf(sv Service) []Alarm {
	deploy := map[string]bool{}
	for _, n := range sv.DeploymentAlarms {
		deploy[n] = true
	}
	tgs := map[string]bool{}
	for _, tg := range sv.TargetGroups {
		tgs[tg] = true
	}
	cluster, _ := s.Cluster(sv.Cluster)
	var out []Alarm
	for _, a := range s.Alarms {
		named := sv.Name != "" && a.Dimensions["ServiceName"] == sv.Name
		if c, ok := a.Dimensions["ClusterName"]; ok && cluster.Name != "" && c != cluster.Name {
			named = false
		}
		if deploy[a.Name] || named || tgs[a.Dimensions["TargetGroup"]] {
			out = append(out, a)
		}
	}
	return out
}

// Topic returns the SNS topic at addr.
func (s *Stack) Topic(addr string) (Topic, bool) {
	return byAddress(s.Topics, addr, func(v Topic) string { return v.Address })
}

// KMSKey returns the KMS key at addr.
func (s *Stack) KMSKey(addr string) (KMSKey, bool) {
	return byAddress(s.KMSKeys, addr, func(v KMSKey) string { return v.Address })
}

// DefaultRoute returns the route of a subnet to 0.0.0.0/0, if it has one.
func (s *Stack) DefaultRoute(subnet string) (Route, bool) {
	for _, a := range s.Associations {
		if a.Subnet != subnet {
			continue
		}
		for _, r := range s.Routes {
			if r.Table == a.Table && r.Destination == "0.0.0.0/0" {
				return r, true
			}
		}
	}
	return Route{}, false
}

// Certificate returns the ACM certificate that addr names: the
// certificate itself or its aws_acm_certificate_validation.
func (s *Stack) Certificate(addr string) (Certificate, bool) {
	for _, c := range s.Certificates {
		if addr != "" && (c.Address == addr || c.Validated == addr) {
			return c, true
		}
	}
	return Certificate{}, false
}

// Namespace returns the namespace that addr names.
func (s *Stack) Namespace(addr string) (Namespace, bool) {
	return byAddress(s.Namespaces, addr, func(n Namespace) string { return n.Address })
}

// Zones lists the zones of the stack's subnets, sorted.
func (s *Stack) Zones() []string {
	set := map[string]bool{}
	for _, sn := range s.Subnets {
		set[sn.Zone] = true
	}
	return slices.Sorted(maps.Keys(set))
}

// Subnet returns the subnet at addr.
func (s *Stack) Subnet(addr string) (Subnet, bool) {
	return byAddress(s.Subnets, addr, func(v Subnet) string { return v.Address })
}

// ExistingVPC returns the id of the VPC the stack uses without creating it
// (see [Stack.VPCIDs]), when it creates no aws_vpc of its own.
func (s *Stack) ExistingVPC() (string, bool) {
	if len(s.VPCs) > 0 || len(s.VPCIDs) == 0 {
		return "", false
	}
	return strings.Join(s.VPCIDs, ", "), true
}

// InStackSubnets reports whether every subnet a service's tasks run in is
// an aws_subnet of the stack (false for an existing VPC's subnet ids).
func (s *Stack) InStackSubnets(sv Service) bool {
	for _, sn := range sv.Subnets {
		if _, ok := s.Subnet(sn); !ok {
			return false
		}
	}
	return true
}

// TargetGroup returns the target group at addr.
func (s *Stack) TargetGroup(addr string) (TargetGroup, bool) {
	return byAddress(s.TargetGroups, addr, func(v TargetGroup) string { return v.Address })
}

// TargetGroupsOf returns the target groups that the listeners of lb
// forward to (default actions and listener rules), in listener order.
func (s *Stack) TargetGroupsOf(lb LoadBalancer) []string {
	var out []string
	for _, l := range s.Listeners {
		if l.LoadBalancer != lb.Address {
			continue
		}
		if l.TargetGroup != "" && !slices.Contains(out, l.TargetGroup) {
			out = append(out, l.TargetGroup)
		}
		for _, r := range s.ListenerRules {
			if r.Listener == l.Address && r.TargetGroup != "" && !slices.Contains(out, r.TargetGroup) {
				out = append(out, r.TargetGroup)
			}
		}
	}
	return out
}

// ServicesBehind returns the services that lb sends requests to: those
// registered (a load_balancer block) in a target group one of its
// listeners or listener rules forwards to.
func (s *Stack) ServicesBehind(lb LoadBalancer) []Service {
	tgs := s.TargetGroupsOf(lb)
	var out []Service
	for _, sv := range s.Services {
		for _, tg := range sv.TargetGroups {
			if slices.Contains(tgs, tg) {
				out = append(out, sv)
				break
			}
		}
	}
	return out
}
