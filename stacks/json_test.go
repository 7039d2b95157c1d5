package stacks

import (
	"encoding/json"
	"strings"
	"testing"
)

// GIVEN a config file written for v0.1.0, whose "Service" is "ServiceProps"
// now WHEN it is decoded THEN the decoding fails naming the key and its new
// name, instead of dropping the service's props so that New builds defaults.
func TestJSONConfigWithARenamedKeyIsRefused(t *testing.T) {
	for old, now := range renamedKeys {
		var cfg Config
		err := json.Unmarshal([]byte(`{"StackName":"web","Region":"us-east-1","`+old+`":{}}`), &cfg)
		if err == nil || !strings.Contains(err.Error(), `"`+old+`"`) || !strings.Contains(err.Error(), `"`+now+`"`) {
			t.Errorf("key %s: err = %v, want it refused naming %s", old, err, now)
		}
	}
	var cfg Config
	err := json.Unmarshal([]byte(`{"StackName":"web","Routes":[{"ID":"api","Servce":{}}]}`), &cfg)
	if err == nil || !strings.Contains(err.Error(), `unknown key "Servce"`) {
		t.Errorf("a misspelt key inside a route: err = %v, want it refused", err)
	}
}

// GIVEN the JSON of a default config WHEN it is decoded onto a Config, and a
// partial document onto a decoded one THEN the round trip is exact and the
// partial document changes only what it names (what the fuzz corpus relies
// on), with keys matched without regard to case as encoding/json does.
func TestJSONConfigRoundTrips(t *testing.T) {
	want := Platform()
	b, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var got Config
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	again, _ := json.Marshal(got)
	if string(again) != string(b) {
		t.Fatalf("the platform config does not round-trip through JSON")
	}
	if err := json.Unmarshal([]byte(`{"serviceprops":{"cpu":512,"Memory":1024}}`), &got); err != nil {
		t.Fatal(err)
	}
	if got.ServiceProps.CPU != 512 || got.ServiceProps.Memory != 1024 || got.StackName != want.StackName || len(got.Routes) != len(want.Routes) {
		t.Errorf("a partial document changed more or less than it names: CPU %d, Memory %d, StackName %q, %d routes", got.ServiceProps.CPU, got.ServiceProps.Memory, got.StackName, len(got.Routes))
	}
}
