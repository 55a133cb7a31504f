package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"terraform-provider-authress/internal/fakeauthress"
)

func TestAccConnectionCredentialsDataSource(t *testing.T) {
	fake := newFake(t, fakeauthress.Options{})
	if _, err := fake.PutConnectionJSON([]byte(`{"connectionId":"google","authenticationUrl":"https://accounts.google.com/o/oauth2/v2/auth"}`)); err != nil {
		t.Fatal(err)
	}
	// User ids may hold "/" and "|": they must be escaped in the request path.
	fake.SeedCredentials("google", "google|118234/alice", "ya29.user-token")
	const address = "data.authress_connection_credentials.alice"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerConfig(fake) + `
data "authress_connection_credentials" "alice" {
  connection_id = "google"
  user_id       = "google|118234/alice"
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(address, attrPath("access_token"), knownvalue.StringExact("ya29.user-token")),
					statecheck.ExpectSensitiveValue(address, attrPath("access_token")),
				},
			},
			{
				Config: providerConfig(fake) + `
data "authress_connection_credentials" "nobody" {
  connection_id = "google"
  user_id       = "google|999"
}
`,
				ExpectError: regexp.MustCompile(`(?s)No credentials for this user.*google\|999`),
			},
			{
				Config: providerConfig(fake) + `
data "authress_connection_credentials" "nowhere" {
  connection_id = "missing-connection"
  user_id       = "google|118234/alice"
}
`,
				ExpectError: regexp.MustCompile(`(?s)Authress connection not found.*missing-connection`),
			},
		},
	})
}
