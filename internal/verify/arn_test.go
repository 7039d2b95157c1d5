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

// GIVEN ARNs with one part wrong WHEN checked THEN each is refused with a
// rule that names the wrong part.
func TestARNNamesTheWrongPart(t *testing.T) {
	for bad, rule := range map[string]string{
		"oncall":                                      "must be the ARN of an SNS topic: ARNs are arn:<partition>:sns:",
		"arn:aws:sns:us-east-1:123456789012":          "must be the ARN of an SNS topic: ARNs are arn:<partition>:sns:",
		"arn:awz:sns:us-east-1:123456789012:t":        `the partition "awz" is not an AWS partition`,
		"arn:aws:sqs:us-east-1:123456789012:q":        `must be the ARN of an SNS topic: the service "sqs" is not sns`,
		"arn:aws:sns:eu-west1:123456789012:t":         `the region "eu-west1" is not an AWS region code`,
		"arn:aws:sns:eu-wset-1:123456789012:t":        `"wset" is not a direction`,
		"arn:aws:sns::123456789012:t":                 "the region is missing",
		"arn:aws-cn:sns:us-east-1:123456789012:t":     `the partition "aws-cn" does not hold the region "us-east-1", which is in partition "aws"`,
		"arn:aws:sns:cn-north-1:123456789012:t":       `which is in partition "aws-cn"`,
		"arn:aws:sns:us-gov-west-1:123456789012:t":    `which is in partition "aws-us-gov"`,
		"arn:aws:sns:us-east-1:12345:t":               `the account "12345" must be a 12-digit`,
		"arn:aws:sns:us-east-1:123456789012:a b":      `the resource "a b" must be a topic name`,
		"arn:aws:sns:us-east-1:123456789012:${var.t}": "template syntax",
		"arn:aws:sns:us-east-1:123456789012:t\n":      "control characters",
	} {
		c := New("t")
		if c.SNSTopicARN("T", bad) || c.OK() || !strings.Contains(c.Err().Error(), rule) {
			t.Errorf("SNSTopicARN(%q): want a problem saying %q, got %v", bad, rule, c.Err())
		}
	}
	for bad, rule := range map[string]string{
		"arn:aws:iam:us-east-1:123456789012:role/web": `the region "us-east-1" must be empty: IAM role ARNs have none`,
		"arn:aws:iam::123456789012:user/web":          `the resource "user/web" must be role/`,
	} {
		c := New("t")
		if c.ARN("R", bad, IAMRole) || !strings.Contains(c.Err().Error(), rule) {
			t.Errorf("ARN(%q, IAMRole): want a problem saying %q, got %v", bad, rule, c.Err())
		}
	}
	// The typo's message suggests the region it is near.
	c := New("t")
	c.SNSTopicARN("T", "arn:aws:sns:eu-wset-1:123456789012:t")
	if !strings.Contains(c.Err().Error(), `did you mean "eu-west-1"?`) {
		t.Errorf("no suggestion: %v", c.Err())
	}
}

// GIVEN valid ARNs of each partition, of one of two kinds, and with tokens
// in some parts WHEN checked THEN they pass; a literal part beside a token is
// still checked.
func TestARNAccepts(t *testing.T) {
	for _, ok := range []struct {
		arn   string
		kinds []ARNKind
	}{
		{"arn:aws:sns:us-east-1:123456789012:t", []ARNKind{SNSTopic}},
		{"arn:aws:sns:mx-central-1:123456789012:t", []ARNKind{SNSTopic}},
		{"arn:aws:sns:ap-southeast-7:123456789012:t", []ARNKind{SNSTopic}},
		{"arn:aws-cn:sns:cn-northwest-1:123456789012:t", []ARNKind{SNSTopic}},
		{"arn:aws-us-gov:kms:us-gov-east-1:123456789012:key/mrk-0123", []ARNKind{KMSKey}},
		{"arn:aws-iso-b:sns:us-isob-east-1:123456789012:t", []ARNKind{SNSTopic}},
		// A region newer than the table, of the right shape.
		{"arn:aws:sns:eu-south-3:123456789012:t", []ARNKind{SNSTopic}},
		{"arn:aws:iam::123456789012:role/path/web", []ARNKind{IAMRole}},
		{"arn:aws:iam::123456789012:server-certificate/web", []ARNKind{ACMCertificate, IAMServerCertificate}},
		{"arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f", []ARNKind{ACMCertificate, IAMServerCertificate}},
		{"${TfToken[TOKEN.1]}", []ARNKind{SNSTopic}},
		{"arn:aws:sns:us-east-1:${TfToken[TOKEN.2]}:t", []ARNKind{SNSTopic}},
	} {
		c := New("t")
		if !c.ARN("A", ok.arn, ok.kinds...) || !c.OK() {
			t.Errorf("ARN(%q) refused: %v", ok.arn, c.Err())
		}
	}
	c := New("t")
	if c.ARN("A", "arn:aws:sns:eu-west1:${TfToken[TOKEN.2]}:t", SNSTopic) {
		t.Error("a token account let the region eu-west1 through")
	}
}

// GIVEN region codes WHEN checked THEN known ones and well-formed new ones
// pass, and typos and other shapes are refused.
func TestRegion(t *testing.T) {
	for _, ok := range []string{"us-east-1", "ap-east-2", "ap-southeast-7", "mx-central-1", "il-central-1", "ca-west-1", "cn-north-1", "us-gov-west-1", "us-iso-east-1", "eu-isoe-west-1", "eusc-de-east-1", "eu-south-3", "${TfToken[TOKEN.1]}"} {
		c := New("t")
		if !c.Region("R", ok) || !c.OK() {
			t.Errorf("Region(%q) refused: %v", ok, c.Err())
		}
	}
	for bad, rule := range map[string]string{
		"":             "is required",
		"eu-west1":     `did you mean "eu-west-1"?`,
		"eu-wset-1":    `"wset" is not a direction`,
		"us-east":      "is not an AWS region code",
		"mars-north-1": "is not an AWS region code",
		"US-EAST-1":    "is not an AWS region code",
		"us-east-0":    "is not an AWS region code",
		"us-east-1\nx": "is not an AWS region code",
	} {
		c := New("t")
		if c.Region("R", bad) || !strings.Contains(c.Err().Error(), rule) {
			t.Errorf("Region(%q): want a problem saying %q, got %v", bad, rule, c.Err())
		}
	}
	for region, partition := range map[string]string{"us-east-1": "aws", "cn-north-1": "aws-cn", "us-gov-east-1": "aws-us-gov", "us-isob-east-1": "aws-iso-b", "eu-south-3": "aws", "eusc-de-east-1": "aws-eusc"} {
		if got := RegionPartition(region); got != partition {
			t.Errorf("RegionPartition(%q) = %q, want %q", region, got, partition)
		}
	}
}
