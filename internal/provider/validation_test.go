package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"terraform-provider-authress/internal/fakeauthress"
)

// badInput is a configuration fragment that must fail at plan time with an
// error naming attribute.
type badInput struct {
	name      string
	attribute string
	body      string
}

const validURL = `authentication_url = "https://idp.example.com/authorize"`

var badConnectionInputs = []badInput{
	{"empty connection id", "connection_id", `connection_id = ""` + "\n" + validURL},
	{"connection id too long", "connection_id", fmt.Sprintf("connection_id = %q\n%s", strings.Repeat("c", 65), validURL)},
	{"connection id with a space", "connection_id", `connection_id = "bad id"` + "\n" + validURL},
	{"connection id with a slash", "connection_id", `connection_id = "a/b"` + "\n" + validURL},
	{"unknown type", "type", `type = "OIDC"` + "\n" + validURL},
	{"type in the wrong case", "type", `type = "saml2"` + "\n" + validURL},
	{"missing authentication url", "authentication_url", `client_id = "x"`},
	{"empty authentication url", "authentication_url", `authentication_url = ""`},
	{"authentication url too long", "authentication_url", fmt.Sprintf("authentication_url = %q", "https://idp.example.com/"+strings.Repeat("a", 233))},
	{"authentication url without scheme", "authentication_url", `authentication_url = "idp.example.com/authorize"`},
	{"authentication url with ftp scheme", "authentication_url", `authentication_url = "ftp://idp.example.com/authorize"`},
	{"token url too long", "token_url", fmt.Sprintf("token_url = %q\n%s", "https://idp.example.com/"+strings.Repeat("t", 105), validURL)},
	{"token url not a URL", "token_url", `token_url = "token endpoint"` + "\n" + validURL},
	{"empty issuer url", "issuer_url", `issuer_url = ""` + "\n" + validURL},
	{"issuer url too long", "issuer_url", fmt.Sprintf("issuer_url = %q\n%s", strings.Repeat("i", 129), validURL)},
	{"provider certificate too long", "provider_certificate", fmt.Sprintf("provider_certificate = %q\n%s", strings.Repeat("p", 4097), validURL)},
	{"client id too long", "client_id", fmt.Sprintf("client_id = %q\n%s", strings.Repeat("c", 129), validURL)},
	{"client secret id too long", "client_secret_id", fmt.Sprintf("client_secret_id = %q\n%s", strings.Repeat("s", 33), validURL)},
	{"client secret too long", "client_secret", fmt.Sprintf("client_secret = %q\n%s", strings.Repeat("s", 2049), validURL)},
	{"empty client secret", "client_secret", `client_secret = ""` + "\n" + validURL},
	{"empty display name", "data.name", `data = { name = "" }` + "\n" + validURL},
	{"display name too long", "data.name", fmt.Sprintf("data = { name = %q }\n%s", strings.Repeat("n", 65), validURL)},
	{"tenant id with a slash", "data.tenant_id", `data = { tenant_id = "tenant/1" }` + "\n" + validURL},
	{"tenant id too long", "data.tenant_id", fmt.Sprintf("data = { tenant_id = %q }\n%s", strings.Repeat("t", 129), validURL)},
	{"developer account id too long", "data.developer_account_id", fmt.Sprintf("data = { developer_account_id = %q }\n%s", strings.Repeat("d", 33), validURL)},
	{"unsupported content type", "data.supported_content_type", `data = { supported_content_type = "text/xml" }` + "\n" + validURL},
	{"user endpoint not a URL", "data.oidc_user_endpoint_url", `data = { oidc_user_endpoint_url = "userinfo" }` + "\n" + validURL},
	{"user id expression too long", "data.user_id_expression", fmt.Sprintf("data = { user_id_expression = %q }\n%s", strings.Repeat("u", 129), validURL)},
	{"trust flag not a bool", "trust_identity_user_id", `data = { trust_identity_user_id = "maybe" }` + "\n" + validURL},
	{"property value too long", "default_connection_properties", fmt.Sprintf("default_connection_properties = { prompt = %q }\n%s", strings.Repeat("v", 385), validURL)},
	{"property with an empty name", "default_connection_properties", `default_connection_properties = { "" = "x" }` + "\n" + validURL},
	{"unknown data location", "user_data_configuration.location", `user_data_configuration = { location = "MARS" }` + "\n" + validURL},
	{"data location left out", "location", `user_data_configuration = {}` + "\n" + validURL},
	{"unknown linking type", "linking_configuration.type", `linking_configuration = { type = "MANUAL" }` + "\n" + validURL},
	{"tag value too long", "tags", fmt.Sprintf("tags = { team = %q }\n%s", strings.Repeat("t", 129), validURL)},
	{"unknown attribute", "client_secret_value", `client_secret_value = "x"` + "\n" + validURL},
	{"nested object instead of a map", "tags", `tags = { team = { name = "x" } }` + "\n" + validURL},
	// Values unknown at plan time are not judged, but they do not hide the
	// errors of the values that are known.
	{"bad type beside an unknown URL", "type", `type = "OIDC"` + "\n" + `authentication_url = "https://${terraform_data.unknown.id}.example.com"`},
	{"bad tenant beside an unknown name", "data.tenant_id", `data = { tenant_id = "a b", name = terraform_data.unknown.id }` + "\n" + validURL},
}

