package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"terraform-provider-authress/internal/fakeauthress"
)

func TestAccConnectionDataSource(t *testing.T) {
	fake := newFake(t, fakeauthress.Options{EchoClientSecret: true})
	if _, err := fake.PutConnectionJSON([]byte(`{
		"connectionId": "okta",
		"type": "SAML2",
		"authenticationUrl": "https://example.okta.com/sso/saml",
		"clientSecret": "never-in-a-data-source",
		"data": {"name": "Okta"},
		"linkingConfiguration": {"type": "AUTOMATIC"},
		"tags": {"team": "identity"}
	}`)); err != nil {
		t.Fatal(err)
	}
	const address = "data.authress_connection.okta"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerConfig(fake) + `
data "authress_connection" "okta" {
  connection_id = "okta"
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(address, attrPath("type"), knownvalue.StringExact("SAML2")),
					statecheck.ExpectKnownValue(address, attrPath("authentication_url"), knownvalue.StringExact("https://example.okta.com/sso/saml")),
					statecheck.ExpectKnownValue(address, attrPath("data", "name"), knownvalue.StringExact("Okta")),
					statecheck.ExpectKnownValue(address, attrPath("data", "user_id_expression"), knownvalue.StringExact("{sub}")),
					statecheck.ExpectKnownValue(address, attrPath("linking_configuration", "type"), knownvalue.StringExact("AUTOMATIC")),
					statecheck.ExpectKnownValue(address, attrPath("user_data_configuration"), knownvalue.Null()),
					statecheck.ExpectKnownValue(address, attrPath("tags", "team"), knownvalue.StringExact("identity")),
					statecheck.ExpectKnownValue(address, attrPath("created_time"), knownvalue.NotNull()),
				},
			},
			{
				Config: providerConfig(fake) + `
data "authress_connection" "missing" {
  connection_id = "no-such-connection"
}
`,
				ExpectError: regexp.MustCompile(`(?s)Authress connection not found.*no-such-connection`),
			},
		},
	})
}
