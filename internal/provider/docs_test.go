package provider

import (
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// The generated docs are built from the schema's descriptions: an attribute
// without one would show as a bare name in the Registry.
func TestDocs_everyAttributeIsDescribed(t *testing.T) {
	server, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(t.Context(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(schemas.Diagnostics) > 0 {
		t.Fatalf("GetProviderSchema: %v", schemas.Diagnostics)
	}
	check := func(kind, name string, s *tfprotov6.Schema) {
		if strings.TrimSpace(s.Block.Description) == "" {
			t.Errorf("%s %s has no description", kind, name)
		}
		for _, a := range s.Block.Attributes {
			checkAttributeDescribed(t, kind+" "+name+": "+a.Name, a)
		}
	}
	check("provider", "authress", schemas.Provider)
	for name, s := range schemas.ResourceSchemas {
		check("resource", name, s)
	}
	for name, s := range schemas.DataSourceSchemas {
		check("data source", name, s)
	}
	for name, s := range schemas.EphemeralResourceSchemas {
		check("ephemeral resource", name, s)
	}

	identities, err := server.GetResourceIdentitySchemas(t.Context(), &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range identities.IdentitySchemas {
		for _, a := range s.IdentityAttributes {
			if strings.TrimSpace(a.Description) == "" {
				t.Errorf("identity of %s: %s has no description", name, a.Name)
			}
		}
	}
}

func checkAttributeDescribed(t *testing.T, where string, a *tfprotov6.SchemaAttribute) {
	t.Helper()
	if strings.TrimSpace(a.Description) == "" {
		t.Errorf("%s has no description", where)
	}
	if a.NestedType == nil {
		return
	}
	for _, nested := range a.NestedType.Attributes {
		checkAttributeDescribed(t, where+"."+nested.Name, nested)
	}
}

// The adoption guide shows the configuration that
// TestAccConnection_adoptEveryConnection applies end to end; this keeps the
// two the same.
func TestDocs_adoptionGuideShowsTheTestedConfiguration(t *testing.T) {
	for _, file := range []string{
		"../../templates/guides/adopting-existing-connections.md.tmpl",
		"../../docs/guides/adopting-existing-connections.md",
	} {
		guide, err := os.ReadFile(file) //nolint:gosec // a fixed path in this repository
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(guide), strings.TrimSpace(adoptionConfig)) {
			t.Errorf("%s does not show adoptionConfig as tested; copy it from connection_import_test.go", file)
		}
	}
}
