package tfhcl

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
)

//go:generate go run ./genschema -in schema.json -o aws_schema.json.gz

// Block is what the converter needs of a provider schema block: which keys
// are attributes (with a coarse type) and which are nested blocks.
type Block struct {
	// Attrs maps an attribute name to "string", "number", "bool" or "other".
	Attrs map[string]string `json:"a,omitempty"`
	// Blocks maps a nested block type to its nesting and content.
	Blocks map[string]*NestedBlock `json:"b,omitempty"`
}

// NestedBlock is a block type inside a block.
type NestedBlock struct {
	// Nesting is the schema's nesting mode: single, group, list, set or map.
	Nesting string `json:"n"`
	Block
}

// ProviderSchema holds one provider's blocks.
type ProviderSchema struct {
	Provider  *Block            `json:"provider"`
	Resources map[string]*Block `json:"resource"`
	Data      map[string]*Block `json:"data"`
}

// Schemas maps a provider's local name ("aws") to its schema.
type Schemas map[string]*ProviderSchema

//go:embed aws_schema.json.gz
var awsSchemaGz []byte

var embedded = sync.OnceValues(func() (*ProviderSchema, error) {
	zr, err := gzip.NewReader(bytes.NewReader(awsSchemaGz))
	if err != nil {
		return nil, err
	}
	var ps ProviderSchema
	if err := json.NewDecoder(zr).Decode(&ps); err != nil {
		return nil, err
	}
	return &ps, nil
})

// EmbeddedAWSVersion is the hashicorp/aws provider version whose schema is
// embedded (genschema reads it from `terraform providers schema -json`).
const EmbeddedAWSVersion = "5.100.0"

// DefaultSchemas returns the embedded hashicorp/aws schema under "aws".
func DefaultSchemas() (Schemas, error) {
	ps, err := embedded()
	if err != nil {
		return nil, fmt.Errorf("embedded AWS provider schema: %w", err)
	}
	return Schemas{"aws": ps}, nil
}

// ReadProvidersSchema reads the output of `terraform providers schema -json`
// and returns each provider under its type name (the last part of its source
// address: "registry.terraform.io/hashicorp/random" becomes "random").
func ReadProvidersSchema(r io.Reader) (Schemas, error) {
	var doc struct {
		ProviderSchemas map[string]struct {
			Provider        struct{ Block fullBlock } `json:"provider"`
			ResourceSchemas map[string]struct {
				Block fullBlock `json:"block"`
			} `json:"resource_schemas"`
			DataSourceSchemas map[string]struct {
				Block fullBlock `json:"block"`
			} `json:"data_source_schemas"`
		} `json:"provider_schemas"`
	}
	if err := json.NewDecoder(r).Decode(&doc); err != nil {
		return nil, fmt.Errorf("not the output of `terraform providers schema -json`: %w", err)
	}
	if len(doc.ProviderSchemas) == 0 {
		return nil, fmt.Errorf("no provider_schemas: not the output of `terraform providers schema -json` in an initialised directory")
	}
	out := Schemas{}
	for addr, p := range doc.ProviderSchemas {
		name := addr[strings.LastIndex(addr, "/")+1:]
		ps := &ProviderSchema{Provider: p.Provider.Block.compact(), Resources: map[string]*Block{}, Data: map[string]*Block{}}
		for t, s := range p.ResourceSchemas {
			ps.Resources[t] = s.Block.compact()
		}
		for t, s := range p.DataSourceSchemas {
			ps.Data[t] = s.Block.compact()
		}
		out[name] = ps
	}
	return out, nil
}

type fullBlock struct {
	Attributes map[string]struct {
		Type json.RawMessage `json:"type"`
	} `json:"attributes"`
	BlockTypes map[string]struct {
		NestingMode string    `json:"nesting_mode"`
		Block       fullBlock `json:"block"`
	} `json:"block_types"`
}

func (b fullBlock) compact() *Block {
	out := &Block{}
	for name, a := range b.Attributes {
		if out.Attrs == nil {
			out.Attrs = map[string]string{}
		}
		var t string
		switch _ = json.Unmarshal(a.Type, &t); t {
		case "string", "number", "bool":
		default:
			t = "other"
		}
		out.Attrs[name] = t
	}
	for name, bt := range b.BlockTypes {
		if out.Blocks == nil {
			out.Blocks = map[string]*NestedBlock{}
		}
		out.Blocks[name] = &NestedBlock{Nesting: bt.NestingMode, Block: *bt.Block.compact()}
	}
	return out
}
