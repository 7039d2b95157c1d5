package cost

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"
)

// The price tables are data: one JSON file per region, each naming the pages
// its numbers come from and the date they were read. A new region is a new
// file, not new code.
//
//go:embed prices/*.json
var priceFiles embed.FS

// Prices is one region's price table. All amounts are in Currency.
type Prices struct {
	Region   string   `json:"region"`
	Currency string   `json:"currency"`
	Read     string   `json:"read"`
	Sources  []Source `json:"sources"`
	// Fargate maps CPU architecture ("X86_64", "ARM64") and capacity
	// provider ("FARGATE", "FARGATE_SPOT") to the rates.
	Fargate           map[string]map[string]FargateRate `json:"fargate"`
	NATGateway        HourAndGB                         `json:"nat_gateway"`
	ALB               ALBRate                           `json:"alb"`
	PublicIPv4        Hourly                            `json:"public_ipv4"`
	InterfaceEndpoint EndpointRate                      `json:"interface_endpoint"`
	Logs              LogRate                           `json:"cloudwatch_logs"`
	Metrics           MetricRate                        `json:"cloudwatch_metrics"`
	Alarms            AlarmRate                         `json:"cloudwatch_alarms"`
	KMS               KMSRate                           `json:"kms"`
	SNS               SNSRate                           `json:"sns"`
}

// Source names where a group of prices comes from.
type Source struct {
	Covers string `json:"covers"`
	URL    string `json:"url"`
	Via    string `json:"via"`
}

// FargateRate is the price of a vCPU-hour and of a GB-hour of memory.
type FargateRate struct {
	VCPUHour float64 `json:"vcpu_hour"`
	GBHour   float64 `json:"gb_hour"`
}

// HourAndGB is an hourly charge plus a charge per GB processed.
type HourAndGB struct {
	Hour        float64 `json:"hour"`
	GBProcessed float64 `json:"gb_processed"`
}

// ALBRate is an Application Load Balancer's hourly and LCU-hour price.
type ALBRate struct {
	Hour    float64 `json:"hour"`
	LCUHour float64 `json:"lcu_hour"`
}

// Hourly is a charge per hour.
type Hourly struct {
	Hour float64 `json:"hour"`
}

// EndpointRate is an interface endpoint's price per zone-hour and per GB.
type EndpointRate struct {
	HourPerAZ   float64 `json:"hour_per_az"`
	GBProcessed float64 `json:"gb_processed"`
}

// LogRate is CloudWatch Logs ingestion (standard and vended, such as VPC
// flow logs) and storage.
type LogRate struct {
	IngestGB       float64 `json:"ingest_gb"`
	VendedIngestGB float64 `json:"vended_ingest_gb"`
	StorageGBMonth float64 `json:"storage_gb_month"`
}

// MetricRate is the price of one custom metric for a month.
type MetricRate struct {
	MetricMonth float64 `json:"metric_month"`
}

// AlarmRate is the price of one alarm metric for a month: a single-metric
// alarm has one, a metric math alarm one per metric its expression reads.
type AlarmRate struct {
	StandardMetricMonth       float64 `json:"standard_metric_month"`
	HighResolutionMetricMonth float64 `json:"high_resolution_metric_month"`
}

// KMSRate is the price of a customer managed KMS key for a month.
type KMSRate struct {
	KeyMonth float64 `json:"key_month"`
}

// SNSRate is the price of a million publishes to a standard SNS topic.
type SNSRate struct {
	MillionPublishes float64 `json:"million_publishes"`
}

// Regions lists the regions that have a price table.
func Regions() []string {
	entries, _ := priceFiles.ReadDir("prices")
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".json"))
	}
	sort.Strings(out)
	return out
}

// PricesFor returns the price table of region, or an error naming the
// regions that have one: the estimate never guesses a price.
func PricesFor(region string) (*Prices, error) {
	if region == "" {
		return nil, fmt.Errorf("cost: the stack's region is not a literal string, so no price table can be chosen; price tables exist for %s", strings.Join(Regions(), ", "))
	}
	b, err := priceFiles.ReadFile(path.Join("prices", region+".json"))
	if err != nil {
		return nil, fmt.Errorf("cost: no price table for region %q; price tables exist for %s (add report/cost/prices/%s.json with its sources to price it)", region, strings.Join(Regions(), ", "), region)
	}
	var p Prices
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("cost: price table %s.json: %w", region, err)
	}
	if p.Region != region {
		return nil, fmt.Errorf("cost: price table %s.json says region %q", region, p.Region)
	}
	return &p, nil
}

// fargate returns the rate for an architecture and capacity provider.
func (p *Prices) fargate(arch, provider string) (FargateRate, error) {
	r, ok := p.Fargate[arch][provider]
	if !ok {
		return FargateRate{}, fmt.Errorf("cost: the %s price table has no Fargate rate for architecture %q on %q (it has X86_64 and ARM64 on FARGATE and FARGATE_SPOT)", p.Region, arch, provider)
	}
	return r, nil
}
