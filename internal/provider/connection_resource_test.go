package provider

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"terraform-provider-authress/internal/fakeauthress"
)

const connectionAddress = "authress_connection.test"

func attrPath(parts ...string) tfjsonpath.Path {
	p := tfjsonpath.New(parts[0])
	for _, part := range parts[1:] {
		p = p.AtMapKey(part)
	}
	return p
}

// requestKeys lists the top-level keys of the last body sent on a route.
func requestKeys(t *testing.T, fake *fakeauthress.Server, route string) []string {
	t.Helper()
	var body map[string]any
	if err := json.Unmarshal(fake.LastRequestBody(route), &body); err != nil {
		t.Fatalf("last %s body is not JSON: %v", route, err)
	}
	keys := make([]string, 0, len(body))
	for k := range body {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func checkFake(check func() error) resource.TestCheckFunc {
	return func(*terraform.State) error { return check() }
}

func TestAccConnection_minimalOAuth2(t *testing.T) {
	fake := newFake(t, fakeauthress.Options{})
	config := providerConfig(fake) + `
resource "authress_connection" "test" {
  authentication_url = "https://idp.example.com/oauth2/authorize"
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(connectionAddress, plancheck.ResourceActionCreate),
						plancheck.ExpectUnknownValue(connectionAddress, attrPath("connection_id")),
						plancheck.ExpectKnownValue(connectionAddress, attrPath("type"), knownvalue.StringExact("OAUTH2")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(connectionAddress, attrPath("connection_id"), knownvalue.StringRegexp(connectionIDRegexp)),
					statecheck.ExpectKnownValue(connectionAddress, attrPath("type"), knownvalue.StringExact("OAUTH2")),
					statecheck.ExpectKnownValue(connectionAddress, attrPath("data"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"name":                   knownvalue.Null(),
						"tenant_id":              knownvalue.Null(),
						"developer_account_id":   knownvalue.Null(),
						"supported_content_type": knownvalue.StringExact("application/json"),
						"oidc_user_endpoint_url": knownvalue.Null(),
						"user_id_expression":     knownvalue.StringExact("{sub}"),
						"trust_identity_user_id": knownvalue.Bool(false),
					})),
					// The API's default scope is not the user's setting: it stays out of state.
					statecheck.ExpectKnownValue(connectionAddress, attrPath("default_connection_properties"), knownvalue.Null()),
					statecheck.ExpectKnownValue(connectionAddress, attrPath("conditions", "require_business_account"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(connectionAddress, attrPath("client_secret"), knownvalue.Null()),
					statecheck.ExpectKnownValue(connectionAddress, attrPath("is_active_connection"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(connectionAddress, attrPath("created_time"), knownvalue.NotNull()),
				},
				Check: checkFake(func() error {
					// Create sends what the user set, plus the id the provider chose
					// so that a retried create is idempotent, and nothing else.
					if keys := requestKeys(t, fake, "POST /v1/connections"); strings.Join(keys, ",") != "authenticationUrl,connectionId" {
						return fmt.Errorf("POST body keys = %v, want authenticationUrl and connectionId", keys)
					}
					if ids := fake.ConnectionIDs(); len(ids) != 1 || !regexp.MustCompile(`^con_[a-z2-7]{26}$`).MatchString(ids[0]) {
						return fmt.Errorf("fake holds %v, want one connection with a provider-chosen id", ids)
					}
					if n := fake.ConnectionCount(); n != 1 {
						return fmt.Errorf("fake holds %d connections, want 1", n)
					}
					return nil
				}),
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

const samlConnectionConfig = `
resource "authress_connection" "test" {
  connection_id        = %q
  type                 = "SAML2"
  authentication_url   = "https://idp.example.com/saml/sso"
  token_url            = "https://idp.example.com/oauth2/token"
  issuer_url           = "urn:example:idp"
  provider_certificate = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n"
  client_id            = "authress-client"
  client_secret_id     = "secret-1"
  client_secret        = "s3cr3t-value"

  data = {
    name                   = %q
    tenant_id              = "tenant-42"
    developer_account_id   = "DEV123"
    supported_content_type = "application/x-www-form-urlencoded"
    oidc_user_endpoint_url = "https://idp.example.com/userinfo"
    user_id_expression     = "{email}"
    trust_identity_user_id = true
  }

  default_connection_properties = {
    scope  = "openid profile"
    prompt = "login"
  }

  user_data_configuration = { location = "DEU" }
  conditions              = { require_business_account = true }
  linking_configuration   = { type = "EXPLICIT" }

  tags = {
    team = %q
  }
}
`

func TestAccConnection_saml2EveryAttribute(t *testing.T) {
	fake := newFake(t, fakeauthress.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerConfig(fake) + fmt.Sprintf(samlConnectionConfig, "corp-saml", "Corp SSO", "platform"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(connectionAddress, plancheck.ResourceActionCreate),
						plancheck.ExpectSensitiveValue(connectionAddress, attrPath("client_secret")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(connectionAddress, attrPath("connection_id"), knownvalue.StringExact("corp-saml")),
					statecheck.ExpectKnownValue(connectionAddress, attrPath("type"), knownvalue.StringExact("SAML2")),
					statecheck.ExpectKnownValue(connectionAddress, attrPath("issuer_url"), knownvalue.StringExact("urn:example:idp")),
					statecheck.ExpectKnownValue(connectionAddress, attrPath("client_secret"), knownvalue.StringExact("s3cr3t-value")),
					statecheck.ExpectSensitiveValue(connectionAddress, attrPath("client_secret")),
					statecheck.ExpectKnownValue(connectionAddress, attrPath("data"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"name":                   knownvalue.StringExact("Corp SSO"),
						"tenant_id":              knownvalue.StringExact("tenant-42"),
						"developer_account_id":   knownvalue.StringExact("DEV123"),
						"supported_content_type": knownvalue.StringExact("application/x-www-form-urlencoded"),
						"oidc_user_endpoint_url": knownvalue.StringExact("https://idp.example.com/userinfo"),
						"user_id_expression":     knownvalue.StringExact("{email}"),
						"trust_identity_user_id": knownvalue.Bool(true),
					})),
					statecheck.ExpectKnownValue(connectionAddress, attrPath("default_connection_properties"), knownvalue.MapExact(map[string]knownvalue.Check{
						"scope":  knownvalue.StringExact("openid profile"),
						"prompt": knownvalue.StringExact("login"),
					})),
					statecheck.ExpectKnownValue(connectionAddress, attrPath("user_data_configuration", "location"), knownvalue.StringExact("DEU")),
					statecheck.ExpectKnownValue(connectionAddress, attrPath("conditions", "require_business_account"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(connectionAddress, attrPath("linking_configuration", "type"), knownvalue.StringExact("EXPLICIT")),
					statecheck.ExpectKnownValue(connectionAddress, attrPath("tags"), knownvalue.MapExact(map[string]knownvalue.Check{"team": knownvalue.StringExact("platform")})),
				},
				Check: checkFake(func() error {
					stored, ok := fake.Connection("corp-saml")
					if !ok {
						return fmt.Errorf("the fake has no connection corp-saml")
					}
					if stored["clientSecret"] != "s3cr3t-value" || stored["providerCertificate"] == nil {
						return fmt.Errorf("stored connection lacks the secret or certificate: %v", stored["providerCertificate"])
					}
					return nil
				}),
			},
			// Update in place: a changed name and tag is a PUT, not a replacement.
			{
				Config: providerConfig(fake) + fmt.Sprintf(samlConnectionConfig, "corp-saml", "Corp SSO (EU)", "identity"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(connectionAddress, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(connectionAddress, attrPath("created_time"), knownvalue.NotNull()),
						plancheck.ExpectUnknownValue(connectionAddress, attrPath("last_updated")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(connectionAddress, attrPath("data", "name"), knownvalue.StringExact("Corp SSO (EU)")),
					statecheck.ExpectKnownValue(connectionAddress, attrPath("tags", "team"), knownvalue.StringExact("identity")),
				},
				Check: checkFake(func() error {
					stored, _ := fake.Connection("corp-saml")
					if stored["clientSecret"] != "s3cr3t-value" {
						return fmt.Errorf("the update did not send the secret again; stored secret is %v", stored["clientSecret"] != nil)
					}
					if n := fake.Stats().Requests["PUT /v1/connections/{id}"]; n != 1 {
						return fmt.Errorf("%d PUTs, want 1", n)
					}
					return nil
				}),
			},
			// A new connection_id replaces the connection.
			{
				Config: providerConfig(fake) + fmt.Sprintf(samlConnectionConfig, "corp-saml-2", "Corp SSO (EU)", "identity"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(connectionAddress, plancheck.ResourceActionDestroyBeforeCreate),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(connectionAddress, attrPath("connection_id"), knownvalue.StringExact("corp-saml-2")),
				},
				Check: checkFake(func() error {
					if ids := fake.ConnectionIDs(); len(ids) != 1 || ids[0] != "corp-saml-2" {
						return fmt.Errorf("fake holds %v, want only corp-saml-2", ids)
					}
					return nil
				}),
			},
			// Import by id reproduces the state; the secret is not returned by the API.
			{
				ResourceName:                         connectionAddress,
				ImportState:                          true,
				ImportStateId:                        "corp-saml-2",
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "connection_id",
				ImportStateVerifyIgnore:              []string{"client_secret"},
			},
		},
	})
}

// Even when the API returns secrets, import puts none into state: a secret is
// in state only when the configuration sets client_secret.
func TestAccConnection_importWithEchoedSecret(t *testing.T) {
	fake := newFake(t, fakeauthress.Options{EchoClientSecret: true})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{Config: providerConfig(fake) + fmt.Sprintf(samlConnectionConfig, "echo-saml", "Echo", "t")},
			{
				ResourceName:                         connectionAddress,
				ImportState:                          true,
				ImportStateId:                        "echo-saml",
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "connection_id",
				ImportStateVerifyIgnore:              []string{"client_secret"},
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if secret, ok := states[0].Attributes["client_secret"]; ok && secret != "" {
						return fmt.Errorf("import put the API's secret into state")
					}
					return nil
				},
			},
		},
	})
}

func TestAccConnection_outOfBandChanges(t *testing.T) {
	fake := newFake(t, fakeauthress.Options{EchoClientSecret: true})
	config := providerConfig(fake) + `
resource "authress_connection" "test" {
  connection_id      = "oob"
  authentication_url = "https://idp.example.com/authorize"
  client_secret      = "configured-secret"
  data = {
    name = "Configured"
  }
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			// Changed outside Terraform: the plan shows the drift and the apply puts it back.
			{
				PreConfig: func() {
					if err := fake.UpdateConnectionOutOfBand("oob", func(c map[string]any) {
						c["data"].(map[string]any)["name"] = "Renamed by hand"
						c["clientSecret"] = "rotated-by-hand"
					}); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(connectionAddress, plancheck.ResourceActionUpdate),
					},
				},
				Check: checkFake(func() error {
					stored, _ := fake.Connection("oob")
					name := stored["data"].(map[string]any)["name"]
					if name != "Configured" || stored["clientSecret"] != "configured-secret" {
						return fmt.Errorf("after apply the fake has name %v and the secret restored=%v", name, stored["clientSecret"] == "configured-secret")
					}
					return nil
				}),
			},
			// Deleted outside Terraform: the plan recreates it.
			{
				PreConfig: func() {
					if !fake.DeleteConnectionOutOfBand("oob") {
						t.Fatal("connection oob was not in the fake")
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(connectionAddress, plancheck.ResourceActionCreate),
					},
				},
				Check: checkFake(func() error {
					if _, ok := fake.Connection("oob"); !ok {
						return fmt.Errorf("connection oob was not recreated")
					}
					return nil
				}),
			},
		},
	})
}

