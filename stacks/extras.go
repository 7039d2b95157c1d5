package stacks

import (
	"fmt"

	"github.com/fargatekit/fargatekit/internal/naming"
	"github.com/fargatekit/fargatekit/internal/verify"

	"github.com/fargatekit/fargatekit/constructs/albservice"
	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/connect"
	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/internal/registry"
)

// The construct ids of the optional parts, at the stack's top level (the
// unscoped pattern creates them).
const (
	NamespaceID = albservice.NamespaceID
	DomainID    = albservice.DomainID
	ZoneID      = albservice.ZoneID
)

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

// checkExtras checks Routes and Workers as the pattern pp will add them, and
// the calls between services, which may only name services created earlier
// that serve a port.
func checkExtras(c *verify.Checker, cfg Config, pp albservice.Props) {
	serves := map[string]bool{pp.ServiceProps.Name: len(pp.ServiceProps.ServiceConnect.Serve) > 0}
	ids := map[string]string{NamespaceID: "NamespaceProps", DomainID: "Domain", ZoneID: "Domain"}
	for _, id := range []string{albservice.NetworkID, albservice.ClusterID, albservice.LoadBalancerID, albservice.ServiceID} {
		ids[id] = "a part of the stack's pattern"
	}
	for _, id := range topIDs {
		ids[id] = "a construct the stack creates"
	}
	priorities := map[int]string{}
	for _, x := range extras(cfg) {
		f := x.field
		if x.props.Region != "" && x.props.Region != cfg.Region {
			c.Add(f+".ServiceProps.Region", x.props.Region, "differs from Config.Region %q: leave it empty", cfg.Region)
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
			c.Add(f+".ServiceProps.ServiceConnect.Namespace", x.props.ServiceConnect.Namespace.Name, "is provided by the stack (Config.NamespaceProps): leave it empty")
		}
		if len(x.props.ServiceConnect.Calls) > 0 {
			c.Add(f+".ServiceProps.ServiceConnect.Calls", len(x.props.ServiceConnect.Calls), "is provided by the stack: name the services in %s.Calls", f)
		}
		if x.route != nil {
			c.MergeUnder(f, pp.ValidateRoute(x.id, *x.route, x.props))
			if other, taken := priorities[x.route.Priority]; taken {
				c.Add(f+".Rule.Priority", x.route.Priority, "is also the priority of %s's rule: each rule on the load balancer needs its own", other)
			}
			priorities[x.route.Priority] = f
		} else {
			c.MergeUnder(f+".ServiceProps", pp.ValidateWorker(x.id, x.props))
		}
		for j, name := range x.calls {
			cf := fmt.Sprintf("%s.Calls[%d]", f, j)
			switch s, known := serves[name]; {
			case cfg.NamespaceProps == nil:
				c.Add(cf, name, "needs Config.NamespaceProps: services call each other through Service Connect")
			case !known:
				c.Add(cf, name, "names no service created before this one: give Config.ServiceProps.Name, or an earlier Route's or Worker's ServiceProps.Name")
			case !s:
				c.Add(cf, name, "serves no port: set ServiceConnect.Serve on that service")
			}
		}
		name := x.props.Name
		if name == "" {
			name = naming.FromID(x.id) // as albservice names it
		}
		if name != "" {
			serves[name] = len(x.props.ServiceConnect.Serve) > 0
		}
	}
	if cfg.NamespaceProps == nil && len(cfg.ServiceProps.ServiceConnect.Serve) > 0 {
		c.Add("ServiceProps.ServiceConnect.Serve", len(cfg.ServiceProps.ServiceConnect.Serve), "needs Config.NamespaceProps")
	}
}

// topIDs are the ids at the stack's top level that are neither the pattern's
// parts nor the optional ones: the provider, the backend and the outputs.
var topIDs = []string{"aws", "backend", "alb_dns_name", "url", "cluster_name", "service_name", "execution_role_arn", "task_role_arn", "log_group_name"}

// planned are the entries the stack's constructors would claim, in the order
// New creates them, each under its construct path and with its fields named
// as Validate names them: for registry.Clashes.
func planned(cfg Config) []registry.Entry {
	var out []registry.Entry
	add := func(construct, path, field string, props any) {
		e, ok := registry.Plan(construct, props)
		if !ok {
			return
		}
		e.Path = cfg.StackName + "/" + path
		e.Root = field
		out = append(out, e)
	}
	var ns *connect.Namespace
	if cfg.NamespaceProps != nil {
		add("connect.New", NamespaceID, "NamespaceProps", *cfg.NamespaceProps)
		// A stand-in with the name the service's names are scoped by.
		ns = &connect.Namespace{Name: cfg.NamespaceProps.Name, ARN: "planned"}
	}
	pp := patternProps(cfg)
	add("network.New", albservice.NetworkID, "NetworkProps", pp.NetworkProps)
	add("cluster.New", albservice.ClusterID, "ClusterProps", pp.ClusterProps)
	add("loadbalancer.New", albservice.LoadBalancerID, "LoadBalancerProps", pp.LoadBalancerProps)
	cl := &cluster.Cluster{Name: pp.ClusterProps.Name}
	sp := pp.ServiceProps
	sp.Cluster = cl
	if len(sp.ServiceConnect.Serve) > 0 {
		sp.ServiceConnect.Namespace = ns
	}
	add("service.New", albservice.ServiceID, "ServiceProps", sp)
	for _, x := range extras(cfg) {
		sp := x.props
		sp.Region = cfg.Region
		sp.Cluster = cl
		if len(sp.ServiceConnect.Serve) > 0 || len(x.calls) > 0 {
			sp.ServiceConnect.Namespace = ns
		}
		path, field := x.id, x.field+".ServiceProps"
		if x.route != nil {
			path += "/" + albservice.ServiceID
		}
		add("service.New", path, field, sp)
	}
	return out
}

// addExtras runs after the pattern: the routes and workers in the config's
// order, each given the services it calls (and so joined to the pattern's
// namespace).
func (st *Stack) addExtras(cfg Config) error {
	byName := map[string]*service.Service{st.Service.Name: st.Service}
	for _, x := range extras(cfg) {
		sp := x.props
		for _, name := range x.calls {
			sp.ServiceConnect.Calls = append(sp.ServiceConnect.Calls, byName[name])
		}
		var svc *service.Service
		if x.route != nil {
			if st.Routes == nil {
				st.Routes = map[string]*albservice.Pattern{}
			}
			pat, err := st.Pattern.AddRoute(x.id, *x.route, sp)
			if err != nil {
				return adopt(cfg, x.field, x.field+".ID", err, nil)
			}
			st.Routes[x.id], svc = pat, pat.Service
		} else {
			if st.Workers == nil {
				st.Workers = map[string]*service.Service{}
			}
			var err error
			if svc, err = st.Pattern.AddWorker(x.id, sp); err != nil {
				return adopt(cfg, x.field+".ServiceProps", x.field+".ID", err, nil)
			}
			st.Workers[x.id] = svc
		}
		byName[svc.Name] = svc
	}
	return nil
}