// badWriteOnlyInputs need Terraform 1.11, which knows write-only arguments.
var badWriteOnlyInputs = []badInput{
	{"stored and write-only secret together", "client_secret_wo", `client_secret = "a"` + "\n" + `client_secret_wo = "b"` + "\n" + validURL},
	{"write-only secret version without the secret", "client_secret_wo_version", `client_secret_wo_version = 1` + "\n" + validURL},
	{"empty write-only secret", "client_secret_wo", `client_secret_wo = ""` + "\n" + validURL},
	{"write-only secret too long", "client_secret_wo", fmt.Sprintf("client_secret_wo = %q\n%s", strings.Repeat("w", 2049), validURL)},
}

// unknownValueSource is a resource whose id is unknown until apply.
const unknownValueSource = `
resource "terraform_data" "unknown" {}
`

func TestAccConnection_badInputsFailAtPlanTime(t *testing.T) {
	fake := newFake(t, fakeauthress.Options{})
	for _, tc := range badConnectionInputs {
		t.Run(tc.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{{
					Config:      providerConfig(fake) + unknownValueSource + "resource \"authress_connection\" \"bad\" {\n" + tc.body + "\n}\n",
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(regexp.QuoteMeta(tc.attribute)),
				}},
			})
		})
	}
	for _, tc := range badWriteOnlyInputs {
		t.Run(tc.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{{
					Config:      providerConfig(fake) + "resource \"authress_connection\" \"bad\" {\n" + tc.body + "\n}\n",
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(regexp.QuoteMeta(tc.attribute)),
				}},
			})
		})
	}
	badCredentialInputs := []badInput{
		{"credentials user id with a space", "user_id", `connection_id = "google"` + "\n" + `user_id = "alice smith"`},
		{"credentials user id too long", "user_id", `connection_id = "google"` + "\n" + fmt.Sprintf("user_id = %q", strings.Repeat("u", 65))},
		{"credentials connection id with a slash", "connection_id", `connection_id = "a/b"` + "\n" + `user_id = "alice"`},
	}
	for _, tc := range badCredentialInputs {
		t.Run(tc.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{{
					Config:      providerConfig(fake) + "data \"authress_connection_credentials\" \"bad\" {\n" + tc.body + "\n}\n",
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(regexp.QuoteMeta(tc.attribute)),
				}},
			})
		})
	}
	// Bad input never reaches the API.
	t.Logf("%d bad inputs tried", len(badConnectionInputs)+len(badWriteOnlyInputs)+len(badCredentialInputs))
	stats := fake.Stats()
	if stats.Writes != 0 {
		t.Fatalf("the fake recorded %d writes for invalid configurations, want 0", stats.Writes)
	}
	if n := stats.Requests["GET /v1/connections/{id}/users/{userId}/credentials"]; n != 0 {
		t.Fatalf("the fake answered %d credential reads for invalid configurations, want 0", n)
	}
}

// Values unknown at plan time are not false errors: the plan succeeds and the
// apply sends the values once known.
func TestAccConnection_unknownValuesPlan(t *testing.T) {
	fake := newFake(t, fakeauthress.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(fake) + `
resource "terraform_data" "tenant" {
  input = "contoso"
}

resource "authress_connection" "test" {
  authentication_url = "https://login.microsoftonline.com/${terraform_data.tenant.output}/oauth2/v2.0/authorize"
  data = {
    tenant_id = terraform_data.tenant.output
    name      = "Tenant ${terraform_data.tenant.output}"
  }
  tags = {
    tenant = terraform_data.tenant.output
  }
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(connectionAddress, attrPath("data", "tenant_id"), knownvalue.StringExact("contoso")),
			},
		}},
	})
}
