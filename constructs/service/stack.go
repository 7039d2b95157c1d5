package service

import (
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/fargatekit/fargatekit/internal/stackwide"
)

// fromStack fills in the props left zero that the stack of scope provides:
// Region from its provider (awsprovider.New), and LogKMSKeyARN, Tags and,
// for a service that serves or calls, ServiceConnect.Namespace from
// stackdefaults.New. Every other default is resolved in check. It reports
// false when scope is in no stack (registry.Enter then says so).
func fromStack(scope constructs.Construct, p Props) (Props, bool) {
	region, err := stackwide.Region(scope)
	if err != nil {
		return p, false
	}
	if p.Region == "" {
		p.Region = region
	}
	d := stackwide.DefaultsOf(scope)
	if p.LogKMSKeyARN == "" {
		p.LogKMSKeyARN = d.LogKMSKeyARN
	}
	if len(p.Tags) == 0 {
		p.Tags = d.Tags
	}
	if sc := &p.ServiceConnect; sc.Namespace == nil && (len(sc.Serve) > 0 || len(sc.Calls) > 0) {
		sc.Namespace = d.Namespace
	}
	return p, true
}
