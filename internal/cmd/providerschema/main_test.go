package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"terraform-provider-authress/internal/provider"
	"terraform-provider-authress/internal/reattach"
)

// The docs are generated from this command's output instead of Terraform's:
// both must describe the provider identically. Terraform 1.11 prints
// everything but identity schemas, which came with 1.12; the rest must match
// exactly.
func TestSchemaMatchesTerraform(t *testing.T) {
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

	if !terraformAtLeast(t, bin, 1, 11) {
		t.Skip("Terraform older than 1.11 prints neither write-only attributes nor ephemeral resources")
	}

	ours, err := providerSchemas(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	encoded, err := json.Marshal(ours)
	if err != nil {
		t.Fatal(err)
	}
	want := decodeProviderSchema(t, encoded, schemaKey)

	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "main.tf"), `
terraform {
  required_providers {
    authress = {
      source = "authress-community/authress"
    }
  }
}
`)
	cliConfig := filepath.Join(dir, ".terraformrc")
	writeFile(t, cliConfig, "")
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "providers", "schema", "-json") //nolint:gosec // the test's own Terraform CLI
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"TF_REATTACH_PROVIDERS="+serveProvider(t),
		"TF_CLI_CONFIG_FILE="+cliConfig,
		"CHECKPOINT_DISABLE=1",
	)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("terraform providers schema -json: %v", err)
	}
	got := decodeProviderSchema(t, out, provider.Address)

	if _, ok := got["resource_identity_schemas"]; !ok {
		delete(want, "resource_identity_schemas")
	}
	if !reflect.DeepEqual(got, want) {
		gotJSON, _ := json.MarshalIndent(got, "", " ")
		wantJSON, _ := json.MarshalIndent(want, "", " ")
		t.Fatalf("the schema differs from Terraform's.\nTerraform:\n%s\nproviderschema:\n%s", gotJSON, wantJSON)
	}
}

func terraformAtLeast(t *testing.T, bin string, major, minor int) bool {
	t.Helper()
	out, err := exec.CommandContext(t.Context(), bin, "version", "-json").Output() //nolint:gosec // the test's own Terraform CLI
	if err != nil {
		t.Fatalf("terraform version: %v", err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
	var gotMajor, gotMinor int
	if _, err := fmt.Sscanf(v.Version, "%d.%d", &gotMajor, &gotMinor); err != nil {
		t.Fatalf("terraform version %q: %v", v.Version, err)
	}
	return gotMajor > major || (gotMajor == major && gotMinor >= minor)
}

// decodeProviderSchema returns the entry of a schema document under key.
func decodeProviderSchema(t *testing.T, document []byte, key string) map[string]any {
	t.Helper()
	var decoded struct {
		FormatVersion   string                    `json:"format_version"`
		ProviderSchemas map[string]map[string]any `json:"provider_schemas"`
	}
	if err := json.Unmarshal(document, &decoded); err != nil {
		t.Fatal(err)
	}
	if decoded.FormatVersion != "1.0" {
		t.Fatalf("format_version %q, want 1.0", decoded.FormatVersion)
	}
	schema, ok := decoded.ProviderSchemas[key]
	if !ok {
		t.Fatalf("no schema under %s", key)
	}
	return schema
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// serveProvider serves the provider in this process, as a debugger would,
// and returns the TF_REATTACH_PROVIDERS value that points Terraform at it.
func serveProvider(t *testing.T) string {
	t.Helper()
	return reattach.Serve(t, provider.Address, providerserver.NewProtocol6(provider.New("test")()))
}
