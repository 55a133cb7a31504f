package provider

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"terraform-provider-authress/internal/fakeauthress"
)

// Bad credentials and a misbehaving API each give a clear diagnostic, with the
// API's errorCode, title and errorId where it sent them, and never print a
// secret. The real CLI's output is checked, as a user would see it.
func TestAccProvider_badCredentialsAndAPIFailures(t *testing.T) {
	clearProviderEnv(t)
	otherAccount, err := fakeauthress.New(fakeauthress.Options{AccountID: "acc_other"})
	if err != nil {
		t.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, err := x509.MarshalPKCS8PrivateKey(ecKey)
	if err != nil {
		t.Fatal(err)
	}
	closedURL := closedLoopbackURL(t)

	type setup struct {
		apiURL, accessKey string
		maxRetries        int
	}
	cases := []struct {
		name    string
		prepare func(fake *fakeauthress.Server) setup
		want    string
	}{
		{"expired token", func(f *fakeauthress.Server) setup {
			token, _ := f.IssueToken(-time.Hour)
			return setup{f.URL(), token, 0}
		}, `HTTP 401 Unauthorized.*errorCode Unauthorized.*errorId`},
		{"token of another account", func(f *fakeauthress.Server) setup {
			token, _ := otherAccount.IssueToken(time.Hour)
			return setup{f.URL(), token, 0}
		}, `HTTP 401 Unauthorized`},
		{"key the account does not know", func(f *fakeauthress.Server) setup {
			key, _ := fakeauthress.NewUnknownAccessKey(f.AccountID())
			return setup{f.URL(), key, 0}
		}, `HTTP 401 Unauthorized.*access key or token was rejected`},
		{"malformed key", func(f *fakeauthress.Server) setup {
			return setup{f.URL(), "sc_abc.k7Qa.acc_fake", 0}
		}, `Malformed Authress access key.*four dot-separated parts`},
		{"key of the wrong algorithm", func(f *fakeauthress.Server) setup {
			return setup{f.URL(), "sc_abc.k7Qa.acc_fake." + base64.StdEncoding.EncodeToString(ecDER), 0}
		}, `Malformed Authress access key.*Authress keys are Ed25519`},
		{"http to a host that is not loopback", func(f *fakeauthress.Server) setup {
			return setup{"http://auth.example.com", f.AccessKey(), 0}
		}, `Invalid Authress API URL.*only https://`},
		{"unreachable API", func(f *fakeauthress.Server) setup {
			return setup{closedURL, f.AccessKey(), 1}
		}, `could not be reached.*connection refused`},
		{"forbidden", func(f *fakeauthress.Server) setup {
			f.SetForcedStatus(http.StatusForbidden, "Forbidden", "The client does not have access to connections")
			return setup{f.URL(), f.AccessKey(), 3}
		}, `HTTP 403 Forbidden: The client does not have access to connections.*errorCode Forbidden.*errorId.*grant it access`},
		{"plan limit exceeded", func(f *fakeauthress.Server) setup {
			f.SetForcedStatus(http.StatusPaymentRequired, "LimitExceeded", "Monthly API call limit exceeded")
			return setup{f.URL(), f.AccessKey(), 3}
		}, `HTTP 402 Payment Required: Monthly API call limit exceeded.*errorCode LimitExceeded.*not retried`},
		{"malformed JSON", func(f *fakeauthress.Server) setup {
			f.SetFaults(fakeauthress.FaultConfig{Rate: 1, Kinds: []fakeauthress.FaultKind{fakeauthress.FaultMalformedJSON}})
			return setup{f.URL(), f.AccessKey(), 1}
		}, `response body.*is not the expected JSON`},
		{"HTML error page", func(f *fakeauthress.Server) setup {
			f.SetFaults(fakeauthress.FaultConfig{Rate: 1, Kinds: []fakeauthress.FaultKind{fakeauthress.FaultHTML500}})
			return setup{f.URL(), f.AccessKey(), 1}
		}, `HTTP 500 Internal Server Error.*not an Authress error document.*text/html`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := newFake(t, fakeauthress.Options{})
			s := tc.prepare(fake)
			cli := newTerraformCLI(t)
			// The key comes from a sensitive variable, as it should in real
			// use; a literal key would be quoted back by Terraform's source
			// snippet, not by the provider.
			cli.env = append(cli.env, "TF_VAR_authress_key="+s.accessKey)
			cli.writeConfig(fmt.Sprintf(`
variable "authress_key" {
  type      = string
  sensitive = true
}

provider "authress" {
  api_url     = %q
  access_key  = var.authress_key
  max_retries = %d
}

data "authress_connections" "all" {}
`, s.apiURL, s.maxRetries))
			start := time.Now()
			out, err := cli.tryRun("plan", "-input=false", "-no-color")
			if err == nil {
				t.Fatalf("the plan succeeded:\n%s", out)
			}
			if elapsed := time.Since(start); elapsed > 30*time.Second {
				t.Errorf("the failure took %s", elapsed)
			}
			// Terraform wraps diagnostics: match across line breaks.
			flat := strings.Join(strings.Fields(out), " ")
			if !regexp.MustCompile(tc.want).MatchString(flat) {
				t.Fatalf("the diagnostic does not match %q:\n%s", tc.want, out)
			}
			for _, secret := range []string{s.accessKey, lastPart(s.accessKey), fake.AccessKey(), lastPart(fake.AccessKey())} {
				if len(secret) >= 16 && strings.Contains(out, secret) {
					t.Fatalf("the output contains a secret:\n%s", out)
				}
			}
			if strings.Contains(out, "eyJ") || strings.Contains(out, "panic") {
				t.Fatalf("the output contains a token or a panic:\n%s", out)
			}
		})
	}
}

func lastPart(key string) string {
	return key[strings.LastIndex(key, ".")+1:]
}

// closedLoopbackURL is a loopback URL on which nothing listens.
func closedLoopbackURL(t *testing.T) string {
	t.Helper()
	listener, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + listener.Addr().String()
	_ = listener.Close()
	return url
}