// When the API does not return secrets, the configured one stays in state
// without a diff, and a secret changed by hand cannot be seen.
func TestAccConnection_secretNotReturned(t *testing.T) {
	fake := newFake(t, fakeauthress.Options{EchoClientSecret: false})
	config := providerConfig(fake) + `
resource "authress_connection" "test" {
  connection_id      = "hidden-secret"
  authentication_url = "https://idp.example.com/authorize"
  client_secret      = "configured-secret"
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(connectionAddress, attrPath("client_secret"), knownvalue.StringExact("configured-secret")),
				},
			},
			{
				PreConfig: func() {
					_ = fake.UpdateConnectionOutOfBand("hidden-secret", func(c map[string]any) { c["clientSecret"] = "rotated" })
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// Setting the API's defaults explicitly, or empty maps, must not flap.
func TestAccConnection_explicitDefaultsDoNotFlap(t *testing.T) {
	fake := newFake(t, fakeauthress.Options{})
	config := providerConfig(fake) + `
resource "authress_connection" "test" {
  type               = "OAUTH2"
  authentication_url = "https://idp.example.com/authorize"
  data = {
    supported_content_type = "application/json"
    user_id_expression     = "{sub}"
    trust_identity_user_id = false
  }
  default_connection_properties = {
    scope = "profile email openid"
  }
  conditions = { require_business_account = false }
  tags       = {}
}

resource "authress_connection" "extra_properties" {
  authentication_url = "https://idp.example.com/authorize"
  default_connection_properties = {
    prompt = "consent"
  }
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(connectionAddress, attrPath("default_connection_properties"), knownvalue.MapExact(map[string]knownvalue.Check{
						"scope": knownvalue.StringExact("profile email openid"),
					})),
					statecheck.ExpectKnownValue(connectionAddress, attrPath("tags"), knownvalue.MapSizeExact(0)),
					statecheck.ExpectKnownValue("authress_connection.extra_properties", attrPath("default_connection_properties"), knownvalue.MapExact(map[string]knownvalue.Check{
						"prompt": knownvalue.StringExact("consent"),
					})),
				},
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}
