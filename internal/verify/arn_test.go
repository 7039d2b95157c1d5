package verify

import (
	"strings"
	"testing"
)

func TestReleaseID(t *testing.T) {
	for _, ok := range []string{"0c9a7e1", "sha256:9f86d081884c7d65", "v1.4.2+build.17", "release/2026-11-29", "${TfToken[TOKEN.1]}"} {
		c := New("t")
		if !c.ReleaseID("R", ok) || !c.OK() {
			t.Errorf("ReleaseID(%q) refused: %v", ok, c.Err())
		}
	}
	for bad, rule := range map[string]string{
		"":                       "is blank",
		"  ":                     "is blank",
		"${GITHUB_SHA}":          "template syntax",
		"a\nb":                   "control characters",
		"v 1":                    "1-255 letters",
		strings.Repeat("a", 256): "1-255 letters",
	} {
		c := New("t")
		if c.ReleaseID("R", bad) || c.OK() || !strings.Contains(c.Err().Error(), rule) {
			t.Errorf("ReleaseID(%q): want a problem saying %q, got %v", bad, rule, c.Err())
		}
	}
}

func TestSNSTopicAndKMSKeyARNs(t *testing.T) {
	c := New("t")
	if !c.SNSTopicARN("T", "arn:aws:sns:us-east-1:123456789012:oncall") || !c.SNSTopicARN("T", "arn:aws-cn:sns:cn-north-1:123456789012:a.fifo") ||
		!c.KMSKeyARN("K", "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab") {
		t.Errorf("valid ARNs refused: %v", c.Err())
	}
	for _, bad := range []string{"oncall", "arn:aws:sqs:us-east-1:123456789012:q", "arn:aws:sns:us-east-1:12345:t", "arn:aws:sns:us-east-1:123456789012:a b"} {
		c := New("t")
		if c.SNSTopicARN("T", bad) {
			t.Errorf("SNSTopicARN(%q) accepted", bad)
		}
	}
	for _, bad := range []string{"alias/aws/sns", "1234abcd", "arn:aws:kms:us-east-1:123456789012:alias/x"} {
		c := New("t")
		if c.KMSKeyARN("K", bad) {
			t.Errorf("KMSKeyARN(%q) accepted", bad)
		}
	}
}
