package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"terraform-provider-authress/internal/fakeauthress"
)

func TestAccConnectionsDataSource_followsEveryPage(t *testing.T) {
	fake := newFake(t, fakeauthress.Options{PageSize: 2, EchoClientSecret: true})
	// Five connections made outside Terraform, two managed by it: four pages of two.
	for i := range 5 {
		body := fmt.Sprintf(`{"connectionId":"by-hand-%d","authenticationUrl":"https://idp.example.com/%d","clientSecret":"hand-secret-%d"}`, i, i, i)
		if _, err := fake.PutConnectionJSON([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	config := providerConfig(fake) + `
resource "authress_connection" "managed" {
  count              = 2
  connection_id      = "managed-${count.index}"
  authentication_url = "https://idp.example.com/managed"
  client_secret      = "managed-secret"
}

data "authress_connections" "all" {
  depends_on = [authress_connection.managed]
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.authress_connections.all", attrPath("connections"), knownvalue.ListSizeExact(7)),
					statecheck.ExpectKnownValue("data.authress_connections.all", attrPath("connections").AtSliceIndex(0).AtMapKey("connection_id"), knownvalue.StringExact("by-hand-0")),
					// Terraform creates the two managed ones in parallel, in either order.
					statecheck.ExpectKnownValue("data.authress_connections.all", attrPath("connections").AtSliceIndex(5).AtMapKey("connection_id"), knownvalue.StringRegexp(regexp.MustCompile(`^managed-[01]$`))),
					statecheck.ExpectKnownValue("data.authress_connections.all", attrPath("connections").AtSliceIndex(6).AtMapKey("connection_id"), knownvalue.StringRegexp(regexp.MustCompile(`^managed-[01]$`))),
					statecheck.ExpectKnownValue("data.authress_connections.all", attrPath("connections").AtSliceIndex(6).AtMapKey("data").AtMapKey("user_id_expression"), knownvalue.StringExact("{sub}")),
				},
				Check: checkFake(func() error {
					// Every read of the list walks four pages.
					if n := fake.Stats().Requests["GET /v1/connections"]; n == 0 || n%4 != 0 {
						return fmt.Errorf("%d list requests, want a multiple of 4 pages", n)
					}
					return nil
				}),
			},
		},
	})
}

func TestConnectionsDataSource_schemaHasNoSecret(t *testing.T) {
	for name := range connectionDataSourceAttributes() {
		if name == "client_secret" {
			t.Fatal("data source attributes include client_secret")
		}
	}
}
