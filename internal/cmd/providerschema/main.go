// Command providerschema prints the provider's schema in the format of
// `terraform providers schema -json`, resource identity schemas included, for
// `tfplugindocs generate --providers-schema`.
//
// Terraform reports identity schemas only from version 1.12, and tfplugindocs
// refuses an import-by-identity example without one. Reading the schema from
// the provider itself makes the generated docs complete, and the same
// whichever Terraform is installed, so that the docs check cannot depend on it.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"terraform-provider-authress/internal/provider"
)

func main() {
	schemas, err := providerSchemas(context.Background())
	if err == nil {
		encoder := json.NewEncoder(os.Stdout)
		encoder.SetIndent("", "  ")
		err = encoder.Encode(schemas)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "providerschema:", err)
		os.Exit(1)
	}
}

// schemaKey names the provider in the output. Terraform uses the full
// address; tfplugindocs finds a schema by the provider's short name, or under
// the hashicorp namespace, so the short name it is.
const schemaKey = "authress"

// The types below mirror Terraform's JSON schema format (format version 1.0).

type providerSchemasJSON struct {
	FormatVersion   string                        `json:"format_version"`
	ProviderSchemas map[string]providerSchemaJSON `json:"provider_schemas"`
}

type providerSchemaJSON struct {
	Provider                 schemaJSON                    `json:"provider"`
	ResourceSchemas          map[string]schemaJSON         `json:"resource_schemas,omitempty"`
	DataSourceSchemas        map[string]schemaJSON         `json:"data_source_schemas,omitempty"`
	EphemeralResourceSchemas map[string]schemaJSON         `json:"ephemeral_resource_schemas,omitempty"`
	ResourceIdentitySchemas  map[string]identitySchemaJSON `json:"resource_identity_schemas,omitempty"`
}

type schemaJSON struct {
	Version int64     `json:"version"`
	Block   blockJSON `json:"block"`
}

type blockJSON struct {
	Attributes      map[string]attributeJSON `json:"attributes,omitempty"`
	BlockTypes      map[string]blockTypeJSON `json:"block_types,omitempty"`
	Description     string                   `json:"description,omitempty"`
	DescriptionKind string                   `json:"description_kind,omitempty"`
	Deprecated      bool                     `json:"deprecated,omitempty"`
}

type blockTypeJSON struct {
	NestingMode string    `json:"nesting_mode"`
	Block       blockJSON `json:"block"`
	MinItems    int64     `json:"min_items,omitempty"`
	MaxItems    int64     `json:"max_items,omitempty"`
}

type attributeJSON struct {
	Type            json.RawMessage `json:"type,omitempty"`
	NestedType      *nestedTypeJSON `json:"nested_type,omitempty"`
	Description     string          `json:"description,omitempty"`
	DescriptionKind string          `json:"description_kind,omitempty"`
	Deprecated      bool            `json:"deprecated,omitempty"`
	Required        bool            `json:"required,omitempty"`
	Optional        bool            `json:"optional,omitempty"`
	Computed        bool            `json:"computed,omitempty"`
	Sensitive       bool            `json:"sensitive,omitempty"`
	WriteOnly       bool            `json:"write_only,omitempty"`
}

type nestedTypeJSON struct {
	Attributes  map[string]attributeJSON `json:"attributes"`
	NestingMode string                   `json:"nesting_mode"`
}

type identitySchemaJSON struct {
	Version    int64                            `json:"version"`
	Attributes map[string]identityAttributeJSON `json:"attributes"`
}

type identityAttributeJSON struct {
	Type              json.RawMessage `json:"type"`
	Description       string          `json:"description,omitempty"`
	RequiredForImport bool            `json:"required_for_import,omitempty"`
	OptionalForImport bool            `json:"optional_for_import,omitempty"`
}

// providerSchemas asks the provider for its schemas over the plugin protocol,
// as Terraform does.
func providerSchemas(ctx context.Context) (*providerSchemasJSON, error) {
	server, err := providerserver.NewProtocol6WithError(provider.New("docs")())()
	if err != nil {
		return nil, err
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		return nil, err
	}
	if err := diagnosticsError("GetProviderSchema", schemas.Diagnostics); err != nil {
		return nil, err
	}
	identities, err := server.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		return nil, err
	}
	if err := diagnosticsError("GetResourceIdentitySchemas", identities.Diagnostics); err != nil {
		return nil, err
	}

	var out providerSchemaJSON
	if out.Provider, err = convertSchema(schemas.Provider); err != nil {
		return nil, err
	}
	if out.ResourceSchemas, err = convertSchemas(schemas.ResourceSchemas); err != nil {
		return nil, err
	}
	if out.DataSourceSchemas, err = convertSchemas(schemas.DataSourceSchemas); err != nil {
		return nil, err
	}
	if out.EphemeralResourceSchemas, err = convertSchemas(schemas.EphemeralResourceSchemas); err != nil {
		return nil, err
	}
	if out.ResourceIdentitySchemas, err = convertIdentities(identities.IdentitySchemas); err != nil {
		return nil, err
	}
	return &providerSchemasJSON{
		FormatVersion:   "1.0",
		ProviderSchemas: map[string]providerSchemaJSON{schemaKey: out},
	}, nil
}

