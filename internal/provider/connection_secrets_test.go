package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"terraform-provider-authress/internal/fakeauthress"
)

// storedSecret is what the fake holds as the connection's client secret.
func storedSecret(fake *fakeauthress.Server, id string) any {
	stored, ok := fake.Connection(id)
	if !ok {
		return nil
	}
	return stored["clientSecret"]
}

func expectStoredSecret(fake *fakeauthress.Server, id, want string) resource.TestCheckFunc {
	return checkFake(func() error {
		if got := storedSecret(fake, id); got != want {
			return fmt.Errorf("the API holds secret %v for %s, want the configured one", got != nil, id)
		}
		return nil
	})
}

func writeOnlySecretConfig(fake *fakeauthress.Server, name, secret string, version int) string {
	return providerConfig(fake) + fmt.Sprintf(`
resource "authress_connection" "test" {
  connection_id            = "wo"
  authentication_url       = "https://idp.example.com/authorize"
  client_secret_wo         = %q
  client_secret_wo_version = %d
  data = {
    name = %q
  }
}
`, secret, version, name)
}

// The write-only secret is sent with every create and update, never stored,
// and an unrelated change does not clear it at the API (PUT is a full replace).
func TestAccConnection_writeOnlySecret(t *testing.T) {
	fake := newFake(t, fakeauthress.Options{EchoClientSecret: true})
	noSecretInState := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(connectionAddress, attrPath("client_secret_wo"), knownvalue.Null()),
		statecheck.ExpectKnownValue(connectionAddress, attrPath("client_secret"), knownvalue.Null()),
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            writeOnlySecretConfig(fake, "First", "wo-secret-1", 1),
				ConfigStateChecks: noSecretInState,
				Check:             expectStoredSecret(fake, "wo", "wo-secret-1"),
			},
			// Only the name changes: the PUT still carries the secret.
			{
				Config: writeOnlySecretConfig(fake, "Renamed", "wo-secret-1", 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(connectionAddress, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: noSecretInState,
				Check:             expectStoredSecret(fake, "wo", "wo-secret-1"),
			},
			// A new version sends the new secret.
			{
				Config: writeOnlySecretConfig(fake, "Renamed", "wo-secret-2", 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(connectionAddress, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: noSecretInState,
				Check:             expectStoredSecret(fake, "wo", "wo-secret-2"),
			},
			// Without a new version Terraform cannot see a new write-only value:
			// this is why client_secret_wo_version exists.
			{
				Config: writeOnlySecretConfig(fake, "Renamed", "wo-secret-3", 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: expectStoredSecret(fake, "wo", "wo-secret-2"),
			},
		},
	})
}

func storedSecretConfig(fake *fakeauthress.Server, name string) string {
	return providerConfig(fake) + fmt.Sprintf(`
resource "authress_connection" "test" {
  connection_id      = "stored"
  authentication_url = "https://idp.example.com/authorize"
  client_secret      = "stored-secret"
  data = {
    name = %q
  }
}
`, name)
}

// The stored secret also survives an update that changes only the name.
func TestAccConnection_storedSecretSurvivesUnrelatedUpdate(t *testing.T) {
	fake := newFake(t, fakeauthress.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{Config: storedSecretConfig(fake, "First"), Check: expectStoredSecret(fake, "stored", "stored-secret")},
			{
				Config: storedSecretConfig(fake, "Renamed"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(connectionAddress, plancheck.ResourceActionUpdate),
						plancheck.ExpectSensitiveValue(connectionAddress, attrPath("client_secret")),
					},
				},
				Check: expectStoredSecret(fake, "stored", "stored-secret"),
			},
		},
	})
}

// Moving from client_secret to client_secret_wo updates in place and takes
// the secret out of state.
func TestAccConnection_moveSecretToWriteOnly(t *testing.T) {
	fake := newFake(t, fakeauthress.Options{})
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: storedSecretConfig(fake, "Moving"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(connectionAddress, attrPath("client_secret"), knownvalue.StringExact("stored-secret")),
				},
			},
			{
				Config: providerConfig(fake) + `
resource "authress_connection" "test" {
  connection_id            = "stored"
  authentication_url       = "https://idp.example.com/authorize"
  client_secret_wo         = "stored-secret"
  client_secret_wo_version = 1
  data = {
    name = "Moving"
  }
}
`,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(connectionAddress, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(connectionAddress, attrPath("client_secret"), knownvalue.Null()),
					statecheck.ExpectKnownValue(connectionAddress, attrPath("client_secret_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(connectionAddress, attrPath("client_secret_wo_version"), knownvalue.Int64Exact(1)),
				},
				Check: expectStoredSecret(fake, "stored", "stored-secret"),
			},
		},
	})
}
