package stacks

import (
	"testing"

	"github.com/fargatekit/fargatekit/internal/testutil"
)

// GIVEN the production config with the network's Name left empty WHEN it is
// built THEN it synthesizes exactly as Production, whose network is named
// after the stack: an empty name is the StackName, not the pattern's id.
func TestEmptyNamesAreTheStackName(t *testing.T) {
	cfg := Production()
	if cfg.NetworkProps.Name != cfg.StackName {
		t.Fatalf("Production's network is %q: the test needs it named after the stack", cfg.NetworkProps.Name)
	}
	cfg.NetworkProps.Name = ""
	got, _, _ := synthOne(t, cfg)
	want, _, _ := synthOne(t, Production())
	if string(got) != string(want) {
		t.Errorf("an empty network name synthesizes differently from %q:\n%s", cfg.StackName, testutil.UnifiedDiff(string(want), string(got)))
	}

	cfg.ClusterProps.Name, cfg.LoadBalancerProps.Name, cfg.ServiceProps.Name = "", "", ""
	_, _, st := synthOne(t, cfg)
	for part, name := range map[string]string{"cluster": st.Cluster.Name, "service": st.Service.Name} {
		if name != "production" {
			t.Errorf("the %s is named %q, want %q", part, name, "production")
		}
	}
}