func diagnosticsError(call string, diags []*tfprotov6.Diagnostic) error {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return fmt.Errorf("%s: %s: %s", call, d.Summary, d.Detail)
		}
	}
	return nil
}

func convertSchemas(in map[string]*tfprotov6.Schema) (map[string]schemaJSON, error) {
	out := make(map[string]schemaJSON, len(in))
	for name, s := range in {
		converted, err := convertSchema(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out[name] = converted
	}
	return out, nil
}

func convertSchema(s *tfprotov6.Schema) (schemaJSON, error) {
	block, err := convertBlock(s.Block)
	return schemaJSON{Version: s.Version, Block: block}, err
}

func convertBlock(b *tfprotov6.SchemaBlock) (blockJSON, error) {
	out := blockJSON{
		Description:     b.Description,
		DescriptionKind: stringKind(b.DescriptionKind),
		Deprecated:      b.Deprecated,
	}
	var err error
	if out.Attributes, err = convertAttributes(b.Attributes); err != nil {
		return out, err
	}
	for _, nested := range b.BlockTypes {
		block, err := convertBlock(nested.Block)
		if err != nil {
			return out, fmt.Errorf("%s: %w", nested.TypeName, err)
		}
		if out.BlockTypes == nil {
			out.BlockTypes = map[string]blockTypeJSON{}
		}
		out.BlockTypes[nested.TypeName] = blockTypeJSON{
			NestingMode: blockNesting(nested.Nesting),
			Block:       block,
			MinItems:    nested.MinItems,
			MaxItems:    nested.MaxItems,
		}
	}
	return out, nil
}

func convertAttributes(attrs []*tfprotov6.SchemaAttribute) (map[string]attributeJSON, error) {
	if len(attrs) == 0 {
		return nil, nil
	}
	out := make(map[string]attributeJSON, len(attrs))
	for _, a := range attrs {
		converted := attributeJSON{
			Description:     a.Description,
			DescriptionKind: stringKind(a.DescriptionKind),
			Deprecated:      a.Deprecated,
			Required:        a.Required,
			Optional:        a.Optional,
			Computed:        a.Computed,
			Sensitive:       a.Sensitive,
			WriteOnly:       a.WriteOnly,
		}
		if a.NestedType != nil {
			nested, err := convertAttributes(a.NestedType.Attributes)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", a.Name, err)
			}
			converted.NestedType = &nestedTypeJSON{Attributes: nested, NestingMode: objectNesting(a.NestedType.Nesting)}
		} else {
			typ, err := typeJSON(a.Type)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", a.Name, err)
			}
			converted.Type = typ
		}
		out[a.Name] = converted
	}
	return out, nil
}

func convertIdentities(in map[string]*tfprotov6.ResourceIdentitySchema) (map[string]identitySchemaJSON, error) {
	out := make(map[string]identitySchemaJSON, len(in))
	for name, s := range in {
		attrs := make(map[string]identityAttributeJSON, len(s.IdentityAttributes))
		for _, a := range s.IdentityAttributes {
			typ, err := typeJSON(a.Type)
			if err != nil {
				return nil, fmt.Errorf("identity of %s: %s: %w", name, a.Name, err)
			}
			attrs[a.Name] = identityAttributeJSON{
				Type:              typ,
				Description:       a.Description,
				RequiredForImport: a.RequiredForImport,
				OptionalForImport: a.OptionalForImport,
			}
		}
		out[name] = identitySchemaJSON{Version: s.Version, Attributes: attrs}
	}
	return out, nil
}

// typeJSON encodes a type as Terraform's JSON does ("string", ["map","string"],
// ...): tftypes encodes itself in that form, to follow Terraform.
func typeJSON(t tftypes.Type) (json.RawMessage, error) {
	return json.Marshal(t)
}

// stringKind matches Terraform, which names the kind of every description.
func stringKind(k tfprotov6.StringKind) string {
	if k == tfprotov6.StringKindMarkdown {
		return "markdown"
	}
	return "plain"
}

func objectNesting(n tfprotov6.SchemaObjectNestingMode) string {
	switch n {
	case tfprotov6.SchemaObjectNestingModeSingle:
		return "single"
	case tfprotov6.SchemaObjectNestingModeList:
		return "list"
	case tfprotov6.SchemaObjectNestingModeSet:
		return "set"
	case tfprotov6.SchemaObjectNestingModeMap:
		return "map"
	}
	return "invalid"
}

func blockNesting(n tfprotov6.SchemaNestedBlockNestingMode) string {
	switch n {
	case tfprotov6.SchemaNestedBlockNestingModeSingle:
		return "single"
	case tfprotov6.SchemaNestedBlockNestingModeList:
		return "list"
	case tfprotov6.SchemaNestedBlockNestingModeSet:
		return "set"
	case tfprotov6.SchemaNestedBlockNestingModeMap:
		return "map"
	case tfprotov6.SchemaNestedBlockNestingModeGroup:
		return "group"
	}
	return "invalid"
}
