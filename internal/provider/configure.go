package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"terraform-provider-authress/internal/authress"
)

// clientFromProviderData is what every object's Configure calls. It returns nil
// when the provider is not configured yet (Terraform calls Configure on objects
// early, for validation).
func clientFromProviderData(providerData any, diags *diag.Diagnostics) *authress.Client {
	if providerData == nil {
		return nil
	}
	client, ok := providerData.(*authress.Client)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *authress.Client, got %T. This is a bug in the provider; please report it.", providerData))
		return nil
	}
	return client
}
