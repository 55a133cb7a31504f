package provider

import (
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"terraform-provider-authress/internal/authress"
)

// terraformValue must build exactly what the framework's reflection builds
// from the same model, for a connection with every field and one with none.
func TestConnectionTerraformValueMatchesReflection(t *testing.T) {
	ctx := t.Context()
	var schemaResp datasource.SchemaResponse
	(&connectionDataSource{}).Schema(ctx, datasource.SchemaRequest{}, &schemaResp)
	typ, ok := schemaResp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatal("the schema is not an object")
	}
	for name, body := range map[string]string{
		"every field": `{"connectionId":"a","type":"SAML2","authenticationUrl":"https://a","tokenUrl":"https://t",
			"issuerUrl":"urn:i","providerCertificate":"pem","clientId":"c","clientSecretId":"s",
			"data":{"name":"n","tenantId":"t","developerAccountId":"d","supportedContentType":"application/json",
			"oidcUserEndpointUrl":"https://u","userIdExpression":"{sub}","trustIdentityUserId":true},
			"defaultConnectionProperties":{"scope":"openid","prompt":"login"},"userDataConfiguration":{"location":"DEU"},
			"conditions":{"requireBusinessAccount":true},"linkingConfiguration":{"type":"EXPLICIT"},"tags":{"k":"v"},
			"createdTime":"2026-01-01T00:00:00Z","lastUpdated":"2026-01-02T00:00:00Z","isActiveConnection":true}`,
		"no field": `{}`,
	} {
		t.Run(name, func(t *testing.T) {
			var conn authress.Connection
			if err := json.Unmarshal([]byte(body), &conn); err != nil {
				t.Fatal(err)
			}
			model, diags := connectionFromAPI(ctx, &conn, nil)
			if diags.HasError() {
				t.Fatal(diags)
			}
			state := tfsdk.State{Schema: schemaResp.Schema, Raw: tftypes.NewValue(typ, nil)}
			if diags := state.Set(ctx, &model); diags.HasError() {
				t.Fatal(diags)
			}
			direct, err := model.terraformValue(ctx, typ)
			if err != nil {
				t.Fatal(err)
			}
			if !direct.Equal(state.Raw) {
				t.Fatalf("direct value\n%s\ndiffers from reflection\n%s", direct, state.Raw)
			}
		})
	}
}
