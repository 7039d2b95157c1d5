package tfhcl

import (
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
)

func convertSmall(t *testing.T, opts Options) (string, *Result) {
	t.Helper()
	doc, err := os.ReadFile("testdata/small.tf.json")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Convert("small.tf.json", doc, opts)
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, name := range []string{"versions.tf", "providers.tf", "variables.tf", "main.tf", "outputs.tf", "moved.tf"} {
		all.Write(res.Files[name])
	}
	return all.String(), res
}

var spaces = regexp.MustCompile(` +`)

// contains fails unless the HCL holds each text (runs of spaces, which
// terraform fmt uses to align, count as one).
func contains(t *testing.T, hcl string, want ...string) {
	t.Helper()
	norm := spaces.ReplaceAllString(hcl, " ")
	for _, w := range want {
		if !strings.Contains(norm, spaces.ReplaceAllString(w, " ")) {
			t.Errorf("the HCL lacks %q", w)
		}
	}
	if t.Failed() {
		t.Logf("HCL:\n%s", hcl)
	}
}

func TestReferencesBecomeExpressions(t *testing.T) {
	hcl, _ := convertSmall(t, Options{})
	contains(t, hcl,
		`subnets          = [aws_vpc.network_vpc.id]`,
		`value       = aws_iam_role.service_task_role.arn`,
		// Literal text around a reference keeps the template.
		`name               = "${aws_vpc.network_vpc.id}-task"`,
		`prefix = "web-${var.image}"`,
	)
	if strings.Contains(hcl, `"${aws_iam_role.service_task_role.arn}"`) {
		t.Error("a lone reference is still wrapped in a template")
	}
}

func TestEscapesKeepTheirMeaning(t *testing.T) {
	hcl, _ := convertSmall(t, Options{})
	contains(t, hcl,
		// $${ in Terraform JSON is a literal ${: still escaped in HCL.
		`description        = "echo $${HOME} \"quoted\" 100%"`,
		// A variable default and a description are not templates in JSON:
		// "$${tag}" there is those six characters, and "${" must be escaped.
		`default     = "nginx:$$${tag}"`,
		`description = "Image, a literal $${not_a_ref}"`,
		// Object keys are templates too; keys that are not identifiers are quoted.
		`"Cost$${Centre}" = local.prefix`,
		`"aws:cdk"        = "x"`,
	)
}

func TestPolicyDocumentsBecomeJSONEncodeWithReferences(t *testing.T) {
	hcl, _ := convertSmall(t, Options{})
	contains(t, hcl,
		`assume_role_policy = jsonencode({`,
		`Version = "2012-10-17"`,
		`"aws:SourceArn" = "arn:${data.aws_partition.network_partition.partition}:ecs:*"`,
		// Not a policy attribute, and jsonencode would sort the keys: the
		// string stays a string, or the parameter would change.
		`value          = "{\"b\":1,\"a\":\"${aws_vpc.network_vpc.id}\"}"`,
		// Written as jsonencode writes it: a document; a reference to a
		// string attribute bare, to a bool attribute through tostring, as
		// interpolation did.
		`insecure_value = jsonencode({`,
		`a = aws_vpc.network_vpc.id`,
		`n = tostring(aws_vpc.network_vpc.enable_dns_support)`,
	)
}

func TestDependsOnAndLifecycleAreReferences(t *testing.T) {
	hcl, _ := convertSmall(t, Options{})
	contains(t, hcl,
		`depends_on    = [aws_iam_role.service_task_role, data.aws_partition.network_partition]`,
		`depends_on  = [aws_ecs_service.service]`,
		`ignore_changes       = [desired_count, tags["Deployed"]]`,
		`replace_triggered_by = [aws_iam_role.service_task_role.id]`,
		`condition     = aws_vpc.network_vpc.cidr_block != ""`,
		`error_message = "the VPC needs a CIDR"`,
		// network_configuration is a block in the schema, default_tags too.
		"network_configuration {\n",
		"default_tags {\n",
	)
}

func TestMetadataIsDropped(t *testing.T) {
	hcl, _ := convertSmall(t, Options{})
	for _, s := range []string{"//", "metadata", "uniqueId", "production/Network"} {
		if strings.Contains(hcl, s) {
			t.Errorf("the HCL still holds CDKTF metadata %q:\n%s", s, hcl)
		}
	}
}

func TestReadableNamesWithMovedBlocks(t *testing.T) {
	hcl, res := convertSmall(t, Options{})
	contains(t, hcl,
		`resource "aws_ecs_service" "service" {`, // production/Service/Service
		`resource "aws_iam_role" "service_task_role" {`,
		`data "aws_partition" "network_partition" {`,
		"moved {\n  from = aws_iam_role.Service_TaskRole_2C0917DF\n  to   = aws_iam_role.service_task_role\n}",
	)
	if strings.Count(hcl, "moved {") != 4 {
		t.Errorf("want a moved block for each of the 4 resources (none for the data source), got %d", strings.Count(hcl, "moved {"))
	}
	if len(res.Renames) != 5 {
		t.Errorf("renames: %+v", res.Renames)
	}
}

