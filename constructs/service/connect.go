package service

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/fargatekit/fargatekit/internal/verify"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecsservice"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupegressrule"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"

	"github.com/fargatekit/fargatekit/constructs/connect"
	"github.com/fargatekit/fargatekit/internal/naming"
	"github.com/fargatekit/fargatekit/internal/registry"
	"github.com/fargatekit/fargatekit/internal/tfx"
)

// ServiceConnectLogStreamPrefix is the log stream prefix of the Service
// Connect proxy's logs, written to the service's own log group.
const ServiceConnectLogStreamPrefix = "service-connect"

// ServiceConnect puts the service in an ECS Service Connect namespace so that
// services call each other by name, inside the VPC, without a load balancer.
// The zero value leaves Service Connect off.
//
// A service that serves ports lists them in Serve; a service that calls
// others lists them in Calls (it is then a client; a service may be both).
// Each call opens one path: the caller's security group may connect to the
// called service's group on each served container port, and nothing else is
// opened. The caller is deployed after the services it calls, so their names
// are known to its proxy when its tasks start.
type ServiceConnect struct {
	// Namespace is the namespace to join: from connect.New, or
	// connect.FromARN for one managed elsewhere. Required when Serve or
	// Calls is set; if nil, the stack's (stackdefaults.Props.Namespace),
	// if any.
	Namespace *connect.Namespace
	// Serve publishes ports of the service's containers by name.
	Serve []ConnectEndpoint
	// Calls are the services (created before this one, in the same
	// namespace, each serving at least one port) this service connects to.
	Calls []*Service
}

// ConnectEndpoint is one port a service serves through Service Connect.
type ConnectEndpoint struct {
	// PortName is the Name of one of the containers' tcp PortMappings.
	// Required.
	PortName string
	// DiscoveryName is the name of the Cloud Map service ECS creates for
	// the port, unique in the namespace: 1-64 lowercase letters, digits,
	// underscores and hyphens, not starting with a hyphen. If empty,
	// PortName.
	DiscoveryName string
	// DNSName is what callers use in their requests, e.g. "api" in
	// http://api:8080 (its proxy resolves it): up to 127 lowercase letters,
	// digits, underscores, hyphens and dots, not starting with a hyphen or
	// dot. If empty, DiscoveryName.
	DNSName string
	// Port callers connect to (the proxy forwards to the container port).
	// If zero, the container port.
	Port int
}

// Endpoint is a served [ConnectEndpoint] with its defaults filled in.
type Endpoint struct {
	PortName      string
	DiscoveryName string
	DNSName       string
	Port          int
	// ContainerPort is the port the container listens on: where the
	// callers' security group rules lead.
	ContainerPort int
}

// URL is how a caller reaches the endpoint, e.g. "http://api:8080".
func (e Endpoint) URL(scheme string) string {
	return fmt.Sprintf("%s://%s:%d", scheme, e.DNSName, e.Port)
}

// CallRule is the pair of rules one call opened: Ingress in the called
// service's security group admits the caller's group on ContainerPort, and
// Egress in the caller's group lets it connect there.
type CallRule struct {
	// Service is the called service's name and Endpoint the endpoint
	// called.
	Service  string
	Endpoint Endpoint
	Ingress  vpcsecuritygroupingressrule.VpcSecurityGroupIngressRule
	Egress   vpcsecuritygroupegressrule.VpcSecurityGroupEgressRule
}

var (
	discoveryNameRE = regexp.MustCompile(`^[a-z0-9_][a-z0-9_-]{0,63}$`)
	dnsAliasRE      = regexp.MustCompile(`^[a-z0-9_][a-z0-9_.-]{0,126}$`)
)

