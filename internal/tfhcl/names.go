package tfhcl

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"
)

// addr names a resource ("resource") or data source ("data") in the input.
type addr struct{ mode, typ, name string }

// Rename is an address the conversion changed.
type Rename struct {
	Type, From, To string
	Data           bool
}

var hashSuffix = regexp.MustCompile(`_[0-9A-F]{8}$`)

// readableName derives a name from the construct path that CDKTF records
// in the "//" metadata ("production/Service/ExecutionRole" gives
// service_execution_role), or, without metadata, from the logical id less
// its hash ("Service_ExecutionRole_BE49F39A").
func readableName(id, constructPath string) string {
	var segs []string
	if constructPath != "" {
		segs = strings.Split(constructPath, "/")
		if len(segs) > 1 {
			segs = segs[1:] // the stack
		}
	} else {
		segs = strings.Split(hashSuffix.ReplaceAllString(id, ""), "_")
	}
	var words []string
	for _, s := range segs {
		// Cluster/Cluster is the cluster's own resource: "cluster".
		if w := snake(s); w != "" && (len(words) == 0 || words[len(words)-1] != w) {
			words = append(words, w)
		}
	}
	n := strings.Join(words, "_")
	if n == "" {
		n = "this"
	}
	if n[0] >= '0' && n[0] <= '9' {
		n = "r_" + n
	}
	return n
}

// snake turns "HTTPListener" into "http_listener" and "Az1-Public" into
// "az1_public".
func snake(s string) string {
	r := []rune(s)
	var b strings.Builder
	for i, ch := range r {
		switch {
		case unicode.IsUpper(ch):
			prevLower := i > 0 && (unicode.IsLower(r[i-1]) || unicode.IsDigit(r[i-1]))
			nextLower := i+1 < len(r) && unicode.IsLower(r[i+1])
			prevUpper := i > 0 && unicode.IsUpper(r[i-1])
			if prevLower || (prevUpper && nextLower) {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(ch))
		case ch < 128 && (unicode.IsLower(ch) || unicode.IsDigit(ch)):
			b.WriteRune(ch)
		default:
			b.WriteByte('_')
		}
	}
	out := b.String()
	for strings.Contains(out, "__") {
		out = strings.ReplaceAll(out, "__", "_")
	}
	return strings.Trim(out, "_")
}

// assignNames gives each resource and data source of one mode and type a
// readable name, unique within its type. A new name never equals the old
// name of another resource of the type, so that the moved blocks cannot
// chain one resource onto another.
func assignNames(mode, typ string, ids []string, paths map[string]string) map[string]string {
	sort.Strings(ids)
	old := map[string]bool{}
	for _, id := range ids {
		old[id] = true
	}
	taken := map[string]bool{}
	out := map[string]string{}
	for _, id := range ids {
		base := readableName(id, paths[id])
		n := base
		for i := 2; taken[n] || (old[n] && n != id); i++ {
			n = fmt.Sprintf("%s_%d", base, i)
		}
		taken[n] = true
		out[id] = n
	}
	return out
}
