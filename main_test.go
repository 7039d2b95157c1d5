package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/fargatekit/fargatekit/internal/testutil"
	"github.com/fargatekit/fargatekit/internal/tftest"
	"github.com/fargatekit/fargatekit/report"
	"github.com/fargatekit/fargatekit/stacks"
)

var _ = testutil.Update

var (
	synthOnce sync.Once
	synthDir  string
	synthLog  bytes.Buffer
	synthCode int
)

// synthesizeDefaults runs the program's run() once per test binary into a
// temporary cdktf.out.
func synthesizeDefaults(t *testing.T) string {
	t.Helper()
	synthOnce.Do(func() {
		dir, err := os.MkdirTemp("", "fargatekit-main-")
		if err != nil {
			t.Fatal(err)
		}
		synthDir = filepath.Join(dir, "cdktf.out")
		synthCode = run(stacks.Defaults(), synthDir, &synthLog)
	})
	if synthCode != 0 {
		t.Fatalf("run(defaults) = %d, stderr:\n%s", synthCode, synthLog.String())
	}
	return synthDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if synthDir != "" {
		os.RemoveAll(filepath.Dir(synthDir))
	}
	os.Exit(code)
}

func TestRunSynthesizesEveryDefaultStack(t *testing.T) {
	out := synthesizeDefaults(t)
	for _, cfg := range stacks.Defaults() {
		p := filepath.Join(out, "stacks", cfg.StackName, "cdk.tf.json")
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("stack %s was not synthesized: %v", cfg.StackName, err)
		}
		if bytes.Contains(b, []byte(filepath.Dir(out))) {
			t.Errorf("%s contains the machine-specific path %s: the synthesized JSON must be the same on every machine", p, filepath.Dir(out))
		}
	}
	if _, err := os.Stat(filepath.Join(out, "manifest.json")); err != nil {
		t.Errorf("no manifest.json: %v", err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".cdktf.out.tmp-*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary output left behind: %v", leftovers)
	}
}

