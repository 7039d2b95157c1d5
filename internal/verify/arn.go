package verify

import (
	"regexp"
	"strings"
)

var (
	kmsKeyARNRE   = regexp.MustCompile(`^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$`)
	snsTopicARNRE = regexp.MustCompile(`^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$`)
	releaseIDRE   = regexp.MustCompile(`^[A-Za-z0-9._:/@+=-]{1,255}$`)
)

// KMSKeyARN records a problem unless s is the ARN of a KMS key (an alias or a
// bare key id is refused: services that take a key for encryption at rest
// want the key's ARN). Tokens pass.
func (c *Checker) KMSKeyARN(field, s string) bool {
	return c.Pattern(field, s, kmsKeyARNRE, "must be a KMS key ARN such as arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")
}

// SNSTopicARN records a problem unless s is the ARN of an SNS topic. Tokens
// pass.
func (c *Checker) SNSTopicARN(field, s string) bool {
	return c.Pattern(field, s, snsTopicARNRE, "must be an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:alarms")
}

// ReleaseID records a problem unless s is a release identifier a deployment
// can be keyed on: a git SHA, an image digest ("sha256:…"), a version or a
// build number; 1-255 letters, digits and . _ : / @ + = -. Template syntax
// and blanks are named as such, since they are the likely mistakes (an
// unexpanded "${GITHUB_SHA}", an empty CI variable). Tokens pass.
func (c *Checker) ReleaseID(field, s string) bool {
	if IsToken(s) {
		return true
	}
	if strings.TrimSpace(s) == "" {
		c.Add(field, s, "is blank: give a git SHA, an image digest or a version (an empty CI variable?)")
		return false
	}
	if !c.NoTemplate(field, s) {
		return false
	}
	return c.Pattern(field, s, releaseIDRE, "must be 1-255 letters, digits or . _ : / @ + = - (a git SHA, an image digest or a version)")
}