func TestKeepAddresses(t *testing.T) {
	hcl, res := convertSmall(t, Options{KeepAddresses: true})
	contains(t, hcl, `resource "aws_iam_role" "Service_TaskRole_2C0917DF" {`, `subnets          = [aws_vpc.Network_Vpc_A1B2C3D4.id]`)
	if strings.Contains(hcl, "moved") || len(res.Files["moved.tf"]) > 0 || len(res.Renames) > 0 {
		t.Errorf("-keep-addresses still moves: %+v", res.Renames)
	}
}

func TestConvertedValuesMeanTheSame(t *testing.T) {
	doc, _ := os.ReadFile("testdata/small.tf.json")
	if n := checkEquivalent(t, "small", doc, Options{}); n != 13 {
		// Every top-level attribute of the fixture (13), the output and the local.
		t.Errorf("compared %d values, want 13", n)
	}
}

func TestNamesAreUniqueAndNeverAnotherOldName(t *testing.T) {
	got := assignNames("resource", "aws_subnet", []string{"Net_A_11111111", "Net_A_22222222", "net_a"}, map[string]string{
		"Net_A_11111111": "s/Net/A", "Net_A_22222222": "s/Net/A",
	})
	// net_a is an old name: giving it to another resource would chain moves.
	if got["net_a"] != "net_a" || got["Net_A_11111111"] != "net_a_2" || got["Net_A_22222222"] != "net_a_3" {
		t.Errorf("names: %v", got)
	}
	for in, want := range map[string]string{"HTTPListener": "http_listener", "Ingress80-0": "ingress80_0", "PublicSubnet0": "public_subnet0", "ExecutionRole": "execution_role"} {
		if got := snake(in); got != want {
			t.Errorf("snake(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRefusesWhatItCannotExpress(t *testing.T) {
	for name, tc := range map[string]struct{ doc, path string }{
		"unknown top-level block":    {`{"check": {"x": {}}}`, "check"},
		"override of no attribute":   {`{"resource": {"aws_vpc": {"V": {"cidr_block": "10.0.0.0/16", "cidr_blok": "x"}}}}`, "resource.aws_vpc.V.cidr_blok"},
		"block given as a string":    {`{"resource": {"aws_ecs_service": {"S": {"name": "x", "network_configuration": "oops"}}}}`, "resource.aws_ecs_service.S.network_configuration"},
		"provider without a schema":  {`{"resource": {"random_id": {"R": {"byte_length": 8}}}}`, "resource.random_id.R"},
		"template directive":         {`{"resource": {"aws_vpc": {"V": {"cidr_block": "%{if true}x%{endif}"}}}}`, "resource.aws_vpc.V.cidr_block"},
		"provisioner":                {`{"resource": {"aws_vpc": {"V": {"cidr_block": "x", "provisioner": [{"local-exec": {"command": "x"}}]}}}}`, "resource.aws_vpc.V.provisioner"},
		"bad depends_on":             {`{"resource": {"aws_vpc": {"V": {"cidr_block": "x", "depends_on": ["not a ref"]}}}}`, "resource.aws_vpc.V.depends_on[0]"},
		"unknown lifecycle argument": {`{"resource": {"aws_vpc": {"V": {"cidr_block": "x", "lifecycle": {"prevent_destroi": true}}}}}`, "resource.aws_vpc.V.lifecycle.prevent_destroi"},
	} {
		t.Run(name, func(t *testing.T) {
			res, err := Convert("in.json", []byte(tc.doc), Options{})
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("want an *Error, got %v (files %v)", err, res)
			}
			if res != nil {
				t.Error("a refused conversion returned files")
			}
			found := false
			for _, p := range e.Problems {
				found = found || p.Path == tc.path
			}
			if !found || !strings.Contains(err.Error(), "in.json") {
				t.Errorf("want a problem at %s naming the file, got %v", tc.path, err)
			}
		})
	}
}

func TestMalformedJSONNamesTheLine(t *testing.T) {
	_, err := Convert("cdk.tf.json", []byte("{\n  \"resource\": {,\n}"), Options{})
	if err == nil || !strings.Contains(err.Error(), "cdk.tf.json") || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("got %v", err)
	}
	_, err = Convert("cdk.tf.json", []byte(`{"a": 1, "a": 2}`), Options{})
	if err == nil || !strings.Contains(err.Error(), `"a" appears twice`) {
		t.Errorf("got %v", err)
	}
}
