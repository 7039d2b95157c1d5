package connect_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/awsprovider"
	"github.com/fargatekit/fargatekit/constructs/connect"
	"github.com/fargatekit/fargatekit/internal/problemtest"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

func stack(t *testing.T) cdktf.TerraformStack {
	t.Helper()
	s := cdktf.NewTerraformStack(testutil.TestApp(), jsii.String("ns"))
	if _, err := awsprovider.New(s, "aws", awsprovider.Props{Region: "us-east-1"}); err != nil {
		t.Fatal(err)
	}
	return s
}

// GIVEN a name WHEN the namespace is created THEN it is one Cloud Map HTTP
// namespace with that name, a description and the tags, and its ARN is the
// resource's attribute.
func TestNewCreatesAnHTTPNamespace(t *testing.T) {
	s := stack(t)
	ns, err := connect.New(s, "Namespace", connect.Props{Name: "shop.internal", Tags: map[string]string{"Team": "shop"}})
	if err != nil {
		t.Fatal(err)
	}
	if ns.Name != "shop.internal" || !strings.Contains(ns.ARN, "${TfToken") || ns.HTTPNamespace == nil {
		t.Errorf("Namespace = %+v", ns)
	}
	_, doc := testutil.Synth(t, s)
	_, r := doc.One(t, "aws_service_discovery_http_namespace")
	if r["name"] != "shop.internal" || r["description"] == "" || testutil.Get(r, "tags", "Team") != "shop" {
		t.Errorf("namespace = %v", r)
	}
}

// GIVEN a namespace name already used in the stack WHEN a second namespace
// takes it THEN it is refused (Cloud Map: NamespaceAlreadyExists).
func TestNamespaceNameTaken(t *testing.T) {
	s := stack(t)
	if _, err := connect.New(s, "A", connect.Props{Name: "internal"}); err != nil {
		t.Fatal(err)
	}
	_, err := connect.New(s, "B", connect.Props{Name: "internal"})
	problemtest.One(t, err, "Name", `"internal"`, "is taken in this stack")
}

func TestNamespaceRefused(t *testing.T) {
	cases := map[string]struct {
		props              connect.Props
		field, value, rule string
	}{
		"no name":          {connect.Props{}, "Name", `""`, "is required"},
		"space in name":    {connect.Props{Name: "my namespace"}, "Name", `"my namespace"`, "printable ASCII without spaces"},
		"non-ASCII name":   {connect.Props{Name: "intérieur"}, "Name", `"intérieur"`, "printable ASCII without spaces"},
		"name too long":    {connect.Props{Name: strings.Repeat("n", 1025)}, "Name", "nnnn", "at most 1024 characters (it has 1025)"},
		"template in desc": {connect.Props{Name: "internal", Description: "${var.x}"}, "Description", `"${var.x}"`, "template"},
		"description too long": {connect.Props{Name: "internal", Description: strings.Repeat("d", 1025)},
			"Description", "dddd", "at most 1024 characters"},
		"empty tag key": {connect.Props{Name: "internal", Tags: map[string]string{"": "x"}}, `Tags[""]`, `""`, "tag keys must be 1-128"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			problemtest.One(t, connect.Validate(tc.props), tc.field, tc.value, tc.rule)
		})
	}
}

func TestFromARN(t *testing.T) {
	const arn = "arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-abcdef0123456789"
	ns, err := connect.FromARN(arn, "internal")
	if err != nil || ns.ARN != arn || ns.Name != "internal" || ns.HTTPNamespace != nil {
		t.Fatalf("FromARN = %+v, %v", ns, err)
	}
	_, err = connect.FromARN("arn:aws:servicediscovery:us-east-1:123456789012:service/srv-abcdef0123456789", "internal")
	problemtest.One(t, err, "arn", "srv-abcdef", `must be the ARN of a Cloud Map namespace: the resource "service/srv-abcdef0123456789" must be namespace/ns-<id>`)
	_, err = connect.FromARN(arn, "")
	problemtest.One(t, err, "name", `""`, "is required")
}

// A namespace for the services of a shop; services join it through
// service.Props.ServiceConnect.
func ExampleNew() {
	fmt.Println(connect.Validate(connect.Props{Name: "shop.internal"}))
	fmt.Println(connect.Validate(connect.Props{Name: "shop internal"}))
	// Output:
	// <nil>
	// connect.New: invalid props: Name = "shop internal": must be printable ASCII without spaces (Cloud Map CreateHttpNamespace)
}
