package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// EnvShapedSchema names a file holding a resource schema block as
// `terraform providers schema -json` prints it. When set, the provider also
// offers noop_connection: a resource with exactly those attributes (names,
// types, nesting, required/optional/computed, sensitive, write-only) that
// does nothing, to measure what a schema of that size costs Terraform and
// the framework. It has no validators, defaults or plan modifiers: computed
// values are left null.
const EnvShapedSchema = "BENCH_NOOP_SCHEMA"

// schemaBlock and schemaAttribute are the parts of Terraform's JSON schema
// format this resource understands.
type schemaBlock struct {
	Attributes map[string]schemaAttribute `json:"attributes"`
	BlockTypes map[string]json.RawMessage `json:"block_types"`
}

type schemaAttribute struct {
	Type       json.RawMessage `json:"type"`
	NestedType *struct {
		Attributes  map[string]schemaAttribute `json:"attributes"`
		NestingMode string                     `json:"nesting_mode"`
	} `json:"nested_type"`
	Required  bool `json:"required"`
	Optional  bool `json:"optional"`
	Computed  bool `json:"computed"`
	Sensitive bool `json:"sensitive"`
	WriteOnly bool `json:"write_only"`
}

func loadShapedSchema(path string) (schema.Schema, error) {
	data, err := os.ReadFile(path) //nolint:gosec // a file the benchmark wrote
	if err != nil {
		return schema.Schema{}, err
	}
	var block schemaBlock
	if err := json.Unmarshal(data, &block); err != nil {
		return schema.Schema{}, fmt.Errorf("%s: %w", path, err)
	}
	if len(block.BlockTypes) > 0 {
		return schema.Schema{}, fmt.Errorf("%s: nested blocks are not supported", path)
	}
	attrs, err := convertAttributes(block.Attributes)
	if err != nil {
		return schema.Schema{}, fmt.Errorf("%s: %w", path, err)
	}
	return schema.Schema{Attributes: attrs}, nil
}

func convertAttributes(in map[string]schemaAttribute) (map[string]schema.Attribute, error) {
	out := make(map[string]schema.Attribute, len(in))
	for name, a := range in {
		converted, err := convertAttribute(a)
		if err != nil {
			return nil, fmt.Errorf("attribute %q: %w", name, err)
		}
		out[name] = converted
	}
	return out, nil
}

func convertAttribute(a schemaAttribute) (schema.Attribute, error) {
	if a.NestedType != nil {
		nested, err := convertAttributes(a.NestedType.Attributes)
		if err != nil {
			return nil, err
		}
		object := schema.NestedAttributeObject{Attributes: nested}
		switch a.NestedType.NestingMode {
		case "single":
			return schema.SingleNestedAttribute{Attributes: nested, Required: a.Required, Optional: a.Optional, Computed: a.Computed, Sensitive: a.Sensitive, WriteOnly: a.WriteOnly}, nil
		case "list":
			return schema.ListNestedAttribute{NestedObject: object, Required: a.Required, Optional: a.Optional, Computed: a.Computed, Sensitive: a.Sensitive, WriteOnly: a.WriteOnly}, nil
		case "set":
			if a.WriteOnly {
				return nil, fmt.Errorf("a write-only set of objects is not supported")
			}
			return schema.SetNestedAttribute{NestedObject: object, Required: a.Required, Optional: a.Optional, Computed: a.Computed, Sensitive: a.Sensitive}, nil
		case "map":
			return schema.MapNestedAttribute{NestedObject: object, Required: a.Required, Optional: a.Optional, Computed: a.Computed, Sensitive: a.Sensitive, WriteOnly: a.WriteOnly}, nil
		}
		return nil, fmt.Errorf("unsupported nesting mode %q", a.NestedType.NestingMode)
	}
	typ, err := convertType(a.Type)
	if err != nil {
		return nil, err
	}
	switch t := typ.(type) {
	case basicType:
		switch t {
		case "string":
			return schema.StringAttribute{Required: a.Required, Optional: a.Optional, Computed: a.Computed, Sensitive: a.Sensitive, WriteOnly: a.WriteOnly}, nil
		case "bool":
			return schema.BoolAttribute{Required: a.Required, Optional: a.Optional, Computed: a.Computed, Sensitive: a.Sensitive, WriteOnly: a.WriteOnly}, nil
		case "number":
			return schema.NumberAttribute{Required: a.Required, Optional: a.Optional, Computed: a.Computed, Sensitive: a.Sensitive, WriteOnly: a.WriteOnly}, nil
		}
	case collectionType:
		switch t.kind {
		case "map":
			return schema.MapAttribute{ElementType: t.elem, Required: a.Required, Optional: a.Optional, Computed: a.Computed, Sensitive: a.Sensitive, WriteOnly: a.WriteOnly}, nil
		case "list":
			return schema.ListAttribute{ElementType: t.elem, Required: a.Required, Optional: a.Optional, Computed: a.Computed, Sensitive: a.Sensitive, WriteOnly: a.WriteOnly}, nil
		case "set":
			if a.WriteOnly {
				return nil, fmt.Errorf("a write-only set is not supported")
			}
			return schema.SetAttribute{ElementType: t.elem, Required: a.Required, Optional: a.Optional, Computed: a.Computed, Sensitive: a.Sensitive}, nil
		}
	}
	return nil, fmt.Errorf("unsupported type %s", a.Type)
}

