package stacks

import (
	"fmt"

	"github.com/fargatekit/fargatekit/internal/verify"

	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsroute53zone"

	"github.com/fargatekit/fargatekit/constructs/albservice"
	"github.com/fargatekit/fargatekit/constructs/connect"
	"github.com/fargatekit/fargatekit/constructs/domain"
	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/internal/tfx"
)

// The construct ids of the optional parts, at the stack's top level.
const (
	NamespaceID = "Namespace"
	DomainID    = "Domain"
	ZoneID      = "Zone"
)

func domainProps(d *Domain) domain.Props {
	return domain.Props{Name: d.Name, SubjectAlternativeNames: d.SubjectAlternativeNames, ZoneName: d.ZoneName}
}

// extraService is a route's or a worker's service as the stack wires it.
type extraService struct {
	field string // "Routes[0]" or "Workers[0]"
	id    string
	props service.Props
	calls []string
	route *loadbalancer.RuleProps
}

func extras(cfg Config) []extraService {
	var out []extraService
	for i, r := range cfg.Routes {
		rule := r.Rule
		out = append(out, extraService{fmt.Sprintf("Routes[%d]", i), r.ID, r.ServiceProps, r.Calls, &rule})
	}
	for i, w := range cfg.Workers {
		out = append(out, extraService{fmt.Sprintf("Workers[%d]", i), w.ID, w.ServiceProps, w.Calls, nil})
	}
	return out
}

// checkExtras checks Domain, Namespace, Routes and Workers: their own props,
// and the calls between services, which may only name services created
// earlier that serve a port.
func checkExtras(c *verify.Checker, cfg Config) {
	if cfg.Domain != nil {
		c.MergeUnder("Config.Domain", "Domain", domain.ValidateWired(domainProps(cfg.Domain), domain.Wired{Zone: true}))
	}
	if cfg.NamespaceProps != nil {
		c.MergeUnder("Config.Namespace", "Namespace", connect.Validate(*cfg.NamespaceProps))
	}
	serves := map[string]bool{cfg.ServiceProps.Name: len(cfg.ServiceProps.ServiceConnect.Serve) > 0}
	ids := map[string]string{NamespaceID: "Config.Namespace", DomainID: "Config.Domain", ZoneID: "Config.Domain"}
	for _, id := range []string{albservice.NetworkID, albservice.ClusterID, albservice.LoadBalancerID, albservice.ServiceID} {
		ids[id] = "a part of the stack's pattern"
	}
	for _, x := range extras(cfg) {
		f := "Config." + x.field
		if x.props.Region != "" && x.props.Region != cfg.Region {
			c.Add(f+".Service.Region", x.props.Region, "differs from Config.Region %q: leave it empty", cfg.Region)
		}
		x.props.Region = cfg.Region
		switch other, taken := ids[x.id]; {
		case x.id == "":
			c.Add(f+".ID", x.id, "is required: the construct id the service is created under")
		case taken:
			c.Add(f+".ID", x.id, "is also the id of %s: ids are unique in the stack", other)
		}
		ids[x.id] = f
		if x.props.ServiceConnect.Namespace != nil {
			c.Add(f+".Service.ServiceConnect.Namespace", x.props.ServiceConnect.Namespace.Name, "is provided by the stack (Config.Namespace): leave it empty")
		}
		if len(x.props.ServiceConnect.Calls) > 0 {
			c.Add(f+".Service.ServiceConnect.Calls", len(x.props.ServiceConnect.Calls), "is provided by the stack: name the services in %s.Calls", f)
		}
		w := service.Wired{Namespace: cfg.NamespaceProps != nil}
		if x.route != nil {
			c.MergeUnder(f, "", albservice.ValidateRoute(x.id, *x.route, x.props, w))
		} else {
			c.MergeUnder(f+".Service", "Service", albservice.ValidateWorker(x.id, x.props, w))
		}
		for j, name := range x.calls {
			cf := fmt.Sprintf("%s.Calls[%d]", f, j)
			switch s, known := serves[name]; {
			case cfg.NamespaceProps == nil:
				c.Add(cf, name, "needs Config.Namespace: services call each other through Service Connect")
			case !known:
				c.Add(cf, name, "names no service created before this one: give Config.Service's, or an earlier Route's or Worker's Service.Name")
			case !s:
				c.Add(cf, name, "serves no port: set ServiceConnect.Serve on that service")
			}
		}
		if x.props.Name != "" {
			serves[x.props.Name] = len(x.props.ServiceConnect.Serve) > 0
		}
	}
	if cfg.NamespaceProps == nil && len(cfg.ServiceProps.ServiceConnect.Serve) > 0 {
		c.Add("Service.ServiceConnect.Serve", len(cfg.ServiceProps.ServiceConnect.Serve), "needs Config.Namespace")
	}
}

// addNamespace and addDomain run before the pattern: the service joins the
// namespace, and the load balancer takes the domain's certificate.
func (st *Stack) addNamespace(cfg Config) (err error) {
	if cfg.NamespaceProps != nil {
		st.Namespace, err = connect.New(st.TerraformStack, NamespaceID, *cfg.NamespaceProps)
	}
	return err
}

func (st *Stack) addDomain(cfg Config) (err error) {
	if cfg.Domain == nil {
		return nil
	}
	st.Zone = dataawsroute53zone.NewDataAwsRoute53Zone(st.TerraformStack, tfx.Str(ZoneID), &dataawsroute53zone.DataAwsRoute53ZoneConfig{
		Name:        tfx.Str(cfg.Domain.ZoneName),
		PrivateZone: false,
	})
	p := domainProps(cfg.Domain)
	p.ZoneID = *st.Zone.ZoneId()
	st.Domain, err = domain.New(st.TerraformStack, DomainID, p)
	return err
}

// addExtras runs after the pattern: the aliases to its load balancer, then
// the routes and workers in the config's order, each joined to the
// namespace and given the services it calls.
func (st *Stack) addExtras(cfg Config) error {
	if st.Domain != nil {
		if err := st.Domain.AliasTo(st.LoadBalancer); err != nil {
			return err
		}
	}
	byName := map[string]*service.Service{st.Service.Name: st.Service}
	for _, x := range extras(cfg) {
		sp := x.props
		if len(sp.ServiceConnect.Serve) > 0 || len(x.calls) > 0 {
			sp.ServiceConnect.Namespace = st.Namespace
		}
		for _, name := range x.calls {
			sp.ServiceConnect.Calls = append(sp.ServiceConnect.Calls, byName[name])
		}
		var svc *service.Service
		if x.route != nil {
			if st.Routes == nil {
				st.Routes = map[string]*albservice.Pattern{}
			}
			pat, err := albservice.New(st.TerraformStack, x.id, albservice.Props{
				Network: st.Network, Cluster: st.Cluster, LoadBalancer: st.LoadBalancer, Rule: x.route, ServiceProps: sp,
			})
			if err != nil {
				return err
			}
			st.Routes[x.id], svc = pat, pat.Service
		} else {
			if st.Workers == nil {
				st.Workers = map[string]*service.Service{}
			}
			var err error
			if svc, err = st.Pattern.AddWorker(x.id, sp); err != nil {
				return err
			}
			st.Workers[x.id] = svc
		}
		byName[svc.Name] = svc
	}
	return nil
}