// checkConnect checks p.ServiceConnect and returns the served endpoints with
// their defaults filled in. With namespaceWired, a caller fills in the
// namespace later.
func checkConnect(c *verify.Checker, p Props, namespaceWired bool) []Endpoint {
	sc := p.ServiceConnect
	const f = "ServiceConnect"
	switch {
	case sc.Namespace == nil && !namespaceWired:
		if len(sc.Serve) > 0 || len(sc.Calls) > 0 {
			c.Add(f+".Namespace", nil, "is required with Serve or Calls: create one with connect.New, or describe an existing one with connect.FromARN (or give the stack's to stackdefaults.New)")
		}
	case sc.Namespace != nil && sc.Namespace.ARN == "":
		c.Add(f+".Namespace", sc.Namespace.Name, "has no ARN: it must come from connect.New or connect.FromARN")
	}

	// The task's named ports, by name.
	type namedPort struct {
		field    string
		port     int
		protocol string
	}
	ports := map[string]namedPort{}
	var names []string
	for i, d := range p.Containers {
		for j, pm := range d.PortMappings {
			if pm.Name != "" {
				if _, dup := ports[pm.Name]; !dup {
					ports[pm.Name] = namedPort{fmt.Sprintf("Containers[%d].PortMappings[%d]", i, j), pm.ContainerPort, pm.Protocol}
					names = append(names, pm.Name)
				}
			}
		}
	}
	var out []Endpoint
	discovery, aliases := map[string]string{}, map[string]string{}
	for i, e := range sc.Serve {
		ef := fmt.Sprintf("%s.Serve[%d]", f, i)
		r := Endpoint{PortName: e.PortName, DiscoveryName: e.DiscoveryName, DNSName: e.DNSName, Port: e.Port}
		np, ok := ports[e.PortName]
		switch {
		case e.PortName == "":
			c.Add(ef+".PortName", e.PortName, "is required: the Name of one of the containers' PortMappings")
		case !ok && len(names) == 0:
			c.Add(ef+".PortName", e.PortName, "names no port: no PortMapping of the task has a Name; name the port in its container's PortMappings")
		case !ok:
			c.Add(ef+".PortName", e.PortName, "names no port of the task; its named ports are %s", strings.Join(names, ", "))
		case np.protocol != "" && np.protocol != "tcp":
			c.Add(ef+".PortName", e.PortName, "names a %s port (%s): Service Connect proxies TCP only", np.protocol, np.field)
		default:
			r.ContainerPort = np.port
		}
		if r.DiscoveryName == "" {
			r.DiscoveryName = e.PortName
		}
		if r.DiscoveryName != "" && c.Pattern(ef+".DiscoveryName", r.DiscoveryName, discoveryNameRE, "must be 1-64 lowercase letters, digits, underscores or hyphens, not starting with a hyphen (ECS ServiceConnectService.discoveryName)") {
			if other, dup := discovery[r.DiscoveryName]; dup {
				c.Add(ef+".DiscoveryName", r.DiscoveryName, "is also the discovery name of %s: each is a Cloud Map service, unique in the namespace", other)
			}
			discovery[r.DiscoveryName] = ef
		}
		if r.DNSName == "" {
			r.DNSName = r.DiscoveryName
		}
		if e.DNSName != "" {
			c.Pattern(ef+".DNSName", e.DNSName, dnsAliasRE, "must be up to 127 lowercase letters, digits, underscores, hyphens and dots, not starting with a hyphen or dot (ECS ServiceConnectClientAlias.dnsName)")
		}
		if r.Port == 0 {
			r.Port = r.ContainerPort
		} else {
			c.Port(ef+".Port", r.Port)
		}
		alias := fmt.Sprintf("%s:%d", r.DNSName, r.Port)
		if other, dup := aliases[alias]; dup && r.Port != 0 {
			c.Add(ef+".DNSName", alias, "is also the client alias of %s: a name and port are unique in the namespace", other)
		}
		aliases[alias] = ef
		out = append(out, r)
	}

	seen := map[*Service]int{}
	for i, called := range sc.Calls {
		cf := fmt.Sprintf("%s.Calls[%d]", f, i)
		switch {
		case called == nil || called.SecurityGroupID == "":
			c.Add(cf, nil, "must be a service created by service.New (it has a security group to open)")
			continue
		case called.ConnectNamespace == nil || len(called.ConnectEndpoints) == 0:
			c.Add(cf, called.Name, "serves no port through Service Connect: set its ServiceConnect.Serve")
		case sc.Namespace != nil && called.ConnectNamespace.ARN != sc.Namespace.ARN:
			c.Add(cf, called.Name, "is in the namespace %q, not in %q: Service Connect resolves names within one namespace", called.ConnectNamespace.Name, sc.Namespace.Name)
		}
		if j, dup := seen[called]; dup {
			c.Add(cf, called.Name, "repeats %s.Calls[%d]", f, j)
		}
		seen[called] = i
	}
	return out
}