type basicType string

type collectionType struct {
	kind string
	elem attr.Type
}

// convertType reads a cty type in JSON: "string", "bool", "number", or
// [kind, element] for map, list and set of those.
func convertType(raw json.RawMessage) (any, error) {
	var name string
	if json.Unmarshal(raw, &name) == nil {
		switch name {
		case "string", "bool", "number":
			return basicType(name), nil
		}
		return nil, fmt.Errorf("unsupported type %q", name)
	}
	var pair []json.RawMessage
	if err := json.Unmarshal(raw, &pair); err != nil || len(pair) != 2 {
		return nil, fmt.Errorf("unsupported type %s", raw)
	}
	var kind string
	if err := json.Unmarshal(pair[0], &kind); err != nil {
		return nil, fmt.Errorf("unsupported type %s", raw)
	}
	elem, err := convertType(pair[1])
	if err != nil {
		return nil, err
	}
	basic, ok := elem.(basicType)
	if !ok {
		return nil, fmt.Errorf("unsupported element type in %s", raw)
	}
	elemType := map[basicType]attr.Type{"string": types.StringType, "bool": types.BoolType, "number": types.NumberType}[basic]
	switch kind {
	case "map", "list", "set":
		return collectionType{kind: kind, elem: elemType}, nil
	}
	return nil, fmt.Errorf("unsupported type %s", raw)
}

// shaped is noop_connection.
type shaped struct {
	schema schema.Schema
}

func (r shaped) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_connection"
}

func (r shaped) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = r.schema
}

// unknownsToNull is the planned value with every value Terraform left to the
// provider ("known after apply") set to null.
func unknownsToNull(v tftypes.Value) (tftypes.Value, error) {
	return tftypes.Transform(v, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if !v.IsKnown() {
			return tftypes.NewValue(v.Type(), nil), nil
		}
		return v, nil
	})
}

func (r shaped) Create(_ context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	v, err := unknownsToNull(req.Plan.Raw)
	if err != nil {
		resp.Diagnostics.AddError("noop_connection", err.Error())
		return
	}
	resp.State.Raw = v
}

// Read keeps the state as it is: there is nothing outside Terraform to read.
func (r shaped) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

func (r shaped) Update(_ context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	v, err := unknownsToNull(req.Plan.Raw)
	if err != nil {
		resp.Diagnostics.AddError("noop_connection", err.Error())
		return
	}
	resp.State.Raw = v
}

func (r shaped) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