// TestRunInvalidConfigLeavesOutputUntouched: a bad config exits 1, names every
// problem, and does not touch an existing cdktf.out.
func TestRunInvalidConfigLeavesOutputUntouched(t *testing.T) {
	out := filepath.Join(t.TempDir(), "cdktf.out")
	marker := filepath.Join(out, "stacks", "production", "cdk.tf.json")
	if err := os.MkdirAll(filepath.Dir(marker), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(marker, []byte(`{"previous":"synth"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := stacks.Production()
	bad.ServiceProps.CPU = 300
	bad.ServiceProps.Containers[0].StopTimeout = 121e9
	bad.NetworkProps.CIDR = "10.0.0.0/33"
	var stderr bytes.Buffer
	if code := run([]stacks.Config{stacks.Development(), bad}, out, &stderr); code != 1 {
		t.Fatalf("run(invalid) = %d, want 1", code)
	}
	for _, want := range []string{"stacks.New(production): 3 invalid props", "ServiceProps.CPU = 300", "ServiceProps.Containers[0].StopTimeout", `NetworkProps.CIDR = "10.0.0.0/33"`, "cdktf.out is unchanged"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr does not mention %q:\n%s", want, stderr.String())
		}
	}
	if strings.Contains(stderr.String(), "goroutine") || strings.Contains(stderr.String(), "jsii") {
		t.Errorf("stderr shows a stack trace:\n%s", stderr.String())
	}
	b, err := os.ReadFile(marker)
	if err != nil || string(b) != `{"previous":"synth"}` {
		t.Fatalf("existing cdktf.out was changed: %q, %v", b, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Errorf("run left extra files beside cdktf.out: %v", entries)
	}
}

func TestRunRejectsDuplicateStackNames(t *testing.T) {
	var stderr bytes.Buffer
	if code := run([]stacks.Config{stacks.Production(), stacks.Production()}, filepath.Join(t.TempDir(), "out"), &stderr); code != 1 {
		t.Fatalf("run(duplicate names) = %d, want 1", code)
	}
	if !strings.Contains(stderr.String(), `"production" is used twice`) {
		t.Errorf("stderr does not name the duplicate:\n%s", stderr.String())
	}
}

// TestTerraformValidate runs terraform init and validate on every synthesized
// stack and every variant (stacks.Variants) with the real AWS provider (from
// the offline mirror when present). examples/existingvpc is validated by
// TestExternalModule.
func TestTerraformValidate(t *testing.T) {
	tftest.Binary(t)
	out := synthesizeDefaults(t)
	var variants []stacks.Config
	for _, v := range stacks.Variants() {
		variants = append(variants, v.Config)
	}
	vout := filepath.Join(t.TempDir(), "cdktf.out")
	var stderr bytes.Buffer
	if code := run(variants, vout, &stderr); code != 0 {
		t.Fatalf("run(variants) = %d, stderr:\n%s", code, stderr.String())
	}
	for _, cfg := range append(stacks.Defaults(), variants...) {
		t.Run(cfg.StackName, func(t *testing.T) {
			src := filepath.Join(out, "stacks", cfg.StackName, "cdk.tf.json")
			if slices.ContainsFunc(variants, func(v stacks.Config) bool { return v.StackName == cfg.StackName }) {
				src = filepath.Join(vout, "stacks", cfg.StackName, "cdk.tf.json")
			}
			validateCopy(t, src)
		})
	}
}

// validateCopy runs terraform validate on a copy of a synthesized stack.
func validateCopy(t *testing.T, src string) {
	t.Helper()
	dir := t.TempDir()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "cdk.tf.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	tftest.Validate(t, dir)
}

// TestExternalModule builds examples/existingvpc, a separate Go module that
// imports the constructs, composes them with its own existing VPC, and
// synthesizes.
func TestExternalModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a separate module")
	}
	dir, err := filepath.Abs(filepath.Join("examples", "existingvpc"))
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	cmd := exec.Command("go", "run", ".", "-out", out)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20")
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go run in %s: %v\n%s", dir, err, b)
	}
	json, err := os.ReadFile(filepath.Join(out, "stacks", "existing-vpc", "cdk.tf.json"))
	if err != nil {
		t.Fatalf("the external module did not synthesize: %v\n%s", err, b)
	}
	for _, want := range []string{`"vpc_id": "vpc-0abc1234def567890"`, `"subnet-0aaa1111bbb222333"`, `"aws_ecs_service"`} {
		if !bytes.Contains(json, []byte(want)) {
			t.Errorf("synthesized stack lacks %s", want)
		}
	}
	if bytes.Contains(json, []byte(`"aws_vpc"`)) {
		t.Error("an existing-network stack must not create a VPC")
	}
	checkReport(t, out, "existing-vpc", "vpc-0abc1234def567890")
	t.Run("terraform-validate", func(t *testing.T) {
		tftest.Binary(t)
		validateCopy(t, filepath.Join(out, "stacks", "existing-vpc", "cdk.tf.json"))
		validateHCL(t, filepath.Join(out, "stacks", "existing-vpc"))
	})
}

// TestReadmeSnippetIsTheExample: the README's program is the whole of
// examples/quickstart/main.go, which TestQuickstartProgram builds, runs and
// validates, so what users paste is a complete, working program.
func TestReadmeSnippetIsTheExample(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	const marker = "<!-- snippet: examples/quickstart/main.go -->"
	snippet, ok := readmeSnippet(t, string(readme), marker, "go")
	if !ok {
		t.Fatalf("README.md lacks the marker %s", marker)
	}
	src, err := os.ReadFile(filepath.Join("examples", "quickstart", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	if snippet != string(src) {
		t.Errorf("README snippet and examples/quickstart/main.go differ:\n%s", testutil.UnifiedDiff(string(src), snippet))
	}
}

// TestReadmePicturesAreTheReports: the README shows the default stacks'
// pictures as images, docs/img/<stack>.svg, and each is what the report
// writes (architecture.svg) for the stack's pinned document. Refresh them
// with go test -run TestReadmePicturesAreTheReports -update . after reading
// the picture's diff.
func TestReadmePicturesAreTheReports(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"production", "development"} {
		marker := "<!-- architecture: " + name + " -->"
		_, after, ok := strings.Cut(string(readme), marker)
		img := "(docs/img/" + name + ".svg)"
		if !ok || !strings.HasPrefix(strings.TrimLeft(after, "\n"), "![") || !strings.Contains(strings.SplitN(strings.TrimLeft(after, "\n"), "\n", 2)[0], img) {
			t.Errorf("README.md lacks the %s picture: the marker %s followed by an image of %s", name, marker, img)
		}
		doc, err := os.ReadFile(filepath.Join("stacks", "testdata", name+".golden"))
		if err != nil {
			t.Fatal(err)
		}
		r, err := report.Build(name, doc, report.Options{})
		if err != nil {
			t.Fatal(err)
		}
		files, err := r.Files()
		if err != nil {
			t.Fatal(err)
		}
		want := files[report.SVGFile]
		path := filepath.Join("docs", "img", name+".svg")
		if *testutil.Update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is not the picture the report draws for %s today:\n%s\nrefresh with go test -run TestReadmePicturesAreTheReports -update .", path, name, testutil.UnifiedDiff(string(want), string(got)))
		}
	}
}

// TestReadmeCostsAreTheEstimates: the monthly figures the README quotes are
// the floor and ceiling that report/cost computes for the default stacks.
func TestReadmeCostsAreTheEstimates(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"production", "development", "platform"} {
		raw, err := os.ReadFile(filepath.Join("report", "cost", "testdata", name+"-cost.json.golden"))
		if err != nil {
			t.Fatal(err)
		}
		var est struct {
			Floor   float64 `json:"floor_monthly"`
			Ceiling float64 `json:"ceiling_monthly"`
		}
		if err := json.Unmarshal(raw, &est); err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("%s: $%.2f to $%.2f a month", name, est.Floor, est.Ceiling)
		if !strings.Contains(string(readme), want) {
			t.Errorf("README.md should quote %q (report/cost/testdata/%s-cost.json.golden)", want, name)
		}
	}
}

// TestDocLinksResolve: every relative link in the README and in docs/ names a
// file or directory of the repository.
func TestDocLinksResolve(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("docs", "*.md"))
	files = append(files, "README.md", filepath.Join("bench", "README.md"), filepath.Join("e2e", "emulator", "README.md"))
	link := regexp.MustCompile(`\]\(([^)#\s]+)(#[^)]*)?\)`)
	checked := 0
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range link.FindAllStringSubmatch(string(text), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			checked++
			if _, err := os.Stat(filepath.Join(filepath.Dir(f), target)); err != nil {
				t.Errorf("%s links to %s, which does not exist", f, target)
			}
		}
	}
	if checked < 10 {
		t.Fatalf("only %d relative links found: the link pattern no longer matches the docs", checked)
	}
}

// readmeSnippet returns the ```lang block that follows marker in readme.
func readmeSnippet(t *testing.T, readme, marker, lang string) (string, bool) {
	t.Helper()
	_, after, ok := strings.Cut(readme, marker)
	if !ok {
		return "", false
	}
	after = strings.TrimPrefix(strings.TrimLeft(after, "\n"), "```"+lang+"\n")
	snippet, _, ok := strings.Cut(after, "```")
	if !ok {
		t.Fatalf("the README snippet after %s is not closed", marker)
	}
	return snippet, true
}

// TestEveryTestPackageAcceptsUpdate: `go test ./... -update` fails with "flag
// provided but not defined" in any test package that does not register the
// flag; testutil registers it, so every test package must import it.
func TestEveryTestPackageAcceptsUpdate(t *testing.T) {
	dirs := map[string]bool{}
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != "." && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			if path != "." {
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return filepath.SkipDir // another module
				}
			}
			return nil
		}
		if !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		dir := filepath.Dir(path)
		if _, seen := dirs[dir]; !seen {
			dirs[dir] = false
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(`"github.com/fargatekit/fargatekit/internal/testutil"`)) {
			dirs[dir] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for dir, ok := range dirs {
		if !ok {
			t.Errorf("test package %s does not import internal/testutil, so `go test ./... -update` fails there", dir)
		}
	}
}

// Every default stack gets its picture and its cost estimate beside its
// cdk.tf.json, written before the swap (no temporary directory is left).
func TestRunWritesPictureAndCostBesideEachStack(t *testing.T) {
	out := synthesizeDefaults(t)
	for _, cfg := range stacks.Defaults() {
		for _, f := range []string{"architecture.mmd", "architecture.svg", "cost.json", "cost.md"} {
			b, err := os.ReadFile(filepath.Join(out, "stacks", cfg.StackName, f))
			if err != nil || len(b) == 0 {
				t.Errorf("stack %s: %s missing or empty: %v", cfg.StackName, f, err)
			}
		}
	}
}

// A region without a price table is a config error found before synthesis,
// not an estimate made up after it.
func TestRunRejectsARegionWithoutPrices(t *testing.T) {
	cfg := stacks.Development()
	cfg.Region = "ap-south-2"
	var stderr bytes.Buffer
	out := filepath.Join(t.TempDir(), "cdktf.out")
	if code := run([]stacks.Config{cfg}, out, &stderr); code != 1 {
		t.Fatalf("run(unpriced region) = %d, want 1", code)
	}
	for _, want := range []string{`stack development: Region "ap-south-2"`, "eu-west-1, us-east-1", "cdktf.out is unchanged"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr does not mention %q:\n%s", want, stderr.String())
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("an output directory was written")
	}
}
