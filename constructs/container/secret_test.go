package container

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/fargatekit/fargatekit/internal/problemtest"
	"github.com/fargatekit/fargatekit/internal/verify"
)

const (
	smARN  = "arn:aws:secretsmanager:us-east-1:123456789012:secret:web/db-AbCdEf"
	ssmARN = "arn:aws:ssm:us-east-1:123456789012:parameter/web/api-token"
	uuid   = "9d4cb84b-ad69-40c0-a0ab-cead3EXAMPLE"
)

// GIVEN each constructor WHEN the container definition is written THEN
// valueFrom has the form of the ECS Developer Guide: the ARN alone, or
// arn:json-key:version-stage:version-id with the unused fields empty.
func TestSecretValueFrom(t *testing.T) {
	for want, s := range map[string]Secret{
		smARN:                            SecretsManager(smARN),
		smARN + ":password::":            SecretsManagerJSONKey(smARN, "password"),
		smARN + "::AWSPREVIOUS:":         SecretsManager(smARN).WithVersionStage("AWSPREVIOUS"),
		smARN + ":password::" + uuid:     SecretsManagerJSONKey(smARN, "password").WithVersionID(uuid),
		smARN + ":::" + uuid:             SecretsManager(smARN).WithVersionID(uuid),
		ssmARN:                           SSMParameter(ssmARN),
		"${TfToken[TOKEN.7]}:password::": SecretsManagerJSONKey("${TfToken[TOKEN.7]}", "password"),
	} {
		c := verify.New("t")
		checkDefinitions(c, "Containers", []Definition{{Name: "a", Image: "x", Secrets: map[string]Secret{"DB": s}}})
		if !c.OK() {
			t.Errorf("%s refused: %v", want, c.Err())
		}
		raw := JSON([]Definition{{Name: "a", Image: "x", Secrets: map[string]Secret{"DB": s}}}, Logging{})
		if !strings.Contains(raw, `"secrets":[{"name":"DB","valueFrom":"`+want+`"}]`) {
			t.Errorf("valueFrom of %#v: want %s in\n%s", s, want, raw)
		}
		if s.ARN() == want && s.ValueFrom() != want {
			t.Errorf("ValueFrom() = %q, want %q", s.ValueFrom(), want)
		}
	}
}

// GIVEN a secret with one bad part WHEN checked THEN there is one problem, on
// the variable, that says which part and why.
func TestSecretRefuses(t *testing.T) {
	cases := map[string]struct {
		secret Secret
		rule   string
	}{
		"zero":              {Secret{}, "is empty: build it with container.SecretsManager"},
		"not an arn":        {SecretsManager("my-secret"), "must be the ARN of a Secrets Manager secret: ARNs are arn:"},
		"ssm as secret":     {SecretsManager(ssmARN), `the service "ssm" is not secretsmanager`},
		"secret as ssm":     {SSMParameter(smARN), `the service "secretsmanager" is not ssm`},
		"region typo":       {SecretsManager("arn:aws:secretsmanager:eu-west1:123456789012:secret:db-AbCdEf"), `the region "eu-west1" is not an AWS region code`},
		"partition":         {SSMParameter("arn:aws-cn:ssm:us-east-1:123456789012:parameter/db"), `does not hold the region "us-east-1"`},
		"account":           {SSMParameter("arn:aws:ssm:us-east-1:1234:parameter/db"), `the account "1234"`},
		"key in the arn":    {SecretsManager(smARN + ":password::"), "no JSON key or version: give those to the constructor"},
		"empty key":         {SecretsManagerJSONKey(smARN, ""), "the JSON key is empty"},
		"colon in key":      {SecretsManagerJSONKey(smARN, "a:b"), `the JSON key "a:b" must not contain ":"`},
		"template in key":   {SecretsManagerJSONKey(smARN, "${var.k}"), "template syntax"},
		"stage and id":      {SecretsManager(smARN).WithVersionStage("AWSCURRENT").WithVersionID(uuid), "has both a version stage and a version id"},
		"short version id":  {SecretsManager(smARN).WithVersionID("v1"), `the version id "v1" must be 32-64 characters`},
		"colon in stage":    {SecretsManager(smARN).WithVersionStage("a:b"), `the version stage "a:b" must not contain ":"`},
		"long stage":        {SecretsManager(smARN).WithVersionStage(strings.Repeat("s", 257)), "must be 1-256 characters"},
		"version on ssm":    {SSMParameter(ssmARN).WithVersionStage("AWSCURRENT"), "apply to Secrets Manager secrets only"},
		"fake token in key": {SecretsManagerJSONKey(smARN, "${TfToken[x"), "imitates a CDKTF token"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c := verify.New("t")
			checkDefinitions(c, "Containers", []Definition{{Name: "a", Image: "x", Secrets: map[string]Secret{"DB": tc.secret}}})
			problemtest.One(t, c.Err(), `Containers[0].Secrets["DB"]`, "", tc.rule)
		})
	}
}

// GIVEN secrets of each form WHEN written as JSON and read back THEN they
// are the same (configs kept as JSON, and the fuzz corpus, depend on it).
func TestSecretJSON(t *testing.T) {
	for _, s := range []Secret{{}, SecretsManager(smARN), SecretsManagerJSONKey(smARN, ""), SecretsManagerJSONKey(smARN, "k").WithVersionStage("AWSPREVIOUS"), SSMParameter(ssmARN)} {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var back Secret
		if err := json.Unmarshal(b, &back); err != nil || back != s {
			t.Errorf("%s read back as %#v (%v), want %#v", b, back, err, s)
		}
	}
	var s Secret
	if err := json.Unmarshal([]byte(`{"SecretsManager":"a","SSMParameter":"b"}`), &s); err == nil {
		t.Error("a document with a secret and a parameter was read")
	}
}
