package provider

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"terraform-provider-authress/internal/reattach"
)

// terraformCLI runs the real Terraform CLI in a temporary folder against the
// provider served in this test process (TF_REATTACH_PROVIDERS). It covers
// what terraform-plugin-testing cannot: resources addressed by for_each keys,
// and CLI commands run exactly as a user types them.
type terraformCLI struct {
	t   *testing.T
	bin string
	dir string
	env []string
}

func newTerraformCLI(t *testing.T) *terraformCLI {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make test does)")
	}
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		var err error
		if bin, err = exec.LookPath("terraform"); err != nil {
			t.Skip("no Terraform CLI: set TF_ACC_TERRAFORM_PATH")
		}
	}

	reattachProviders := reattach.Serve(t, Address, providerserver.NewProtocol6(New("test")()))
	dir := t.TempDir()
	cliConfig := filepath.Join(dir, ".terraformrc")
	if err := os.WriteFile(cliConfig, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	return &terraformCLI{
		t:   t,
		bin: bin,
		dir: dir,
		env: append(os.Environ(),
			"TF_REATTACH_PROVIDERS="+reattachProviders,
			"TF_CLI_CONFIG_FILE="+cliConfig,
			"TF_IN_AUTOMATION=1",
			"CHECKPOINT_DISABLE=1",
		),
	}
}

// writeConfig writes main.tf, with the required_providers block added.
func (c *terraformCLI) writeConfig(config string) {
	c.t.Helper()
	full := `
terraform {
  required_providers {
    authress = {
      source = "authress-community/authress"
    }
  }
}
` + config
	if err := os.WriteFile(filepath.Join(c.dir, "main.tf"), []byte(full), 0o600); err != nil {
		c.t.Fatal(err)
	}
}

// run runs one terraform command and returns its output; it fails the test
// when the command fails.
func (c *terraformCLI) run(args ...string) string {
	c.t.Helper()
	out, err := c.tryRun(args...)
	if err != nil {
		c.t.Fatalf("terraform %v: %v\n%s", args, err, out)
	}
	return out
}

func (c *terraformCLI) tryRun(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(c.t.Context(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.bin, args...) //nolint:gosec // the test's own Terraform CLI and arguments
	cmd.Dir = c.dir
	cmd.Env = c.env
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	return out.String(), err
}
