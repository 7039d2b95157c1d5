package stacks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
)

// renamedKeys are the JSON keys of Config, Route and Worker that name a
// field renamed after v0.1.0 (encoding/json matches keys without regard to
// case, so CPU, VPCID and the other initialisms still match their old
// spelling; these do not).
var renamedKeys = map[string]string{
	"Network":      "NetworkProps",
	"Cluster":      "ClusterProps",
	"LoadBalancer": "LoadBalancerProps",
	"Service":      "ServiceProps",
	"Namespace":    "NamespaceProps",
}

var unknownFieldRE = regexp.MustCompile(`^json: unknown field "([^"]*)"$`)

// UnmarshalJSON decodes a Config as encoding/json does, onto the value it
// is called on, except that a key that names no field is an error: a config
// written for an earlier version (whose "Service" is "ServiceProps" now)
// would otherwise decode without it, and New would build the defaults (a
// new network, a cluster and a load balancer with default names) in place of
// what the file configures. The error names the key, and the new name of a
// renamed one.
func (c *Config) UnmarshalJSON(b []byte) error {
	type plain Config // without this method
	p := plain(*c)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		if m := unknownFieldRE.FindStringSubmatch(err.Error()); m != nil {
			if to, ok := renamedKeys[m[1]]; ok {
				return fmt.Errorf("stacks.Config: unknown key %q: it was renamed %q after fargatekit v0.1.0 (CHANGELOG.md)", m[1], to)
			}
			return fmt.Errorf("stacks.Config: unknown key %q: no field of stacks.Config (or of the props in it) has this name", m[1])
		}
		return fmt.Errorf("stacks.Config: %w", err)
	}
	if dec.More() {
		return fmt.Errorf("stacks.Config: more than one JSON value")
	}
	*c = Config(p)
	return nil
}
