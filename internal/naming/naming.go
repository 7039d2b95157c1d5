// Package naming derives AWS resource names that fit the limits AWS puts on
// them, deterministically, so that a synthesized stack is the same on every
// machine and a name never changes unless its inputs do.
package naming

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Fit returns name unchanged when it is at most max characters long.
// Otherwise it keeps as much of name as fits before a "-" and the first six hex
// digits of the SHA-256 of the full name, so two long names that share a
// prefix still differ. Trailing hyphens are trimmed before the suffix, as AWS
// refuses names that end in "-" or contain "--" in some services.
func Fit(name string, max int) string {
	if len(name) <= max {
		return name
	}
	sum := sha256.Sum256([]byte(name))
	suffix := hex.EncodeToString(sum[:])[:6]
	keep := max - len(suffix) - 1
	if keep < 1 {
		return suffix[:max]
	}
	head := strings.TrimRight(name[:keep], "-_")
	return head + "-" + suffix
}

// Prefix returns a name_prefix of at most max characters taken from name:
// its first characters, without a trailing hyphen, followed by "-" so the
// provider's unique suffix stays readable ("my-se-" for "my-service").
func Prefix(name string, max int) string {
	if max < 2 {
		return name[:min(len(name), max)]
	}
	head := strings.TrimRight(name[:min(len(name), max-1)], "-_")
	return head + "-"
}

// FromID derives a resource name from a construct id, for a name the user
// left empty: lower-cased, every run of characters other than letters and
// digits made one hyphen, no hyphen at either end, and fitted to 63
// characters. The result is valid for every name rule of the constructs a
// pattern creates (network, cluster, load balancer, service: letters, digits
// and hyphens, at most 63 for the network, starting and ending with a letter
// or digit), so "Web" gives "web" for all of them. It is "" when id has no
// letter or digit.
func FromID(id string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(id) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			hyphen = false
		} else {
			hyphen = true
		}
	}
	return Fit(b.String(), 63)
}
