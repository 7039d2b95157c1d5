package container

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fargatekit/fargatekit/internal/verify"

	"github.com/fargatekit/fargatekit/constructs/propcheck"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

var _ = testutil.Update

func render(t *testing.T, defs []Definition) []map[string]any {
	t.Helper()
	c := verify.New("test")
	checkDefinitions(c, "Containers", defs)
	if err := c.Err(); err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	if err := json.Unmarshal([]byte(JSON(defs, Logging{Group: "/ecs/x", Region: "us-east-1", StreamPrefix: "ecs"})), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestJSONIsWhatECSEchoes: the canonical form the provider compares against,
// so that a plan after apply shows no change.
func TestJSONIsWhatECSEchoes(t *testing.T) {
	out := render(t, []Definition{
		{Name: "web", Image: "nginx:1.27", PortMappings: []PortMapping{{ContainerPort: 8080}},
			Environment: map[string]string{"B": "2", "A": "1"},
			HealthCheck: &HealthCheck{Command: []string{"CMD-SHELL", "curl -f localhost:8080"}}},
		{Name: "agent", Image: "busybox:1.36", NonEssential: true},
	})
	if out[0]["name"] != "agent" || out[1]["name"] != "web" {
		t.Errorf("containers are not sorted by name: %v, %v", out[0]["name"], out[1]["name"])
	}
	web := out[1]
	if web["essential"] != true || out[0]["essential"] != false {
		t.Error("essential is not explicit")
	}
	pm := testutil.Get(web, "portMappings", 0)
	if testutil.Get(pm, "hostPort") != 8080.0 || testutil.Get(pm, "protocol") != "tcp" {
		t.Errorf("port mapping is not canonical: %v", pm)
	}
	if testutil.Get(web, "environment", 0, "name") != "A" {
		t.Errorf("environment is not sorted: %v", web["environment"])
	}
	hc := web["healthCheck"].(map[string]any)
	if hc["interval"] != 30.0 || hc["timeout"] != 5.0 || hc["retries"] != 3.0 {
		t.Errorf("health check defaults not filled in: %v", hc)
	}
	if _, ok := out[0]["environment"]; ok {
		t.Error("an empty environment is emitted; ECS drops it and the provider would see a change")
	}
	if web["readonlyRootFilesystem"] != true || web["stopTimeout"] != 30.0 {
		t.Errorf("defaults: readonlyRootFilesystem=%v stopTimeout=%v", web["readonlyRootFilesystem"], web["stopTimeout"])
	}
	for _, c := range out {
		for k, v := range c {
			if v == nil {
				t.Errorf("container %v has a null %s", c["name"], k)
			}
		}
	}
}

func TestUserStringsAreDeployedLiterally(t *testing.T) {
	defs := []Definition{{
		Name: "app", Image: "app:1",
		Environment: map[string]string{"GREETING": "hello ${USER} %{ if x }"},
		HealthCheck: &HealthCheck{Command: []string{"CMD-SHELL", `test -n "${PORT}"`}},
	}}
	c := verify.New("t")
	checkDefinitions(c, "C", defs)
	if !c.OK() {
		t.Fatal(c.Err())
	}
	raw := JSON(defs, Logging{Group: "/ecs/app", Region: "us-east-1", StreamPrefix: "ecs"})
	for _, want := range []string{`hello $${USER} %%{ if x }`, `test -n \"$${PORT}\"`} {
		if !strings.Contains(raw, want) {
			t.Errorf("JSON lacks the escaped %s:\n%s", want, raw)
		}
	}
}

func TestCheckRefuses(t *testing.T) {
	cases := map[string]struct {
		def   Definition
		field string
	}{
		"no image":           {Definition{Name: "a"}, "C[0].Image"},
		"image with space":   {Definition{Name: "a", Image: "nginx latest"}, "C[0].Image"},
		"stop timeout 121s":  {Definition{Name: "a", Image: "x", StopTimeout: 121 * time.Second}, "C[0].StopTimeout"},
		"stop timeout 1.5s":  {Definition{Name: "a", Image: "x", StopTimeout: 1500 * time.Millisecond}, "C[0].StopTimeout"},
		"udp? no, sctp":      {Definition{Name: "a", Image: "x", PortMappings: []PortMapping{{ContainerPort: 53, Protocol: "sctp"}}}, "C[0].PortMappings[0].Protocol"},
		"token in name":      {Definition{Name: "API_TOKEN", Image: "x", Environment: map[string]string{"API_TOKEN": "abc"}}, `C[0].Environment["API_TOKEN"]`},
		"aws key value":      {Definition{Name: "a", Image: "x", Environment: map[string]string{"CONFIG": "AKIAIOSFODNN7EXAMPLE"}}, `C[0].Environment["CONFIG"]`},
		"password in url":    {Definition{Name: "a", Image: "x", Environment: map[string]string{"DB_URL": "postgres://app:s3cret@db/app"}}, `C[0].Environment["DB_URL"]`},
		"bad secret arn":     {Definition{Name: "a", Image: "x", Secrets: map[string]Secret{"DB": SecretsManager("my-secret")}}, `C[0].Secrets["DB"]`},
		"health check form":  {Definition{Name: "a", Image: "x", HealthCheck: &HealthCheck{Command: []string{"curl", "localhost"}}}, "C[0].HealthCheck.Command"},
		"scratch relative":   {Definition{Name: "a", Image: "x", ScratchPaths: []string{"tmp"}}, "C[0].ScratchPaths[0]"},
		"memory reservation": {Definition{Name: "a", Image: "x", Memory: 256, MemoryReservation: 512}, "C[0].MemoryReservation"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c := verify.New("t")
			checkDefinitions(c, "C", []Definition{tc.def})
			err, _ := c.Err().(*propcheck.Error)
			if err == nil {
				t.Fatalf("accepted %+v", tc.def)
			}
			if !strings.Contains(fmt.Sprint(err.Fields()), tc.field) {
				t.Errorf("fields %v do not include %s", err.Fields(), tc.field)
			}
			if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), "AKIAIOSFODNN7EXAMPLE") {
				t.Errorf("the error repeats a secret: %v", err)
			}
		})
	}
}
