package loadbalancer_test

import (
	"strings"
	"testing"

	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/internal/problemtest"
)

func healthProps(path string) loadbalancer.Props {
	return loadbalancer.Props{Name: "web", VPCID: "vpc-0a1b2c3d4e5f67890",
		SubnetIDs: []string{"subnet-0a1b2c3d4e5f67890", "subnet-1a1b2c3d4e5f67890"},
		Target:    loadbalancer.TargetProps{HealthCheckPath: path}}
}

// GIVEN health-check paths with a query (AWS's own example form is
// /path?query) WHEN validated THEN they pass, up to 1024 characters in all;
// what AWS or a URI refuses is still refused, naming the field.
func TestHealthCheckPathMayCarryAQuery(t *testing.T) {
	for _, ok := range []string{"/", "/health?full=1", "/health?a=1&b=two%20words", "/status?", "/a/b?x=/y?z", "/" + strings.Repeat("a", 1023)} {
		if err := loadbalancer.Validate(healthProps(ok)); err != nil {
			t.Errorf("HealthCheckPath %.40q refused: %v", ok, err)
		}
	}
	for bad, rule := range map[string]string{
		"health":                               `must start with "/"`,
		"/health#top":                          `"#" fragment`,
		"/health?q=a b":                        "no spaces",
		"/health?\"x\"":                        "quotes",
		"/health\nHost: evil":                  "control characters",
		"/health?v=${var.x}":                   "template syntax",
		"/" + strings.Repeat("a", 1024):        "at most 1024 characters",
		"/health?" + strings.Repeat("a", 1017): "at most 1024 characters",
	} {
		err := loadbalancer.Validate(healthProps(bad))
		problemtest.One(t, err, "Target.HealthCheckPath", "", rule)
	}
}
