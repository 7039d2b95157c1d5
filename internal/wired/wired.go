// Package wired lets the albservice pattern check a part's props before the
// constructs that provide some of them exist: the network's VPC and subnet
// ids, the cluster, the load balancer, a Service Connect namespace, a
// certificate, a hosted zone. No stand-in value is passed through a check;
// the part's own check skips exactly the fields [Parts] names, and its New
// checks them all with the real values.
//
// The checks are the construct packages' unexported ones, lent here from
// their init functions with [Register]: an app validates a part through its
// package's Validate, or a pattern through albservice.Validate, whose props
// say what the pattern wires.
package wired

import (
	"fmt"
	"reflect"
	"sync"
)

// Parts names the props a caller fills in from constructs it creates
// alongside. Each construct reads the fields it has.
type Parts struct {
	// Network: VPCID and SubnetIDs (service, load balancer) come from a
	// network created alongside.
	Network bool
	// Cluster: service.Props.Cluster comes from a cluster created alongside.
	Cluster bool
	// LoadBalancer: service.Props.LoadBalancer comes from a load balancer (or
	// a rule's target group) created alongside, so the checks that need one
	// (the target container and its port, request-count scaling) apply as if
	// it were set.
	LoadBalancer bool
	// Namespace: service.Props.ServiceConnect.Namespace comes from a
	// namespace created alongside.
	Namespace bool
	// Certificate: loadbalancer.Props.CertificateARN comes from a certificate
	// created alongside, so the load balancer has HTTPS.
	Certificate bool
	// Zone: domain.Props.ZoneID comes from a zone looked up alongside.
	Zone bool
}

var checks sync.Map // reflect.Type of the props -> func(P, Parts) error

// Register lends the check of props of type P. A construct package calls it
// from its init function.
func Register[P any](check func(P, Parts) error) {
	checks.Store(reflect.TypeFor[P](), check)
}

// Check checks props like the construct's Validate, except the props w
// names. It panics if no check for P is registered: that is a broken import
// in this library, never the user's input.
func Check[P any](props P, w Parts) error {
	f, ok := checks.Load(reflect.TypeFor[P]())
	if !ok {
		panic(fmt.Sprintf("wired: no check registered for %v", reflect.TypeFor[P]()))
	}
	return f.(func(P, Parts) error)(props, w)
}
