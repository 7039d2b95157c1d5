package container

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/fargatekit/fargatekit/internal/verify"
)

// Secret is where a variable of Definition.Secrets comes from: a Secrets
// Manager secret (all of it, or one JSON key of it; the current version or
// a chosen one) or an SSM parameter. Build one with [SecretsManager],
// [SecretsManagerJSONKey] or [SSMParameter]; the zero Secret is refused.
// [checkDefinitions] validates its parts and names the variable when one is wrong.
//
// The container definition's valueFrom is written in the forms of the ECS
// Developer Guide ("Pass Secrets Manager secrets through Amazon ECS
// environment variables"): the secret's ARN alone, or
// arn:…:secret:name-AbCdEf:json-key:version-stage:version-id with the unused
// fields empty; an SSM parameter's ARN. The service's execution role may
// read exactly the secret (without the key and version) or the parameter.
type Secret struct {
	kind         secretKind
	keyed        bool   // built by SecretsManagerJSONKey
	arn          string `verify:"walk"`
	jsonKey      string `verify:"walk"`
	versionStage string `verify:"walk"`
	versionID    string `verify:"walk"`
}

type secretKind int

const (
	noSecret secretKind = iota
	secretsManager
	ssmParameter
)

// SecretsManager is the whole value of the Secrets Manager secret arn
// (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>,
// or a token such as the arn of an aws_secretsmanager_secret).
func SecretsManager(arn string) Secret { return Secret{kind: secretsManager, arn: arn} }

// SecretsManagerJSONKey is the value of key in the Secrets Manager secret
// arn, whose value is a JSON object ({"username": …, "password": …}).
func SecretsManagerJSONKey(arn, key string) Secret {
	return Secret{kind: secretsManager, keyed: true, arn: arn, jsonKey: key}
}

// SSMParameter is the value of the SSM parameter arn
// (arn:aws:ssm:<region>:<account>:parameter/<name>, or a token). The ARN,
// not the name, so that the execution role is granted that parameter only.
func SSMParameter(arn string) Secret { return Secret{kind: ssmParameter, arn: arn} }

// WithVersionStage returns s reading the version of the secret that carries
// the staging label stage (such as "AWSPREVIOUS") instead of AWSCURRENT.
// Secrets Manager secrets only; ECS takes a stage or a version id, not both.
func (s Secret) WithVersionStage(stage string) Secret { s.versionStage = stage; return s }

// WithVersionID returns s reading the version id of the secret instead of
// the one labelled AWSCURRENT. Secrets Manager secrets only; ECS takes a
// stage or a version id, not both.
func (s Secret) WithVersionID(id string) Secret { s.versionID = id; return s }

// ARN is the secret's or the parameter's own ARN, without a JSON key or
// version: what the execution role is granted.
func (s Secret) ARN() string { return s.arn }

// JSONKey, VersionStage and VersionID are the parts of a Secrets Manager
// reference; empty when not set.
func (s Secret) JSONKey() string      { return s.jsonKey }
func (s Secret) VersionStage() string { return s.versionStage }
func (s Secret) VersionID() string    { return s.versionID }

// Service is the AWS service the value is read from: "secretsmanager" or
// "ssm"; "" for the zero Secret.
func (s Secret) Service() string {
	switch s.kind {
	case secretsManager:
		return "secretsmanager"
	case ssmParameter:
		return "ssm"
	}
	return ""
}

// ValueFrom is the valueFrom of the container definition: the ARN, or for a
// Secrets Manager secret with a JSON key or version
// "<arn>:<json-key>:<version-stage>:<version-id>".
func (s Secret) ValueFrom() string {
	if s.kind != secretsManager || s.jsonKey == "" && s.versionStage == "" && s.versionID == "" {
		return s.arn
	}
	return strings.Join([]string{s.arn, s.jsonKey, s.versionStage, s.versionID}, ":")
}

// String is the ValueFrom, as errors echo it.
func (s Secret) String() string { return s.ValueFrom() }

// Limits of the parts of a Secrets Manager reference (Secrets Manager API,
// GetSecretValue: VersionStage 1-256 characters, VersionId 32-64).
const (
	MaxVersionStageLength = 256
	MinVersionIDLength    = 32
	MaxVersionIDLength    = 64
)

