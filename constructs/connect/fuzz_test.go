package connect

import (
	"testing"

	"github.com/fargatekit/fargatekit/internal/fuzzprops"
)

// FuzzNew: any Props decoded from the fuzzer's bytes is accepted or refused
// with problems that name fields; never a panic.
func FuzzNew(f *testing.F) {
	fuzzprops.Run(f, Props{Name: "internal"}, Validate,
		Props{Name: "shop.internal", Description: "the shop's services", Tags: map[string]string{"Team": "shop"}})
}

// FuzzFromARN: any ARN and name are accepted or refused with problems that
// name the argument; never a panic.
func FuzzFromARN(f *testing.F) {
	f.Add("arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-abcdef0123456789", "internal")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, arn, name string) {
		fuzzprops.Holds(t, func() error { _, err := FromARN(arn, name); return err })
	})
}
