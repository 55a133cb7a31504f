package provider

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"terraform-provider-authress/internal/fakeauthress"
)

// examplesDir holds the examples the generated docs show.
const examplesDir = "../../examples"

// TestAccExamples runs every file under examples/ against the in-process
// fake, so that no example shown in the docs can rot. Files are found by
// walking the folder: a new example is tested without being listed here, and
// a file no runner below understands fails the test.
//
// Examples other than provider/provider.tf carry no provider block (the test
// adds one pointed at the fake), declare the variables they use (each is
// given a string value) and inline what they need instead of reading files.
func TestAccExamples(t *testing.T) {
	var files []string
	err := filepath.WalkDir(examplesDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(examplesDir, p)
		files = append(files, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no examples found under %s", examplesDir)
	}
	for _, rel := range files {
		run := exampleRunner(rel)
		if run == nil {
			t.Errorf("examples/%s: no runner knows this kind of file; name it as tfplugindocs expects or teach TestAccExamples to run it", rel)
			continue
		}
		t.Run(rel, func(t *testing.T) {
			t.Parallel()
			run(t, rel, readExample(t, rel))
		})
	}
}

// exampleRunner picks the runner for a file from its place in examples/,
// which is also what decides where tfplugindocs shows it.
func exampleRunner(rel string) func(t *testing.T, rel, text string) {
	dir, file := path.Split(rel)
	kind := strings.Split(dir, "/")[0]
	switch {
	case rel == "provider/provider.tf":
		return runProviderExample
	case kind == "resources" && matches("resource*.tf", file):
		return runResourceExample
	case kind == "resources" && (file == "import.sh" || matches("import-by-*.tf", file)):
		return runImportExample
	case kind == "data-sources" && matches("data-source*.tf", file):
		return runDataSourceExample
	case kind == "ephemeral-resources" && matches("ephemeral-resource*.tf", file):
		return runEphemeralExample
	case rel == "demo/main.tf":
		return runDemoConfig
	case rel == "demo/run.sh" || rel == "demo/okta-signing.pem":
		// make demo runs the script, with main.tf and this certificate.
		return func(t *testing.T, _, _ string) { t.Skip("run by make demo") }
	}
	return nil
}

func matches(pattern, name string) bool {
	ok, err := path.Match(pattern, name)
	return err == nil && ok
}

func readExample(t *testing.T, rel string) string {
	t.Helper()
	text, err := os.ReadFile(filepath.Join(examplesDir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(text)
}

// Terraform language features newer than the oldest supported Terraform
// (1.5), and the version that brought each. An example using one is skipped
// on older Terraform.
var exampleFeatures = []struct {
	uses         *regexp.Regexp
	major, minor int
	check        tfversion.TerraformVersionCheck
}{
	{regexp.MustCompile(`(?m)^\s*identity\s*=\s*\{`), 1, 12, tfversion.SkipBelow(tfversion.Version1_12_0)},
	{regexp.MustCompile(`(?m)^\s*\w+_wo(_version)?\s*=`), 1, 11, tfversion.SkipBelow(tfversion.Version1_11_0)},
	{regexp.MustCompile(`(?m)^ephemeral\s+"|^\s*ephemeral\s*=\s*true`), 1, 10, tfversion.SkipBelow(tfversion.Version1_10_0)},
	{regexp.MustCompile(`(?s)import\s*\{[^}]*for_each`), 1, 7, tfversion.SkipBelow(tfversion.Version1_7_0)},
}

// versionChecks gates a terraform-plugin-testing case on the features text uses.
func versionChecks(text string) []tfversion.TerraformVersionCheck {
	var checks []tfversion.TerraformVersionCheck
	for _, f := range exampleFeatures {
		if f.uses.MatchString(text) {
			checks = append(checks, f.check)
		}
	}
	return checks
}

// skipUnlessCLISupports is versionChecks for tests that drive the CLI directly.
func skipUnlessCLISupports(t *testing.T, cli *terraformCLI, text string) {
	t.Helper()
	version := cli.run("version")
	for _, f := range exampleFeatures {
		if f.uses.MatchString(text) && !terraformAtLeast(version, f.major, f.minor) {
			t.Skipf("the example needs Terraform %d.%d or later", f.major, f.minor)
		}
	}
}

var (
	variableBlock  = regexp.MustCompile(`(?m)^variable\s+"([^"]+)"`)
	resourceBlock  = regexp.MustCompile(`(?m)^resource\s+"([^"]+)"\s+"([^"]+)"`)
	dataBlock      = regexp.MustCompile(`(?m)^data\s+"([^"]+)"\s+"([^"]+)"`)
	ephemeralBlock = regexp.MustCompile(`(?m)^ephemeral\s+"authress_connection_credentials"\s+"([^"]+)"`)
	connectionIDIn = regexp.MustCompile(`(?m)^\s*connection_id\s*=\s*"([^"]+)"`)
	userIDIn       = regexp.MustCompile(`(?m)^\s*user_id\s*=\s*"([^"]+)"`)
	importCommand  = regexp.MustCompile(`(?m)^terraform\s+(import\s+.+)$`)
)

// exampleVariables gives each variable the example declares a value that
// names it, so a test can find where the value went.
func exampleVariables(text string) map[string]string {
	values := map[string]string{}
	for _, m := range variableBlock.FindAllStringSubmatch(text, -1) {
		values[m[1]] = "example-" + m[1]
	}
	return values
}

func configVariables(values map[string]string) config.Variables {
	vars := config.Variables{}
	for name, value := range values {
		vars[name] = config.StringVariable(value)
	}
	return vars
}

// runResourceExample applies the example, checks that every resource it
// declares reached the API with the secrets it was given, that a second plan
// is empty (terraform-plugin-testing's own check) and that destroy removes
// everything.
func runResourceExample(t *testing.T, _, text string) {
	fake := newFake(t, fakeauthress.Options{})
	variables := exampleVariables(text)
	resources := resourceBlock.FindAllStringSubmatch(text, -1)
	if len(resources) == 0 {
		t.Fatal("a resource example must declare a resource")
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		TerraformVersionChecks:   versionChecks(text),
		CheckDestroy: func(*terraform.State) error {
			if n := fake.ConnectionCount(); n != 0 {
				return fmt.Errorf("%d connections are left after destroy", n)
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config:          providerConfig(fake) + text,
			ConfigVariables: configVariables(variables),
			Check: resource.ComposeTestCheckFunc(
				checkDeclaredInState(resources, ""),
				func(*terraform.State) error {
					if n := fake.ConnectionCount(); n != len(resources) {
						return fmt.Errorf("the API holds %d connections, the example declares %d", n, len(resources))
					}
					return checkSecretsSent(fake, variables)
				},
			),
		}},
	})
}

// checkDeclaredInState fails unless every block found is in state.
func checkDeclaredInState(blocks [][]string, prefix string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, b := range blocks {
			address := prefix + b[1] + "." + b[2]
			if _, ok := s.RootModule().Resources[address]; !ok {
				return fmt.Errorf("%s is not in state", address)
			}
		}
		return nil
	}
}

// checkSecretsSent fails unless each variable whose name says it holds a
// secret arrived at the API as some connection's client secret.
func checkSecretsSent(fake *fakeauthress.Server, variables map[string]string) error {
	for name, value := range variables {
		if !strings.Contains(name, "secret") {
			continue
		}
		found := false
		for _, id := range fake.ConnectionIDs() {
			c, _ := fake.Connection(id)
			found = found || c["clientSecret"] == value
		}
		if !found {
			return fmt.Errorf("no connection at the API has the client secret from variable %s", name)
		}
	}
	return nil
}

// seedForExample makes the fake hold what a data source or ephemeral
// example reads: the hand-made connections of the import tests, every
// connection id the example names, and credentials for every user id it
// names. It returns the token seeded for each (connection, user) pair.
func seedForExample(t *testing.T, fake *fakeauthress.Server, text string) map[[2]string]string {
	t.Helper()
	seedHandMadeConnections(t, fake)
	tokens := map[[2]string]string{}
	for _, c := range connectionIDIn.FindAllStringSubmatch(text, -1) {
		body, err := json.Marshal(map[string]any{
			"connectionId":      c[1],
			"authenticationUrl": "https://idp.example.com/authorize",
			"data":              map[string]string{"name": "Seeded " + c[1]},
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fake.PutConnectionJSON(body); err != nil {
			t.Fatal(err)
		}
		for _, u := range userIDIn.FindAllStringSubmatch(text, -1) {
			token := "token-for-" + u[1] + "-on-" + c[1]
			fake.SeedCredentials(c[1], u[1], token)
			tokens[[2]string{c[1], u[1]}] = token
		}
	}
	return tokens
}

// runDataSourceExample reads the example's data sources from a seeded fake.
// A credentials data source must return the seeded token.
func runDataSourceExample(t *testing.T, _, text string) {
	fake := newFake(t, fakeauthress.Options{})
	tokens := seedForExample(t, fake, text)
	blocks := dataBlock.FindAllStringSubmatch(text, -1)
	if len(blocks) == 0 {
		t.Fatal("a data source example must declare a data source")
	}
	var stateChecks []statecheck.StateCheck
	for _, b := range blocks {
		if b[1] == "authress_connection_credentials" {
			stateChecks = append(stateChecks, statecheck.ExpectKnownValue("data."+b[1]+"."+b[2], attrPath("access_token"), knownvalue.StringRegexp(regexp.MustCompile(`^token-for-`))))
		}
	}
	if len(stateChecks) > 0 && len(tokens) == 0 {
		t.Fatal("a credentials example must name its connection_id and user_id literally, so the test can seed them")
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		TerraformVersionChecks:   versionChecks(text),
		Steps: []resource.TestStep{{
			Config:            providerConfig(fake) + text,
			ConfigVariables:   configVariables(exampleVariables(text)),
			Check:             checkDeclaredInState(blocks, "data."),
			ConfigStateChecks: stateChecks,
		}},
	})
}

// runEphemeralExample opens the example's ephemeral resource and hands its
// token to the echo provider, the only way to observe an ephemeral value.
func runEphemeralExample(t *testing.T, _, text string) {
	fake := newFake(t, fakeauthress.Options{})
	tokens := seedForExample(t, fake, text)
	names := ephemeralBlock.FindAllStringSubmatch(text, -1)
	if len(names) == 0 || len(tokens) != 1 {
		t.Fatal("an ephemeral example must open authress_connection_credentials with one literal connection_id and user_id")
	}
	var token string
	for _, v := range tokens {
		token = v
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: map[string]func() (tfprotov6.ProviderServer, error){
			"authress": testProviderFactories["authress"],
			"echo":     echoprovider.NewProviderServer(),
		},
		TerraformVersionChecks: append(versionChecks(text), tfversion.SkipBelow(tfversion.Version1_10_0)),
		Steps: []resource.TestStep{{
			Config: providerConfig(fake) + text + fmt.Sprintf(`
provider "echo" {
  data = ephemeral.authress_connection_credentials.%s.access_token
}

resource "echo" "example" {}
`, names[0][1]),
			ConfigVariables: configVariables(exampleVariables(text)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("echo.example", attrPath("data"), knownvalue.StringExact(token)),
			},
		}},
	})
}

// runImportExample applies the resource examples of the same folder, takes
// the imported resource out of state so that it exists only at the API, as a
// hand-made connection would, then imports it the way the example says and
// checks that the next plan is empty and that importing wrote nothing.
func runImportExample(t *testing.T, rel, text string) {
	checkIdentityAttributes(t, text)
	fake := newFake(t, fakeauthress.Options{})
	cli := newTerraformCLI(t)
	resourceText := readExample(t, path.Join(path.Dir(rel), "resource.tf"))
	skipUnlessCLISupports(t, cli, text+resourceText)

	cli.writeFile("main.tf", providerConfig(fake)+"\n"+requiredProviders+resourceText)
	cli.writeVariables(exampleVariables(resourceText))
	cli.run("apply", "-input=false", "-no-color", "-auto-approve")

	target := regexp.MustCompile(`authress_connection\.\w+`).FindString(text)
	if target == "" {
		t.Fatal("the import example names no authress_connection")
	}
	cli.run("state", "rm", target)
	writes := fake.Stats().Writes

	if path.Base(rel) == "import.sh" {
		commands := importCommand.FindAllStringSubmatch(text, -1)
		if len(commands) == 0 {
			t.Fatal("import.sh holds no terraform import command")
		}
		for _, c := range commands {
			cli.run(strings.Fields(c[1])...)
		}
	} else {
		cli.writeFile("import.tf", text)
		plan := cli.run("plan", "-input=false", "-no-color")
		if !strings.Contains(plan, "Plan: 1 to import, 0 to add, 0 to change, 0 to destroy.") {
			t.Fatalf("the plan does not import exactly one connection without changes:\n%s", plan)
		}
		cli.run("apply", "-input=false", "-no-color", "-auto-approve")
	}

	if state := cli.run("state", "list"); !strings.Contains(state, target) {
		t.Fatalf("%s is not in state after the import:\n%s", target, state)
	}
	if out, err := cli.tryRun("plan", "-input=false", "-no-color", "-detailed-exitcode"); err != nil {
		t.Fatalf("the plan after the import is not empty: %v\n%s", err, out)
	}
	if got := fake.Stats().Writes; got != writes {
		t.Fatalf("importing made %d writes to the API, want 0", got-writes)
	}
	cli.run("destroy", "-input=false", "-no-color", "-auto-approve")
}

var identityObject = regexp.MustCompile(`(?s)identity\s*=\s*\{(.*?)\}`)

// checkIdentityAttributes checks, on any Terraform, that an import by
// identity names only attributes of the resource's identity schema; the
// import itself needs Terraform 1.12.
func checkIdentityAttributes(t *testing.T, text string) {
	t.Helper()
	m := identityObject.FindStringSubmatch(text)
	if m == nil {
		return
	}
	server, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	identities, err := server.GetResourceIdentitySchemas(t.Context(), &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, a := range identities.IdentitySchemas["authress_connection"].IdentityAttributes {
		known[a.Name] = true
	}
	keys := regexp.MustCompile(`(?m)^\s*(\w+)\s*=`).FindAllStringSubmatch(m[1], -1)
	if len(keys) == 0 {
		t.Fatal("the identity object names no attribute")
	}
	for _, k := range keys {
		if !known[k[1]] {
			t.Errorf("identity attribute %q is not in the identity schema", k[1])
		}
	}
}

// runProviderExample plans the provider example as written, with its
// variables pointing at the fake, plus a data source: Terraform configures
// a provider only when something uses it.
func runProviderExample(t *testing.T, _, text string) {
	fake := newFake(t, fakeauthress.Options{})
	cli := newTerraformCLI(t)
	cli.writeFile("main.tf", text)
	cli.writeFile("use.tf", `data "authress_connections" "all" {}`+"\n")
	cli.writeVariables(map[string]string{"authress_api_url": fake.URL(), "authress_key": fake.AccessKey()})
	cli.run("plan", "-input=false", "-no-color")
	if n := fake.Stats().Requests[fakeauthress.RouteListConnections]; n == 0 {
		t.Fatal("the plan did not list connections: the provider was not configured from the example's variables")
	}
}

// runDemoConfig validates the configuration make demo applies.
func runDemoConfig(t *testing.T, _, text string) {
	cli := newTerraformCLI(t)
	cli.writeFile("main.tf", text)
	cli.writeFile("okta-signing.pem", readExample(t, "demo/okta-signing.pem"))
	cli.run("validate", "-no-color")
}

// requiredProviders is the block terraformCLI.writeConfig adds, for tests that
// write their files themselves.
const requiredProviders = `
terraform {
  required_providers {
    authress = {
      source = "authress-community/authress"
    }
  }
}
`

func (c *terraformCLI) writeFile(name, content string) {
	c.t.Helper()
	if err := os.WriteFile(filepath.Join(c.dir, name), []byte(content), 0o600); err != nil {
		c.t.Fatal(err)
	}
}

// writeVariables sets variables through terraform.tfvars.json, which every
// command reads, so commands run with the arguments a user would type.
func (c *terraformCLI) writeVariables(values map[string]string) {
	c.t.Helper()
	encoded, err := json.Marshal(values)
	if err != nil {
		c.t.Fatal(err)
	}
	c.writeFile("terraform.tfvars.json", string(encoded))
}
