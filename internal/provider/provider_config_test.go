package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"terraform-provider-authress/internal/fakeauthress"
)

const listConfig = `
data "authress_connections" "all" {}
`

func TestAccProvider_configuration(t *testing.T) {
	clearProviderEnv(t)
	fake := newFake(t, fakeauthress.Options{})
	unknownKey, err := fakeauthress.NewUnknownAccessKey(fake.AccountID())
	if err != nil {
		t.Fatal(err)
	}
	readyToken, err := fake.IssueToken(fakeTokenLifetime)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		config  string
		wantErr *regexp.Regexp
	}{
		{
			name:    "no access key",
			config:  `provider "authress" { api_url = "` + fake.URL() + `" }`,
			wantErr: regexp.MustCompile(`(?s)Missing Authress access key.*access_key.*AUTHRESS_KEY`),
		},
		{
			name:    "malformed access key",
			config:  providerConfigWith(fake.URL(), "sc_abc.k7Qa.acc_123"),
			wantErr: regexp.MustCompile(`(?s)Malformed Authress access key.*four\s+dot-separated\s+parts`),
		},
		{
			name:    "private key not base64",
			config:  providerConfigWith(fake.URL(), "sc_abc.k7Qa.acc_123.not*base64"),
			wantErr: regexp.MustCompile(`(?s)Malformed Authress access key.*not\s+valid\s+standard\s+base64`),
		},
		{
			name:    "key the account does not know",
			config:  providerConfigWith(fake.URL(), unknownKey),
			wantErr: regexp.MustCompile(`(?s)HTTP 401.*Unauthorized`),
		},
		{
			name:    "http to a non-loopback host",
			config:  providerConfigWith("http://auth.example.com", fake.AccessKey()),
			wantErr: regexp.MustCompile(`(?s)Invalid Authress API URL.*only\s+https://`),
		},
		{
			name:    "api url with a path",
			config:  providerConfigWith(fake.URL()+"/v1", fake.AccessKey()),
			wantErr: regexp.MustCompile(`(?s)Invalid Authress API URL.*without\s+a\s+path`),
		},
		{
			name:    "ready token without an api url",
			config:  `provider "authress" { access_key = "` + readyToken + `" }`,
			wantErr: regexp.MustCompile(`(?s)Missing Authress API URL.*api_url.*AUTHRESS_API_URL`),
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{{
					Config:      tc.config + listConfig,
					PlanOnly:    true,
					ExpectError: tc.wantErr,
				}},
			})
		})
	}
}

// A ready JWT is sent unchanged, and the environment variables configure the provider.
func TestAccProvider_readyTokenFromEnvironment(t *testing.T) {
	fake := newFake(t, fakeauthress.Options{})
	token, err := fake.IssueToken(fakeTokenLifetime)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvAccessKey, token)
	t.Setenv(EnvAPIURL, fake.URL())
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: `provider "authress" {}` + listConfig,
		}},
	})
}
