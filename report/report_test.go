package report_test

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/constructs/network"
	"github.com/fargatekit/fargatekit/constructs/service"
	_ "github.com/fargatekit/fargatekit/internal/testutil" // -update, and the kernel's preload
	"github.com/fargatekit/fargatekit/report"
	"github.com/fargatekit/fargatekit/report/cost"
	"github.com/fargatekit/fargatekit/stacks"
)

// A consumer app: its own stack (not stacks.Defaults), in eu-west-1, on
// Graviton and VPC endpoints, synthesized into its own output directory the
// way `cdktf synth` would, then handed to the report.
func TestConsumerAppGetsPictureAndCost(t *testing.T) {
	out := t.TempDir()
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: &out})
	cfg := stacks.Config{
		StackName:    "billing-api",
		Region:       "eu-west-1",
		NetworkProps: network.Props{Name: "billing", CIDR: "10.20.0.0/16", Egress: network.VPCEndpointsOnly},
		ClusterProps: cluster.Props{Name: "billing"},
		LoadBalancerProps: loadbalancer.Props{
			Name:   "billing-api",
			Target: loadbalancer.TargetProps{Port: 8080},
		},
		ServiceProps: service.Props{
			Name: "billing-api", CPU: 512, Memory: 1024, DesiredCount: 1,
			Architecture: service.ARM64,
			Containers: []container.Definition{{
				Name: "api", Image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/billing:3.1.0",
				PortMappings: []container.PortMapping{{ContainerPort: 8080}},
			}},
			Autoscaling: service.Autoscaling{MinCapacity: 1, MaxCapacity: 4, CPUTarget: 60},
		},
	}
	if _, err := stacks.New(app, cfg); err != nil {
		t.Fatal(err)
	}
	app.Synth()

	reports, err := report.WriteAll(out, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) != 1 {
		t.Fatalf("got %d reports, want 1", len(reports))
	}
	dir := filepath.Join(out, "stacks", "billing-api")
	for _, f := range []string{report.MermaidFile, report.SVGFile, report.CostJSON, report.CostMD} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s was not written beside cdk.tf.json: %v", f, err)
		}
	}

	var est cost.Estimate
	b, _ := os.ReadFile(filepath.Join(dir, report.CostJSON))
	if err := json.Unmarshal(b, &est); err != nil {
		t.Fatal(err)
	}
	if est.Region != "eu-west-1" || !(est.Floor > 0 && est.Floor < est.Ceiling) {
		t.Errorf("cost.json: region %q, floor %v, ceiling %v", est.Region, est.Floor, est.Ceiling)
	}
	var arm, endpoints bool
	for _, l := range est.Lines {
		// 1 task × 0.5 vCPU × 730 h × $0.03238 (ARM, eu-west-1 table) = 11.8187
		if l.Item == "billing-api vCPU (ARM64, on-demand)" {
			arm = true
			if l.Floor < 11.8186 || l.Floor > 11.8188 {
				t.Errorf("ARM vCPU floor %.4f, want 11.8187", l.Floor)
			}
		}
		if l.Group == "VPC endpoints" {
			endpoints = true
		}
		if l.Group == "NAT gateway" {
			t.Error("a stack on VPC endpoints is charged for a NAT gateway")
		}
	}
	if !arm || !endpoints {
		t.Errorf("cost.json lacks the ARM Fargate line (%v) or the endpoint line (%v)", arm, endpoints)
	}

	svg, _ := os.ReadFile(filepath.Join(dir, report.SVGFile))
	var doc struct {
		XMLName xml.Name
	}
	if err := xml.Unmarshal(svg, &doc); err != nil || doc.XMLName.Local != "svg" {
		t.Errorf("architecture.svg is not an SVG document: %v", err)
	}
	mmd, _ := os.ReadFile(filepath.Join(dir, report.MermaidFile))
	for _, want := range []string{"billing-api", "1–4 tasks, scales on CPU 60 %", "ARM64", "endpoint ecr.api"} {
		if !strings.Contains(string(mmd), want) {
			t.Errorf("architecture.mmd lacks %q", want)
		}
	}
}

func TestWriteAllNamesTheStackItCannotPrice(t *testing.T) {
	out := t.TempDir()
	dir := filepath.Join(out, "stacks", "mars")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	doc := `{"provider":{"aws":[{"region":"mars-north-1"}]},"resource":{}}`
	if err := os.WriteFile(filepath.Join(dir, "cdk.tf.json"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := report.WriteAll(out, report.Options{})
	if err == nil || !strings.Contains(err.Error(), "stack mars") || !strings.Contains(err.Error(), `"mars-north-1"`) {
		t.Fatalf("got %v, want an error naming the stack and the region", err)
	}
}

// BenchmarkReport measures what the report adds to a synth per stack:
// parsing cdk.tf.json, the estimate, both pictures and cost.json/cost.md.
func BenchmarkReport(b *testing.B) {
	doc, err := os.ReadFile("../stacks/testdata/production.golden")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		r, err := report.Build("production", doc, report.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.Files(); err != nil {
			b.Fatal(err)
		}
	}
}

// Each default stack's report (what `go run .` writes beside cdk.tf.json)
// is the one the package goldens pin: the picture and the estimate of the
// same pinned document.
func TestDefaultStacksMatchTheirReportGoldens(t *testing.T) {
	for _, name := range []string{"production", "development", "platform"} {
		doc, err := os.ReadFile("../stacks/testdata/" + name + ".golden")
		if err != nil {
			t.Fatal(err)
		}
		r, err := report.Build(name, doc, report.Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		files, err := r.Files()
		if err != nil {
			t.Fatal(err)
		}
		for file, golden := range map[string]string{
			report.MermaidFile: "architecture/testdata/" + name + ".mmd.golden",
			report.SVGFile:     "architecture/testdata/" + name + ".svg.golden",
			report.CostMD:      "cost/testdata/" + name + "-cost.md.golden",
			report.CostJSON:    "cost/testdata/" + name + "-cost.json.golden",
		} {
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if string(files[file]) != string(want) {
				t.Errorf("%s: %s differs from %s; refresh with go test ./report/... -update", name, file, golden)
			}
		}
	}
}