// checkSecret records the problems of s under field (the variable:
// `Containers[0].Secrets["DB"]`).
func checkSecret(c *verify.Checker, field string, s Secret) {
	if s.kind == noSecret {
		c.Add(field, s.ValueFrom(), "is empty: build it with container.SecretsManager, container.SecretsManagerJSONKey or container.SSMParameter")
		return
	}
	for _, part := range []string{s.arn, s.jsonKey, s.versionStage, s.versionID} {
		if !c.NoFakeToken(field, part) {
			return
		}
	}
	if s.kind == ssmParameter {
		c.ARN(field, s.arn, verify.SSMParameter)
		if s.keyed || s.versionStage != "" || s.versionID != "" {
			c.Add(field, s.ValueFrom(), "a JSON key, WithVersionStage and WithVersionID apply to Secrets Manager secrets only, not to an SSM parameter")
		}
		return
	}
	c.ARN(field, s.arn, verify.SecretsManagerSecret)
	part := func(name, v string, min, max int) {
		switch {
		case verify.IsToken(v):
		case !c.NoTemplate(field, v):
		case strings.Contains(v, ":"):
			c.Add(field, s.ValueFrom(), "the %s %q must not contain \":\": it separates the parts of valueFrom (arn:…:secret:name:json-key:version-stage:version-id)", name, v)
		case len(v) < min || len(v) > max:
			c.Add(field, s.ValueFrom(), "the %s %q must be %d-%d characters", name, v, min, max)
		}
	}
	switch {
	case s.keyed && s.jsonKey == "":
		c.Add(field, s.ValueFrom(), "the JSON key is empty: name the key, or use container.SecretsManager for the whole secret")
	case s.keyed:
		part("JSON key", s.jsonKey, 1, len(s.jsonKey))
	}
	if s.versionStage != "" {
		part("version stage", s.versionStage, 1, MaxVersionStageLength)
	}
	if s.versionID != "" {
		part("version id", s.versionID, MinVersionIDLength, MaxVersionIDLength)
	}
	if s.versionStage != "" && s.versionID != "" {
		c.Add(field, s.ValueFrom(), "has both a version stage and a version id: ECS reads one version, named by either (ECS Developer Guide, Pass Secrets Manager secrets through environment variables)")
	}
}

// secretJSON is a Secret's JSON form: {"SecretsManager": arn, "JSONKey":
// key, "VersionStage": …, "VersionID": …} or {"SSMParameter": arn}.
type secretJSON struct {
	SecretsManager string  `json:",omitempty"`
	SSMParameter   string  `json:",omitempty"`
	JSONKey        *string `json:",omitempty"`
	VersionStage   string  `json:",omitempty"`
	VersionID      string  `json:",omitempty"`
}

// MarshalJSON writes s as {"SecretsManager": arn, …} or {"SSMParameter":
// arn}, for configs kept as JSON.
func (s Secret) MarshalJSON() ([]byte, error) {
	j := secretJSON{VersionStage: s.versionStage, VersionID: s.versionID}
	switch s.kind {
	case secretsManager:
		j.SecretsManager = s.arn
	case ssmParameter:
		j.SSMParameter = s.arn
	}
	if s.keyed {
		j.JSONKey = &s.jsonKey
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads the form MarshalJSON writes. A document that names
// both a secret and a parameter is refused; one that names neither is the
// zero Secret, which [checkDefinitions] refuses.
func (s *Secret) UnmarshalJSON(b []byte) error {
	var j secretJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	out := Secret{versionStage: j.VersionStage, versionID: j.VersionID}
	switch {
	case j.SecretsManager != "" && j.SSMParameter != "":
		return errors.New("container.Secret: give SecretsManager or SSMParameter, not both")
	case j.SecretsManager != "":
		out.kind, out.arn = secretsManager, j.SecretsManager
	case j.SSMParameter != "":
		out.kind, out.arn = ssmParameter, j.SSMParameter
	}
	if j.JSONKey != nil {
		out.keyed, out.jsonKey = true, *j.JSONKey
	}
	*s = out
	return nil
}
