package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"terraform-provider-authress/internal/fakeauthress"
)

const (
	leakStoredSecret    = "stored-leak-check-secret"
	leakWriteOnlySecret = "write-only-leak-check-secret"
	leakUserToken       = "ya29.leak-check-user-token"
	// signedTokenPrefix starts every JWT the provider signs: base64url of
	// {"alg":"EdDSA",...
	signedTokenPrefix = "eyJhbGciOiJFZERTQSI"
)

// leakCheckConfig takes every secret from a sensitive variable, as real
// configurations do; literal secrets would be logged by Terraform itself.
func leakCheckConfig(fake *fakeauthress.Server, name string) string {
	return fmt.Sprintf(`
variable "authress_key" {
  type      = string
  sensitive = true
}

variable "stored_secret" {
  type      = string
  sensitive = true
}

variable "write_only_secret" {
  type      = string
  sensitive = true
  ephemeral = true
}

provider "authress" {
  api_url    = %q
  access_key = var.authress_key
}

resource "authress_connection" "stored" {
  connection_id      = "leak-stored"
  authentication_url = "https://idp.example.com/authorize"
  client_secret      = var.stored_secret
  data = {
    name = %q
  }
}

resource "authress_connection" "write_only" {
  connection_id            = "leak-write-only"
  authentication_url       = "https://idp.example.com/authorize"
  client_secret_wo         = var.write_only_secret
  client_secret_wo_version = 1
  data = {
    name = %q
  }
}

ephemeral "authress_connection_credentials" "user" {
  connection_id = "leak-seeded"
  user_id       = "google|leak"
}
`, fake.URL(), name, name)
}

// With TF_LOG=TRACE written to a file, create, update, import and credential
// reads leave no access key, signed token, client secret or user token in the
// logs, and no secret in state but the client_secret the user chose to store.
func TestAccSecrets_neverInLogsOrState(t *testing.T) {
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logPath)

	fake := newFake(t, fakeauthress.Options{EchoClientSecret: true})
	if _, err := fake.PutConnectionJSON([]byte(`{"connectionId":"leak-seeded","authenticationUrl":"https://idp.example.com"}`)); err != nil {
		t.Fatal(err)
	}
	fake.SeedCredentials("leak-seeded", "google|leak", leakUserToken)
	t.Setenv("TF_VAR_authress_key", fake.AccessKey())
	t.Setenv("TF_VAR_stored_secret", leakStoredSecret)
	t.Setenv("TF_VAR_write_only_secret", leakWriteOnlySecret)

	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{Config: leakCheckConfig(fake, "Created"), Check: secretsOnlyWhereDocumented},
			{Config: leakCheckConfig(fake, "Updated"), Check: secretsOnlyWhereDocumented},
			{
				ResourceName:                         "authress_connection.write_only",
				ImportState:                          true,
				ImportStateId:                        "leak-write-only",
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "connection_id",
				ImportStateVerifyIgnore:              []string{"client_secret_wo", "client_secret_wo_version"},
			},
		},
	})

	logs, err := os.ReadFile(logPath) //nolint:gosec // the test's own temporary file
	if err != nil {
		t.Fatal(err)
	}
	// The check must be able to fail: the provider's own trace lines are there.
	if !strings.Contains(string(logs), "Authress API request") || !strings.Contains(string(logs), "PlanResourceChange") {
		t.Fatalf("the log (%d bytes) lacks the provider's request lines", len(logs))
	}
	if reads := fake.Stats().Requests[fakeauthress.RouteGetUserCredentials]; reads == 0 {
		t.Fatal("the credentials were never read")
	}
	secrets := map[string]string{
		"access key":               fake.AccessKey(),
		"private key":              lastPart(fake.AccessKey()),
		"signed token":             signedTokenPrefix,
		"stored client secret":     leakStoredSecret,
		"write-only client secret": leakWriteOnlySecret,
		"user access token":        leakUserToken,
	}
	for what, secret := range secrets {
		if strings.Contains(string(logs), secret) {
			t.Errorf("the TRACE log contains the %s", what)
		}
	}
}

// secretsOnlyWhereDocumented checks every attribute in state: the stored
// secret may only be client_secret of the resource that configures it.
func secretsOnlyWhereDocumented(s *terraform.State) error {
	for address, rs := range s.RootModule().Resources {
		for attr, value := range rs.Primary.Attributes {
			for _, secret := range []string{leakStoredSecret, leakWriteOnlySecret, leakUserToken} {
				if !strings.Contains(value, secret) {
					continue
				}
				if address == "authress_connection.stored" && attr == "client_secret" && secret == leakStoredSecret {
					continue
				}
				return fmt.Errorf("%s.%s holds a secret", address, attr)
			}
		}
	}
	return nil
}
