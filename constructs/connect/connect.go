// Package connect lets the services of an app call each other by name without
// going through a load balancer: it creates the AWS Cloud Map HTTP namespace
// that ECS Service Connect registers services in.
//
// The order of use is: [New] (the namespace), then service.New for each
// service that serves a port, with service.Props.ServiceConnect naming the
// namespace and the ports it serves (Serve), then service.New for the
// services that call them, with ServiceConnect.Calls listing those services.
// Each call opens exactly one path in the security groups: the caller's
// group may connect to the called service's group on the served container
// port, and nothing else is opened.
//
// A namespace managed elsewhere is used through [FromARN].
package connect

import (
	"regexp"

	"github.com/fargatekit/fargatekit/internal/verify"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/servicediscoveryhttpnamespace"

	"github.com/fargatekit/fargatekit/internal/registry"
	"github.com/fargatekit/fargatekit/internal/tfx"
	"github.com/fargatekit/fargatekit/internal/txn"
)

// Limits of AWS Cloud Map (CreateHttpNamespace).
const (
	// MaxNameLength is the longest namespace name.
	MaxNameLength = 1024
	// MaxDescriptionLength is the longest namespace description.
	MaxDescriptionLength = 1024
)

// Props configures a [Namespace].
type Props struct {
	// Name of the namespace, unique in the account and region, e.g.
	// "internal" or "shop.local": printable ASCII without spaces, at most
	// MaxNameLength characters. Required.
	Name string
	// Description of the namespace; if empty, one naming the library.
	Description string
	// Tags are added to the namespace.
	Tags map[string]string
}

// Namespace is what [New] created, or what [FromARN] describes.
type Namespace struct {
	// HTTPNamespace is the Cloud Map HTTP namespace; nil for [FromARN].
	HTTPNamespace servicediscoveryhttpnamespace.ServiceDiscoveryHttpNamespace
	// ARN of the namespace (a token for one [New] created): what the
	// services' Service Connect configuration names.
	ARN string
	// Name of the namespace.
	Name string
}

var (
	nameRE = regexp.MustCompile(`^[!-~]+$`)
)

// Validate checks props without creating anything and returns every problem.
func Validate(props Props) error { return check(props).Err() }

func check(p Props) *verify.Checker {
	c := verify.New("connect.New")
	switch {
	case p.Name == "":
		c.Add("Name", p.Name, `is required: the namespace's name, e.g. "internal"`)
	case verify.IsToken(p.Name):
		c.Add("Name", p.Name, "must be a literal name, not a reference: it is the namespace's identity in the account and region")
	case len(p.Name) > MaxNameLength:
		c.Add("Name", p.Name, "must be at most %d characters (it has %d)", MaxNameLength, len(p.Name))
	case !nameRE.MatchString(p.Name):
		c.Add("Name", p.Name, "must be printable ASCII without spaces (Cloud Map CreateHttpNamespace)")
	}
	if len(p.Description) > MaxDescriptionLength {
		c.Add("Description", p.Description, "must be at most %d characters (it has %d)", MaxDescriptionLength, len(p.Description))
	}
	c.NoTemplate("Description", p.Description)
	c.Tags("Tags", p.Tags)
	return c
}

// entry is what New claims in its stack (without scope and id).
func entry(props Props) registry.Entry {
	return registry.Entry{
		Op: "connect.New", Props: props,
		Names:     []registry.Name{{Kind: registry.Namespace, Value: props.Name, Field: "Name", Given: props.Name}},
		TagsField: "Tags", Tags: props.Tags,
	}
}

func init() {
	registry.RegisterPlanner("connect.New", func(props any) (registry.Entry, bool) {
		p, ok := props.(Props)
		if !ok || check(p).Err() != nil {
			return registry.Entry{}, false
		}
		return entry(p), true
	})
}

// New validates props and creates, under scope/id, the namespace. On invalid
// props it returns a *propcheck.Error and creates nothing.
func New(scope constructs.Construct, id string, props Props) (_ *Namespace, err error) {
	if err := check(props).Err(); err != nil {
		return nil, verify.Located(err, registry.PathOf(scope, id))
	}
	var undo txn.Undo
	defer undo.OnError(&err)
	s, err := undo.Enter(scope, id, entry(props))
	if err != nil {
		return nil, err
	}
	desc := props.Description
	if desc == "" {
		desc = "Service Connect namespace of the services that call each other (fargatekit)"
	}
	ns := servicediscoveryhttpnamespace.NewServiceDiscoveryHttpNamespace(s, tfx.Str("Namespace"), &servicediscoveryhttpnamespace.ServiceDiscoveryHttpNamespaceConfig{
		Name:        tfx.Str(props.Name),
		Description: tfx.Str(desc),
		Tags:        tfx.Tags(props.Tags),
	})
	if err := txn.Fault("connect.New"); err != nil {
		return nil, err
	}
	return &Namespace{HTTPNamespace: ns, ARN: *ns.Arn(), Name: props.Name}, nil
}

// FromARN describes a namespace managed elsewhere (an HTTP or a private DNS
// namespace of Cloud Map): its ARN and its name. It creates nothing.
func FromARN(arn, name string) (*Namespace, error) {
	c := verify.New("connect.FromARN")
	if arn == "" {
		c.Add("arn", arn, "is required: the namespace's ARN, arn:aws:servicediscovery:<region>:<account>:namespace/ns-…")
	} else {
		c.ARN("arn", arn, verify.CloudMapNamespace)
	}
	switch {
	case name == "":
		c.Add("name", name, "is required: the namespace's name (it scopes discovery names in error messages and checks)")
	case !verify.IsToken(name) && (len(name) > MaxNameLength || !nameRE.MatchString(name)):
		c.Add("name", name, "must be printable ASCII without spaces, at most %d characters", MaxNameLength)
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	return &Namespace{ARN: arn, Name: name}, nil
}
