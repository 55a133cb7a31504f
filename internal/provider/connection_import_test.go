package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"terraform-provider-authress/internal/fakeauthress"
)

// handMadeConnections are created outside Terraform, as an admin would in the
// Authress portal, with every kind of attribute.
var handMadeConnections = []string{
	`{"connectionId":"azure","authenticationUrl":"https://login.microsoftonline.com/contoso/oauth2/v2.0/authorize","tokenUrl":"https://login.microsoftonline.com/contoso/oauth2/v2.0/token","clientId":"azure-app","data":{"name":"Azure AD","tenantId":"contoso"},"tags":{"team":"it"}}`,
	`{"connectionId":"okta","type":"SAML2","authenticationUrl":"https://example.okta.com/sso/saml","issuerUrl":"http://www.okta.com/exk1","providerCertificate":"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n","linkingConfiguration":{"type":"EXPLICIT"},"userDataConfiguration":{"location":"DEU"}}`,
	`{"connectionId":"github","authenticationUrl":"https://github.com/login/oauth/authorize","defaultConnectionProperties":{"scope":"read:user","allow_signup":"false"},"conditions":{"requireBusinessAccount":true},"data":{"supportedContentType":"application/x-www-form-urlencoded","trustIdentityUserId":true}}`,
}

func seedHandMadeConnections(t *testing.T, fake *fakeauthress.Server) {
	t.Helper()
	for _, body := range handMadeConnections {
		if _, err := fake.PutConnectionJSON([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
}

// terraform plan -generate-config-out writes configuration for an import
// block; that configuration must import with no changes.
func TestAccConnection_generatedImportConfig(t *testing.T) {
	for _, id := range []string{"azure", "okta", "github"} {
		t.Run(id, func(t *testing.T) {
			fake := newFake(t, fakeauthress.Options{})
			seedHandMadeConnections(t, fake)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{{
					Config:          providerConfig(fake),
					ResourceName:    connectionAddress,
					ImportState:     true,
					ImportStateKind: resource.ImportBlockWithID,
					ImportStateId:   id,
					GenerateConfig:  true,
					ImportPlanChecks: resource.ImportPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(connectionAddress, plancheck.ResourceActionNoop),
							plancheck.ExpectKnownValue(connectionAddress, attrPath("connection_id"), knownvalue.StringExact(id)),
						},
					},
				}},
			})
		})
	}
}

// The "Adopting existing connections" guide: authress_connections feeds
// import blocks with for_each, so every hand-made connection is adopted in
// one plan, without a single write to the API.
func TestAccConnection_adoptEveryConnection(t *testing.T) {
	fake := newFake(t, fakeauthress.Options{})
	seedHandMadeConnections(t, fake)
	cli := newTerraformCLI(t)
	if out := cli.run("version"); !terraformAtLeast(out, 1, 7) {
		t.Skip("import blocks with for_each need Terraform 1.7 or later")
	}
	cli.writeConfig(providerConfig(fake) + adoptionConfig)

	plan := cli.run("plan", "-input=false", "-no-color")
	if !strings.Contains(plan, "Plan: 3 to import, 0 to add, 0 to change, 0 to destroy.") {
		t.Fatalf("the plan does not import exactly the three connections without changes:\n%s", plan)
	}
	cli.run("apply", "-input=false", "-no-color", "-auto-approve")
	state := cli.run("state", "list")
	for _, id := range []string{"azure", "okta", "github"} {
		if !strings.Contains(state, `authress_connection.adopted["`+id+`"]`) {
			t.Errorf("state lacks connection %s:\n%s", id, state)
		}
	}
	if writes := fake.Stats().Writes; writes != 0 {
		t.Fatalf("adopting made %d writes to the API, want 0", writes)
	}
	if out, err := cli.tryRun("plan", "-input=false", "-no-color", "-detailed-exitcode"); err != nil {
		t.Fatalf("the plan after adoption is not empty: %v\n%s", err, out)
	}
}

// terraformAtLeast reads "Terraform vX.Y.Z" from terraform version output.
func terraformAtLeast(versionOutput string, major, minor int) bool {
	var gotMajor, gotMinor, patch int
	if _, err := fmt.Sscanf(strings.TrimSpace(versionOutput), "Terraform v%d.%d.%d", &gotMajor, &gotMinor, &patch); err != nil {
		return false
	}
	return gotMajor > major || (gotMajor == major && gotMinor >= minor)
}

// adoptionConfig is the configuration of the adoption guide.
const adoptionConfig = `
data "authress_connections" "all" {}

locals {
  connections = { for c in data.authress_connections.all.connections : c.connection_id => c }
}

import {
  for_each = local.connections
  to       = authress_connection.adopted[each.key]
  id       = each.key
}

resource "authress_connection" "adopted" {
  for_each = local.connections

  connection_id                 = each.value.connection_id
  type                          = each.value.type
  authentication_url            = each.value.authentication_url
  token_url                     = each.value.token_url
  issuer_url                    = each.value.issuer_url
  provider_certificate          = each.value.provider_certificate
  client_id                     = each.value.client_id
  client_secret_id              = each.value.client_secret_id
  data                          = each.value.data
  default_connection_properties = each.value.default_connection_properties
  user_data_configuration       = each.value.user_data_configuration
  conditions                    = each.value.conditions
  linking_configuration         = each.value.linking_configuration
  tags                          = each.value.tags
}
`
