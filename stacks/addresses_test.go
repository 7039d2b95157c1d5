package stacks

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fargatekit/fargatekit/internal/testutil"
)

const addressesFile = "addresses.txt"

const addressesHeader = `# Terraform resource addresses ("type.name") of every default stack and
# every variant (stacks.Variants), one "<stack> <address>" per line. Terraform keys state by address: a resource
# whose address changes is destroyed and created anew on the next apply (a
# new ALB DNS name, a new log group without its logs, a VPC torn down).
# TestResourceAddressesAreStable fails when this list changes. To accept a
# change deliberately: go test ./stacks -run Addresses -update, then say in
# the commit why replacing those resources is safe (or add moved blocks).
`

// TestResourceAddressesAreStable holds the resource addresses of every
// default stack and every variant against testdata/addresses.txt, so that a refactor that
// renames a construct id, and so would destroy and recreate live resources,
// fails here with the list of what would be replaced.
func TestResourceAddressesAreStable(t *testing.T) {
	var got []string
	for _, s := range []synthesized{defaults(t), variants(t)} {
		for _, name := range testutil.SortedKeys(s.Doc) {
			stack := name
			if st := s.Stacks[name]; st != nil {
				stack = *st.TerraformStack.Node().Id()
			}
			for _, addr := range s.Doc[name].Addresses() {
				got = append(got, stack+" "+addr)
			}
		}
	}
	path := filepath.Join("testdata", addressesFile)
	if *testutil.Update {
		if err := os.WriteFile(path, []byte(addressesHeader+strings.Join(got, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v\nCreate it with: go test ./stacks -run Addresses -update", err)
	}
	var want []string
	for _, line := range strings.Split(string(raw), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			want = append(want, line)
		}
	}
	removed, added := addressDiff(want, got)
	if len(removed)+len(added) == 0 {
		return
	}
	t.Fatal(addressReport(removed, added))
}

// addressDiff returns the lines only in want (removed) and only in got (added).
func addressDiff(want, got []string) (removed, added []string) {
	for _, w := range want {
		if !slices.Contains(got, w) {
			removed = append(removed, w)
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			added = append(added, g)
		}
	}
	return removed, added
}

func addressReport(removed, added []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "the resource addresses of the default stacks or variants changed (testdata/%s):\n", addressesFile)
	if len(removed) > 0 {
		fmt.Fprintf(&b, "\nremoved (applying would DESTROY these live resources):\n")
		for _, r := range removed {
			fmt.Fprintf(&b, "  - %s\n", r)
		}
	}
	if len(added) > 0 {
		fmt.Fprintf(&b, "\nadded (applying would create these):\n")
		for _, a := range added {
			fmt.Fprintf(&b, "  + %s\n", a)
		}
	}
	if len(removed) > 0 && len(added) > 0 {
		b.WriteString("\nA removed and an added address of the same type are usually one resource renamed: applying would destroy and recreate it, not rename it.\n")
	}
	b.WriteString("\nIf this is not intended, keep the construct ids (they are the addresses). " +
		"If it is, accept it deliberately: go test ./stacks -run Addresses -update, " +
		"and explain in the commit why replacing these resources is safe (or move the state: moved blocks, or terraform state mv).")
	return b.String()
}

// TestAddressReportSaysWhatWouldHappen checks the failure message on a made-up
// rename, since the real test only fails when someone breaks something.
func TestAddressReportSaysWhatWouldHappen(t *testing.T) {
	removed, added := addressDiff(
		[]string{"production aws_lb.LoadBalancer_10456B95", "production aws_vpc.Network_Vpc_FAC8F4A5"},
		[]string{"production aws_lb.Alb_0A1B2C3D", "production aws_vpc.Network_Vpc_FAC8F4A5"},
	)
	msg := addressReport(removed, added)
	for _, want := range []string{
		"- production aws_lb.LoadBalancer_10456B95",
		"+ production aws_lb.Alb_0A1B2C3D",
		"DESTROY",
		"destroy and recreate",
		"go test ./stacks -run Addresses -update",
		"explain in the commit",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("the report should contain %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "Network_Vpc") {
		t.Errorf("the report should list only what changed:\n%s", msg)
	}
}
