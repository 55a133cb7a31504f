package provider

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// privateState is the private-state store every CRUD response offers.
type privateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// writeUnmodeled keeps the API fields this provider does not model in
// private state, which Terraform stores with the resource but never shows.
func writeUnmodeled(ctx context.Context, private privateState, fields map[string]json.RawMessage) diag.Diagnostics {
	if private == nil {
		return nil
	}
	if len(fields) == 0 {
		// An empty value removes the key.
		return private.SetKey(ctx, privateUnmodeledKey, nil)
	}
	encoded, err := json.Marshal(fields)
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Could not keep the connection's unmodeled fields", err.Error())
		return diags
	}
	return private.SetKey(ctx, privateUnmodeledKey, encoded)
}

func readUnmodeled(ctx context.Context, private privateState) (map[string]json.RawMessage, diag.Diagnostics) {
	if private == nil {
		return nil, nil
	}
	encoded, diags := private.GetKey(ctx, privateUnmodeledKey)
	if diags.HasError() || len(encoded) == 0 {
		return nil, diags
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(encoded, &fields); err != nil {
		diags.AddError("Could not read the connection's unmodeled fields from private state", err.Error())
		return nil, diags
	}
	return fields, diags
}
