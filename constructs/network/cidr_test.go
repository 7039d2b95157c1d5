package network

import (
	"net/netip"
	"testing"

	"github.com/fargatekit/fargatekit/internal/testutil"
)

var _ = testutil.Update

// TestSubnetCIDRMatchesTerraform: the same results as Terraform's
// cidrsubnet(prefix, newbits, netnum).
func TestSubnetCIDRMatchesTerraform(t *testing.T) {
	cases := []struct {
		prefix       string
		bits, netnum int
		want         string
	}{
		{"10.0.0.0/16", 4, 0, "10.0.0.0/20"},
		{"10.0.0.0/16", 4, 1, "10.0.16.0/20"},
		{"10.0.0.0/16", 4, 8, "10.0.128.0/20"},
		{"10.0.0.0/16", 8, 255, "10.0.255.0/24"},
		{"172.16.0.0/20", 4, 3, "172.16.3.0/24"},
		{"192.168.0.0/24", 4, 15, "192.168.0.240/28"},
	}
	for _, c := range cases {
		if got := subnetCIDR(netip.MustParsePrefix(c.prefix), c.bits, c.netnum).String(); got != c.want {
			t.Errorf("cidrsubnet(%s, %d, %d) = %s, want %s", c.prefix, c.bits, c.netnum, got, c.want)
		}
	}
}

func TestPublicAndPrivateSubnetsDoNotOverlap(t *testing.T) {
	p, err := check(Props{Name: "n", AZCount: 3})
	if err != nil {
		t.Fatal(err)
	}
	all := append(append([]string(nil), p.public...), p.private...)
	vpc := netip.MustParsePrefix(DefaultCIDR)
	for i, a := range all {
		pa := netip.MustParsePrefix(a)
		if !vpc.Contains(pa.Addr()) {
			t.Errorf("%s is outside the VPC %s", a, vpc)
		}
		for _, b := range all[i+1:] {
			if pa.Overlaps(netip.MustParsePrefix(b)) {
				t.Errorf("%s overlaps %s", a, b)
			}
		}
	}
}

func TestExistingNetworkCreatesNothing(t *testing.T) {
	n, err := New(nil, "Network", Props{
		Name:             "shared",
		VPCID:            "vpc-0123456789abcdef0",
		PublicSubnetIDs:  []string{"subnet-0123456789abcdef1", "subnet-0123456789abcdef2"},
		PrivateSubnetIDs: []string{"subnet-0123456789abcdef3", "subnet-0123456789abcdef4"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if n.VPC != nil || len(n.NATGateways) != 0 || n.VPCID != "vpc-0123456789abcdef0" || len(n.PrivateSubnetIDs) != 2 {
		t.Errorf("existing network: %+v", n)
	}
}

func TestExistingNetworkNeedsTwoSubnetsPerTier(t *testing.T) {
	err := Validate(Props{Name: "x", VPCID: "vpc-01234567", PublicSubnetIDs: []string{"subnet-01234567"}, PrivateSubnetIDs: []string{"subnet-01234568", "subnet-01234568"}})
	if err == nil {
		t.Fatal("accepted one public subnet and a duplicated private one")
	}
}