// connectNames are the names Service Connect makes unique in the namespace.
func connectNames(r resolved) []registry.Name {
	ns := r.ServiceConnect.Namespace
	if ns == nil {
		return nil
	}
	where := "namespace " + ns.Name
	var out []registry.Name
	for i, e := range r.endpoints {
		f := fmt.Sprintf("ServiceConnect.Serve[%d]", i)
		out = append(out,
			registry.Name{Kind: registry.ConnectDiscovery, Namespace: where, Value: e.DiscoveryName, Field: f + ".DiscoveryName"},
			registry.Name{Kind: registry.ConnectAlias, Namespace: where, Value: fmt.Sprintf("%s:%d", e.DNSName, e.Port), Field: f + ".DNSName"})
	}
	return out
}

// addServiceConnect opens the security group paths of r's calls and returns
// the service's Service Connect configuration (nil without a namespace) and
// the called services, which the service must be created after.
func addServiceConnect(s constructs.Construct, r resolved, out *Service) (*ecsservice.EcsServiceServiceConnectConfiguration, []*Service) {
	sc := r.ServiceConnect
	if sc.Namespace == nil {
		return nil, nil
	}
	out.ConnectNamespace = sc.Namespace
	out.ConnectEndpoints = r.endpoints
	for _, called := range sc.Calls {
		for _, e := range called.ConnectEndpoints {
			port := tfx.Num(e.ContainerPort)
			rule := CallRule{Service: called.Name, Endpoint: e}
			rule.Ingress = vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(s, tfx.Str("CallIngress-"+e.DiscoveryName), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
				SecurityGroupId:           &called.SecurityGroupID,
				Description:               tfx.Str(fmt.Sprintf("Service Connect %s from the tasks of %s", e.DiscoveryName, naming.Fit(r.Name, 200))),
				IpProtocol:                tfx.Str("tcp"),
				FromPort:                  port,
				ToPort:                    port,
				ReferencedSecurityGroupId: &out.SecurityGroupID,
			})
			rule.Egress = vpcsecuritygroupegressrule.NewVpcSecurityGroupEgressRule(s, tfx.Str("CallEgress-"+e.DiscoveryName), &vpcsecuritygroupegressrule.VpcSecurityGroupEgressRuleConfig{
				SecurityGroupId:           &out.SecurityGroupID,
				Description:               tfx.Str(fmt.Sprintf("Service Connect %s of %s", e.DiscoveryName, naming.Fit(called.Name, 200))),
				IpProtocol:                tfx.Str("tcp"),
				FromPort:                  port,
				ToPort:                    port,
				ReferencedSecurityGroupId: &called.SecurityGroupID,
			})
			out.CallRules = append(out.CallRules, rule)
		}
	}
	cfg := &ecsservice.EcsServiceServiceConnectConfiguration{
		Enabled:   true,
		Namespace: &sc.Namespace.ARN,
		// The proxy's own logs, beside the containers' in the service's
		// log group (the execution role may already write there).
		LogConfiguration: &ecsservice.EcsServiceServiceConnectConfigurationLogConfiguration{
			LogDriver: tfx.Str("awslogs"),
			Options: &map[string]*string{
				"awslogs-group":         tfx.Str(out.LogGroupName),
				"awslogs-region":        tfx.Str(r.Region),
				"awslogs-stream-prefix": tfx.Str(ServiceConnectLogStreamPrefix),
			},
		},
	}
	if len(r.endpoints) > 0 {
		items := make([]*ecsservice.EcsServiceServiceConnectConfigurationService, len(r.endpoints))
		for i, e := range r.endpoints {
			items[i] = &ecsservice.EcsServiceServiceConnectConfigurationService{
				PortName:      tfx.Str(e.PortName),
				DiscoveryName: tfx.Str(e.DiscoveryName),
				ClientAlias: &ecsservice.EcsServiceServiceConnectConfigurationServiceClientAlias{
					Port:    tfx.Num(e.Port),
					DnsName: tfx.Str(e.DNSName),
				},
			}
		}
		cfg.Service = &items
	}
	return cfg, sc.Calls
}
