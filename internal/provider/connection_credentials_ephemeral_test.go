package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"terraform-provider-authress/internal/fakeauthress"
)

// The ephemeral resource's token is checked through the echo provider, which
// hands an ephemeral value back as data; the token itself never enters the
// plan or state of the Authress provider.
func TestAccConnectionCredentialsEphemeralResource(t *testing.T) {
	fake := newFake(t, fakeauthress.Options{})
	if _, err := fake.PutConnectionJSON([]byte(`{"connectionId":"google","authenticationUrl":"https://accounts.google.com/o/oauth2/v2/auth"}`)); err != nil {
		t.Fatal(err)
	}
	fake.SeedCredentials("google", "google|118234/alice", "ya29.ephemeral-token")
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: map[string]func() (tfprotov6.ProviderServer, error){
			"authress": testProviderFactories["authress"],
			"echo":     echoprovider.NewProviderServer(),
		},
		Steps: []resource.TestStep{{
			Config: providerConfig(fake) + `
ephemeral "authress_connection_credentials" "alice" {
  connection_id = "google"
  user_id       = "google|118234/alice"
}

provider "echo" {
  data = ephemeral.authress_connection_credentials.alice.access_token
}

resource "echo" "token" {}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("echo.token", attrPath("data"), knownvalue.StringExact("ya29.ephemeral-token")),
			},
		}},
	})
}
