package container

import (
	"slices"
	"testing"

	"github.com/fargatekit/fargatekit/internal/verify"

	"github.com/fargatekit/fargatekit/constructs/propcheck"
)

func envProblems(env map[string]string, notCredentials ...string) []string {
	c := verify.New("test")
	checkDefinitions(c, "C", []Definition{{Name: "app", Image: "nginx:1.27", Environment: env, NotCredentials: notCredentials}})
	var fields []string
	if err, ok := c.Err().(*propcheck.Error); ok {
		fields = err.Fields()
	}
	return fields
}

// GIVEN names that merely contain a credential word THEN they pass; names
// that end in one are refused, in SNAKE_CASE, kebab-case and camelCase.
func TestCredentialNamesByLastWord(t *testing.T) {
	for _, ok := range []string{"MAX_TOKENS", "TOKENIZERS_PARALLELISM", "PASSWORD_MIN_LENGTH", "SECRETS_DIR", "DB_PASSWORD_FILE", "TOKEN_TTL", "KEYBOARD", "BYPASS", "PUBLIC_KEY_ID", "PWD"} {
		if f := envProblems(map[string]string{ok: "x"}); len(f) != 0 {
			t.Errorf("%s was refused: %v", ok, f)
		}
	}
	for _, bad := range []string{"DB_PASSWORD", "GITHUB_TOKEN", "STRIPE_API_KEY", "AWS_SECRET_ACCESS_KEY", "CLIENT_SECRET", "apiKey", "dbPassword", "SMTP_PASS", "GOOGLE_CREDENTIALS", "PASSWORD", "signing-key"} {
		if f := envProblems(map[string]string{bad: "x"}); !slices.Contains(f, `C[0].Environment["`+bad+`"]`) {
			t.Errorf("%s was accepted as a plain variable: %v", bad, f)
		}
	}
}

// GIVEN a name the heuristic gets wrong WHEN it is listed in NotCredentials
// THEN it passes; a value that looks like a credential is still refused.
func TestNotCredentialsIsTheWayOut(t *testing.T) {
	if f := envProblems(map[string]string{"CSRF_TOKEN": "X-CSRF-Token"}, "CSRF_TOKEN"); len(f) != 0 {
		t.Errorf("a listed name was refused: %v", f)
	}
	if f := envProblems(map[string]string{"CSRF_TOKEN": "AKIAABCDEFGHIJKLMNOP"}, "CSRF_TOKEN"); len(f) != 1 {
		t.Errorf("a credential value passed because its name was listed: %v", f)
	}
}
