// Command terraform-provider-authress is a Terraform provider for Authress SSO connections.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"terraform-provider-authress/internal/provider"
)

// version is set at release time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider in debug mode, for debuggers such as delve; prints TF_REATTACH_PROVIDERS to use")
	flag.Parse()
	quietSDKLogsUnlessAsked()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: provider.Address,
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err)
	}
}

// quietSDKLogsUnlessAsked makes the plugin SDK log only at the level the user
// asked Terraform for. Terraform keeps a provider's log lines only when
// TF_LOG or TF_LOG_PROVIDER asks for them, but the SDK otherwise formats
// hundreds of TRACE lines per resource per command that Terraform reads and
// drops: a quarter of the provider's CPU (see PERFORMANCE.md). An explicit
// TF_LOG_SDK still wins, and with TF_LOG set the SDK logs as before.
func quietSDKLogsUnlessAsked() {
	if _, set := os.LookupEnv("TF_LOG_SDK"); set {
		return
	}
	level := os.Getenv("TF_LOG_PROVIDER")
	if level == "" {
		level = os.Getenv("TF_LOG")
	}
	switch strings.ToUpper(strings.TrimSpace(level)) {
	case "":
		level = "OFF"
	case "JSON":
		// TF_LOG=JSON means every level, written as JSON.
		level = "TRACE"
	}
	_ = os.Setenv("TF_LOG_SDK", level)
}
