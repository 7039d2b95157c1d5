package verify

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// regions are the AWS region codes this library knows, with their partition:
// the commercial regions, China and GovCloud (US), as the AWS SDKs'
// partitions.json and the AWS General Reference ("AWS Regions") list them,
// read 2026-11. A code that is not here but has the shape of one (see
// regionShapeRE) is accepted: AWS opens regions more often than this table
// is updated, and refusing a real new region would be worse than letting a
// rare well-formed typo through (docs/hostile-input.md, "Regions").
var regions = map[string]string{
	"us-east-1": "aws", "us-east-2": "aws", "us-west-1": "aws", "us-west-2": "aws",
	"af-south-1": "aws",
	"ap-east-1":  "aws", "ap-east-2": "aws",
	"ap-south-1": "aws", "ap-south-2": "aws",
	"ap-southeast-1": "aws", "ap-southeast-2": "aws", "ap-southeast-3": "aws", "ap-southeast-4": "aws",
	"ap-southeast-5": "aws", "ap-southeast-6": "aws", "ap-southeast-7": "aws",
	"ap-northeast-1": "aws", "ap-northeast-2": "aws", "ap-northeast-3": "aws",
	"ca-central-1": "aws", "ca-west-1": "aws",
	"eu-central-1": "aws", "eu-central-2": "aws",
	"eu-west-1": "aws", "eu-west-2": "aws", "eu-west-3": "aws",
	"eu-south-1": "aws", "eu-south-2": "aws",
	"eu-north-1":   "aws",
	"il-central-1": "aws",
	"me-south-1":   "aws", "me-central-1": "aws",
	"mx-central-1":   "aws",
	"sa-east-1":      "aws",
	"cn-north-1":     "aws-cn",
	"cn-northwest-1": "aws-cn",
	"us-gov-east-1":  "aws-us-gov", "us-gov-west-1": "aws-us-gov",
}

// partitionPrefixes give the partition of a region code by its prefix, the
// regionRegex of each partition in the AWS SDKs' partitions.json; a code
// that matches none is in "aws". Longer prefixes first.
var partitionPrefixes = []struct{ prefix, partition string }{
	{"us-gov-", "aws-us-gov"},
	{"us-isob-", "aws-iso-b"},
	{"us-isof-", "aws-iso-f"},
	{"us-iso-", "aws-iso"},
	{"eu-isoe-", "aws-iso-e"},
	{"eusc-", "aws-eusc"},
	{"cn-", "aws-cn"},
}

// partitions are the AWS partitions, the second field of every ARN.
var partitions = []string{"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"}

// directions are the words AWS region codes use between the area and the
// number.
var directions = []string{"east", "west", "north", "south", "central", "northeast", "northwest", "southeast", "southwest"}

// regionShapeRE is the shape of a region code: a two-letter area (with the
// GovCloud or ISO infix, or the European Sovereign Cloud's "eusc-<country>"),
// a direction word, a number from 1.
var regionShapeRE = regexp.MustCompile(`^(?:[a-z]{2}(?:-gov|-iso[bef]?)?|eusc-[a-z]{2})-([a-z]+)-[1-9][0-9]?$`)

// Regions returns the region codes this library knows, sorted. It is a copy:
// changing it changes no check.
func Regions() []string {
	out := make([]string, 0, len(regions))
	for r := range regions {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}

// RegionPartition returns the partition of a region code: "aws-cn" for
// cn-north-1, "aws-us-gov" for us-gov-west-1, "aws" for us-east-1.
func RegionPartition(region string) string {
	if p, ok := regions[region]; ok {
		return p
	}
	for _, pp := range partitionPrefixes {
		if strings.HasPrefix(region, pp.prefix) {
			return pp.partition
		}
	}
	return "aws"
}

// regionProblem says what is wrong with a literal region code, or "" when
// it is a known region or has the shape of one (a region newer than the
// table).
func regionProblem(region string) string {
	if _, ok := regions[region]; ok {
		return ""
	}
	m := regionShapeRE.FindStringSubmatch(region)
	var why string
	switch {
	case m == nil:
		why = fmt.Sprintf("%q is not an AWS region code: codes are <area>-<direction>-<number>, such as us-east-1, eu-west-2 or ap-southeast-1", region)
	case !slices.Contains(directions, m[1]):
		why = fmt.Sprintf("%q is not an AWS region code: %q is not a direction region codes use (%s)", region, m[1], strings.Join(directions, ", "))
	default:
		return ""
	}
	if near := nearestRegion(region); near != "" {
		why += fmt.Sprintf("; did you mean %q?", near)
	}
	return why
}

// nearestRegion returns the known region within two edits of s (a missing
// dash, two swapped letters), or "".
func nearestRegion(s string) string {
	best, bestD := "", 3
	for _, r := range Regions() {
		if d := editDistance(s, r); d < bestD {
			best, bestD = r, d
		}
	}
	return best
}

// editDistance is the Damerau-Levenshtein (optimal string alignment)
// distance of a and b: insertions, deletions, substitutions and swaps of
// neighbours each count 1.
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// Region records a problem unless region names an AWS region: one of
// [Regions], or a code of the same shape (<area>-<direction>-<number>) with
// a direction word region codes use, accepted as a region newer than the
// table. Empty is reported as required. Tokens pass.
func (c *Checker) Region(field, region string) bool {
	if region == "" {
		c.Add(field, region, `is required: an AWS region such as "us-east-1"`)
		return false
	}
	if IsToken(region) {
		return true
	}
	if why := regionProblem(region); why != "" {
		c.Add(field, region, "%s", why)
		return false
	}
	return true
}
