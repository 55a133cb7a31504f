package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"terraform-provider-authress/internal/fakeauthress"
)

// testProviderFactories serves the provider in-process to the real Terraform CLI.
var testProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"authress": providerserver.NewProtocol6WithError(New("test")()),
}

// newFake starts an in-process Authress fake for one test. Provider blocks
// pointed at it set both api_url and access_key, so the environment does not
// count; tests of the environment clear it themselves.
func newFake(t *testing.T, opts fakeauthress.Options) *fakeauthress.Server {
	t.Helper()
	return fakeauthress.NewTestServer(t, opts)
}

// clearProviderEnv makes a test independent of the caller's environment.
func clearProviderEnv(t *testing.T) {
	t.Helper()
	t.Setenv(EnvAccessKey, "")
	t.Setenv(EnvAPIURL, "")
}

// providerConfig is a provider block pointed at the fake, with its key.
func providerConfig(fake *fakeauthress.Server) string {
	return providerConfigWith(fake.URL(), fake.AccessKey())
}

func providerConfigWith(apiURL, accessKey string) string {
	return fmt.Sprintf(`
provider "authress" {
  api_url     = %q
  access_key  = %q
  max_retries = 2
}
`, apiURL, accessKey)
}

// fakeTokenLifetime is the life of tokens the fake issues to tests.
const fakeTokenLifetime = time.Hour
