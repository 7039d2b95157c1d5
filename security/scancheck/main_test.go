package main

import (
	"strings"
	"testing"

	"github.com/fargatekit/fargatekit/internal/testutil"
)

// The module's test packages all accept -update.
var _ = testutil.Update

const tfsecReport = `{"results":[
 {"rule_id":"AVD-AWS-0053","severity":"HIGH","resource":"aws_lb.Web","description":"Load balancer is exposed publicly.","location":{"start_line":10}},
 {"rule_id":"AVD-AWS-0034","severity":"LOW","resource":"aws_ecs_cluster.C","description":"Cluster does not have container insights enabled.","location":{"start_line":20}},
 {"rule_id":"AVD-AWS-0054","severity":"CRITICAL","resource":"aws_lb_listener.Http","description":"Listener does not use HTTPS.","location":{"start_line":30}}
]}`

const trivyReport = `{"Results":[{"Target":"cdk.tf.json","Misconfigurations":[
 {"ID":"AWS-0053","AVDID":"AVD-AWS-0053","Severity":"HIGH","Status":"FAIL","Message":"Load balancer is exposed publicly.","CauseMetadata":{"Resource":"aws_lb.Web","StartLine":10}},
 {"ID":"AWS-0104","AVDID":"AVD-AWS-0104","Severity":"CRITICAL","Status":"PASS","Message":"ok","CauseMetadata":{"Resource":"aws_security_group.S"}}
]}]}`

const ignore = `# comment
AVD-AWS-0053  production  aws_lb.Web  accepted  the public entry point
AVD-AWS-0034  *  aws_ecs_cluster.C  false  setting[0] says enabled
AVD-AWS-0099  production  aws_s3_bucket.Gone  accepted  a fixed finding
`

func report(t *testing.T, scanner, stack, raw string) (int, string) {
	t.Helper()
	return reportWith(t, scanner, stack, raw, ignore)
}

func reportWith(t *testing.T, scanner, stack, raw, ignore string) (int, string) {
	t.Helper()
	findings, err := Parse(scanner, []byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	entries, err := ParseIgnore(strings.NewReader(ignore))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	code := Report(scanner, stack, findings, entries, &b)
	return code, b.String()
}

func TestUnlistedCriticalFails(t *testing.T) {
	code, out := report(t, "tfsec", "production", tfsecReport)
	if code != 1 {
		t.Errorf("exit code %d, want 1: the CRITICAL listener finding is in no ignore entry\n%s", code, out)
	}
	for _, want := range []string{
		"REAL       CRITICAL AVD-AWS-0054 aws_lb_listener.Http",
		"accepted   HIGH     AVD-AWS-0053 aws_lb.Web",
		"false      LOW      AVD-AWS-0034 aws_ecs_cluster.C",
		"STALE      ignore entry (line 4): AVD-AWS-0099",
		"tfsec production: FAIL: HIGH/CRITICAL 1 real, 1 accepted, 0 false; lower 0 accepted, 1 false, 0 unreviewed; 1 stale ignore entries\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output should contain %q:\n%s", want, out)
		}
	}
}

func TestEntriesAreScopedToTheirStacks(t *testing.T) {
	// The 0053 entry names production only: on development it is real.
	code, out := report(t, "trivy", "development", trivyReport)
	if code != 1 || !strings.Contains(out, "REAL       HIGH     AVD-AWS-0053 aws_lb.Web") {
		t.Errorf("exit code %d; an entry for production must not cover development:\n%s", code, out)
	}
}

func TestTrivyPassedChecksAreIgnoredAndAcceptedPass(t *testing.T) {
	code, out := reportWith(t, "trivy", "production", trivyReport, "AVD-AWS-0053  production  aws_lb.Web  accepted  the public entry point\n")
	if code != 0 {
		t.Errorf("exit code %d, want 0:\n%s", code, out)
	}
	if strings.Contains(out, "AVD-AWS-0104") {
		t.Errorf("a PASS result is not a finding:\n%s", out)
	}
	if !strings.Contains(out, "trivy production: ok: HIGH/CRITICAL 0 real, 1 accepted") {
		t.Errorf("summary:\n%s", out)
	}
}

func TestIgnoreFileNeedsAVerdictAndAReason(t *testing.T) {
	for _, bad := range []string{
		"AVD-AWS-0053 production aws_lb.Web accepted",
		"AVD-AWS-0053 production aws_lb.Web maybe because",
	} {
		if _, err := ParseIgnore(strings.NewReader(bad)); err == nil {
			t.Errorf("ParseIgnore(%q) accepted an entry without a verdict and a reason", bad)
		}
	}
}

// GIVEN an entry whose finding is gone WHEN nothing else is wrong THEN the
// run fails and names the entry.
func TestStaleEntryFails(t *testing.T) {
	const onlyAccepted = `{"results":[{"rule_id":"AVD-AWS-0053","severity":"HIGH","resource":"aws_lb.Web","description":"public","location":{"start_line":10}},
 {"rule_id":"AVD-AWS-0034","severity":"LOW","resource":"aws_ecs_cluster.C","description":"insights","location":{"start_line":20}}]}`
	code, out := report(t, "tfsec", "production", onlyAccepted)
	if code != 1 || !strings.Contains(out, "STALE      ignore entry (line 4): AVD-AWS-0099 on aws_s3_bucket.Gone") || !strings.Contains(out, "production: FAIL") {
		t.Errorf("exit code %d, want 1 for the stale AVD-AWS-0099 entry:\n%s", code, out)
	}
	// Without the stale entry the same report passes.
	code, out = reportWith(t, "tfsec", "production", onlyAccepted, strings.Split(ignore, "AVD-AWS-0099")[0])
	if code != 0 {
		t.Errorf("exit code %d, want 0 once the stale entry is gone:\n%s", code, out)
	}
}

// GIVEN a report that parses to no finding (a scanner that read nothing, or
// a changed report format) WHEN the stack has ignore entries THEN it fails
// rather than passing as clean.
func TestReportOfNothingFails(t *testing.T) {
	for _, raw := range []string{`{"results":[]}`, `{"Results":null}`, `{}`} {
		code, out := report(t, "tfsec", "production", raw)
		if code != 1 || strings.Count(out, "STALE") != 3 {
			t.Errorf("report %s: exit code %d, want 1 with every entry stale:\n%s", raw, code, out)
		}
	}
}
