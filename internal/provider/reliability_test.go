package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"terraform-provider-authress/internal/fakeauthress"
)

const faultedConnections = 25

// faultedFleetConfig declares 25 connections; max_retries is raised because
// three requests in ten fail on purpose.
func faultedFleetConfig(fake *fakeauthress.Server) string {
	return fmt.Sprintf(`
provider "authress" {
  api_url     = %q
  access_key  = %q
  max_retries = 10
}

resource "authress_connection" "fleet" {
  count              = %d
  connection_id      = "fleet-${count.index}"
  authentication_url = "https://idp${count.index}.example.com/authorize"
  client_secret      = "fleet-secret-${count.index}"
  data = {
    name = "Fleet ${count.index}"
  }
  tags = {
    index = tostring(count.index)
  }
}
`, fake.URL(), fake.AccessKey(), faultedConnections)
}

// One apply of 25 connections converges while 30% of requests fail in every
// way the fake can fail them: no duplicate, no orphan, nothing lost, and the
// plan after it is empty; the destroy under the same faults leaves nothing.
func TestAccReliability_applyAndDestroyUnderFaults(t *testing.T) {
	// The provider logs each retry at INFO; the log counts them.
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	t.Setenv("TF_LOG", "INFO")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	fake := newFake(t, fakeauthress.Options{})
	fake.SetFaults(fakeauthress.FaultConfig{Rate: 0.3, Seed: 2026, Kinds: fakeauthress.AllFaultKinds()})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if n := fake.ConnectionCount(); n != 0 {
				return fmt.Errorf("after destroy the fake still holds %d connections: %v", n, fake.ConnectionIDs())
			}
			logFaultReport(t, "apply, refresh and destroy", fake, logPath)
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: faultedFleetConfig(fake),
				Check:  stateMatchesFake(fake),
			},
			// The plan after the apply, refreshed under the same faults, is empty.
			{
				Config: faultedFleetConfig(fake),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// stateMatchesFake compares every connection in state with the fake, field by field.
func stateMatchesFake(fake *fakeauthress.Server) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		if n := fake.ConnectionCount(); n != faultedConnections {
			return fmt.Errorf("the fake holds %d connections, want exactly %d: %v", n, faultedConnections, fake.ConnectionIDs())
		}
		seen := 0
		for address, rs := range s.RootModule().Resources {
			if rs.Type != "authress_connection" {
				continue
			}
			seen++
			attrs := rs.Primary.Attributes
			stored, ok := fake.Connection(attrs["connection_id"])
			if !ok {
				return fmt.Errorf("%s: connection %s is in state but not at the API", address, attrs["connection_id"])
			}
			data, _ := stored["data"].(map[string]any)
			tags, _ := stored["tags"].(map[string]any)
			pairs := map[string][2]any{
				"authentication_url":          {attrs["authentication_url"], stored["authenticationUrl"]},
				"client_secret":               {attrs["client_secret"], stored["clientSecret"]},
				"type":                        {attrs["type"], stored["type"]},
				"data.name":                   {attrs["data.name"], data["name"]},
				"data.user_id_expression":     {attrs["data.user_id_expression"], data["userIdExpression"]},
				"data.supported_content_type": {attrs["data.supported_content_type"], data["supportedContentType"]},
				"tags.index":                  {attrs["tags.index"], tags["index"]},
				"created_time":                {attrs["created_time"], stored["createdTime"]},
				"last_updated":                {attrs["last_updated"], stored["lastUpdated"]},
			}
			for field, pair := range pairs {
				if fmt.Sprint(pair[0]) != fmt.Sprint(pair[1]) {
					return fmt.Errorf("%s: %s is %q in state but %q at the API", address, field, pair[0], pair[1])
				}
			}
		}
		if seen != faultedConnections {
			return fmt.Errorf("state holds %d connections, want %d", seen, faultedConnections)
		}
		return nil
	}
}

// logFaultReport prints what the fake injected and answered, for the README's
// Reliability figures.
func logFaultReport(t *testing.T, phase string, fake *fakeauthress.Server, logPath string) {
	logs, _ := os.ReadFile(logPath) //nolint:gosec // the test's own temporary file
	retries := strings.Count(string(logs), "Retrying Authress API request")
	stats := fake.Stats()
	total, faults := 0, 0
	for _, n := range stats.Requests {
		total += n
	}
	var kinds []string
	for kind, n := range stats.FaultsInjected {
		faults += n
		kinds = append(kinds, fmt.Sprintf("%s=%d", kind, n))
	}
	sort.Strings(kinds)
	t.Logf("%s of %d connections: %d requests reached the API, %d faults injected (%s), %d retries by the provider",
		phase, faultedConnections, total, faults, strings.Join(kinds, " "), retries)
}

func unmodeledConfig(fake *fakeauthress.Server, name string) string {
	return providerConfig(fake) + fmt.Sprintf(`
resource "authress_connection" "test" {
  connection_id      = "newer-api"
  authentication_url = "https://idp.example.com/authorize"
  data = {
    name = %q
  }
}
`, name)
}

// A field a newer API returns, which this provider does not model, survives
// an update of data.name: the provider keeps it in private state and sends it
// back, because the API's update replaces the whole connection.
func TestAccReliability_unmodeledFieldSurvivesUpdate(t *testing.T) {
	fake := newFake(t, fakeauthress.Options{})
	fake.AllowExtraField("riskPolicy")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{Config: unmodeledConfig(fake, "Before")},
			{
				PreConfig: func() {
					if err := fake.UpdateConnectionOutOfBand("newer-api", func(c map[string]any) {
						c["riskPolicy"] = map[string]any{"level": "strict", "mfa": true}
					}); err != nil {
						t.Fatal(err)
					}
				},
				Config: unmodeledConfig(fake, "After"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(connectionAddress, plancheck.ResourceActionUpdate)},
				},
				Check: checkFake(func() error {
					stored, _ := fake.Connection("newer-api")
					policy, ok := stored["riskPolicy"].(map[string]any)
					if !ok || policy["level"] != "strict" || policy["mfa"] != true {
						return fmt.Errorf("the update lost the unmodeled field: %v", stored["riskPolicy"])
					}
					if name := stored["data"].(map[string]any)["name"]; name != "After" {
						return fmt.Errorf("the update did not apply: name %v", name)
					}
					return nil
				}),
			},
		},
	})
}
