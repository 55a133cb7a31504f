package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"terraform-provider-authress/internal/fakeauthress"
)

// Import by resource identity needs Terraform 1.12, newer than the CLIs the
// suite runs, so this test speaks the plugin protocol to the provider server
// directly, as Terraform would: identity schema, import by identity, then the
// read that follows an import.
func TestConnectionResource_importByIdentity(t *testing.T) {
	fake := newFake(t, fakeauthress.Options{})
	if _, err := fake.PutConnectionJSON([]byte(`{"connectionId":"by-identity","authenticationUrl":"https://idp.example.com/authorize","data":{"name":"Imported"}}`)); err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	server, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}

	identitySchemas, err := server.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil || len(identitySchemas.Diagnostics) > 0 {
		t.Fatalf("GetResourceIdentitySchemas: %v %v", err, identitySchemas.Diagnostics)
	}
	identitySchema := identitySchemas.IdentitySchemas["authress_connection"]
	if identitySchema == nil || len(identitySchema.IdentityAttributes) != 1 {
		t.Fatalf("identity schema = %+v, want one attribute", identitySchema)
	}
	if a := identitySchema.IdentityAttributes[0]; a.Name != "connection_id" || !a.RequiredForImport || !a.Type.Equal(tftypes.String) {
		t.Fatalf("identity attribute = %+v, want connection_id, a string required for import", a)
	}

	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	providerType := schemas.Provider.ValueType()
	providerConfig, err := tfprotov6.NewDynamicValue(providerType, tftypes.NewValue(providerType, map[string]tftypes.Value{
		"api_url":     tftypes.NewValue(tftypes.String, fake.URL()),
		"access_key":  tftypes.NewValue(tftypes.String, fake.AccessKey()),
		"max_retries": tftypes.NewValue(tftypes.Number, nil),
	}))
	if err != nil {
		t.Fatal(err)
	}
	configured, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &providerConfig})
	if err != nil || len(configured.Diagnostics) > 0 {
		t.Fatalf("ConfigureProvider: %v %v", err, configured.Diagnostics)
	}

	identityType := identitySchema.ValueType()
	identity, err := tfprotov6.NewDynamicValue(identityType, tftypes.NewValue(identityType, map[string]tftypes.Value{
		"connection_id": tftypes.NewValue(tftypes.String, "by-identity"),
	}))
	if err != nil {
		t.Fatal(err)
	}
	imported, err := server.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{
		TypeName: "authress_connection",
		Identity: &tfprotov6.ResourceIdentityData{IdentityData: &identity},
	})
	if err != nil || len(imported.Diagnostics) > 0 || len(imported.ImportedResources) != 1 {
		t.Fatalf("ImportResourceState: %v %v", err, imported.Diagnostics)
	}
	importedResource := imported.ImportedResources[0]

	read, err := server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{
		TypeName:        "authress_connection",
		CurrentState:    importedResource.State,
		CurrentIdentity: importedResource.Identity,
		Private:         importedResource.Private,
	})
	if err != nil || len(read.Diagnostics) > 0 {
		t.Fatalf("ReadResource: %v %v", err, read.Diagnostics)
	}
	stateType := schemas.ResourceSchemas["authress_connection"].ValueType()
	state, err := read.NewState.Unmarshal(stateType)
	if err != nil {
		t.Fatal(err)
	}
	var attributes map[string]tftypes.Value
	if err := state.As(&attributes); err != nil {
		t.Fatal(err)
	}
	var data map[string]tftypes.Value
	var name, url string
	if err := attributes["data"].As(&data); err != nil {
		t.Fatal(err)
	}
	if err := data["name"].As(&name); err != nil {
		t.Fatal(err)
	}
	if err := attributes["authentication_url"].As(&url); err != nil {
		t.Fatal(err)
	}
	if name != "Imported" || url != "https://idp.example.com/authorize" {
		t.Fatalf("state after import by identity has name %q and URL %q", name, url)
	}

	readIdentity, err := read.NewIdentity.IdentityData.Unmarshal(identityType)
	if err != nil {
		t.Fatal(err)
	}
	if !readIdentity.Equal(tftypes.NewValue(identityType, map[string]tftypes.Value{"connection_id": tftypes.NewValue(tftypes.String, "by-identity")})) {
		t.Fatalf("identity after read = %s", readIdentity)
	}
}
