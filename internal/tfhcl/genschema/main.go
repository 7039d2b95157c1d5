// Command genschema writes the compact hashicorp/aws schema that package
// tfhcl embeds. Run it in a directory where `terraform init` installed the
// AWS provider (go generate does this with the provider mirror, see below):
//
//	terraform providers schema -json > schema.json
//	go run ./internal/tfhcl/genschema -in schema.json -o internal/tfhcl/aws_schema.json.gz
package main

import (
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/fargatekit/fargatekit/internal/tfhcl"
)

func main() {
	in := flag.String("in", "schema.json", "output of `terraform providers schema -json`")
	out := flag.String("o", "aws_schema.json.gz", "where to write the compact schema")
	flag.Parse()
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "genschema:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	s, err := tfhcl.ReadProvidersSchema(f)
	if err != nil {
		return err
	}
	aws, ok := s["aws"]
	if !ok {
		return fmt.Errorf("%s holds no hashicorp/aws schema", in)
	}
	w, err := os.Create(out)
	if err != nil {
		return err
	}
	zw, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err := json.NewEncoder(zw).Encode(aws); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return w.Close()
}
