// Package reattach serves a provider inside a test process and tells
// Terraform how to reach it (TF_REATTACH_PROVIDERS), so tests can run the
// real Terraform CLI against code they can observe and count.
package reattach

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// Serve serves the provider at address until the test ends and returns the
// TF_REATTACH_PROVIDERS value that points Terraform at it. Provider logs
// follow TF_LOG and TF_ACC_LOG_PATH, as in terraform-plugin-testing.
func Serve(t *testing.T, address string, server func() tfprotov6.ProviderServer) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	reattach := make(chan *plugin.ReattachConfig, 1)
	closed := make(chan struct{})
	go func() {
		_ = tf6server.Serve(address, server,
			tf6server.WithDebug(ctx, reattach, closed),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			tf6server.WithoutLogStderrOverride(),
			tf6server.WithLoggingSink(t),
		)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-closed:
		case <-time.After(10 * time.Second):
		}
	})
	var config *plugin.ReattachConfig
	select {
	case config = <-reattach:
	case <-time.After(30 * time.Second):
		t.Fatal("the provider server did not start")
	}
	encoded, err := json.Marshal(map[string]any{
		address: map[string]any{
			"Protocol":        config.Protocol,
			"ProtocolVersion": config.ProtocolVersion,
			"Pid":             config.Pid,
			"Test":            true,
			"Addr":            map[string]string{"Network": config.Addr.Network(), "String": config.Addr.String()},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(encoded)
}
