package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"terraform-provider-authress/internal/authress"
)

// The credentials data source and ephemeral resource share their model, input
// descriptions and the read itself.
type connectionCredentialsModel struct {
	ConnectionID types.String `tfsdk:"connection_id"`
	UserID       types.String `tfsdk:"user_id"`
	AccessToken  types.String `tfsdk:"access_token"`
}

var (
	pathConnectionID = path.Root("connection_id")
	pathUserID       = path.Root("user_id")
)

func userIDValidators() []validator.String {
	return []validator.String{
		stringvalidator.LengthBetween(1, 64),
		stringvalidator.RegexMatches(userIDRegexp, "must contain only letters, digits and -._|/~:@"),
	}
}

// readUserCredentials fetches the token. On a 404 it asks the API whether the
// connection exists, so the error can say which of the two inputs is unknown.
func readUserCredentials(ctx context.Context, client *authress.Client, m *connectionCredentialsModel) diag.Diagnostics {
	var diags diag.Diagnostics
	connectionID, userID := m.ConnectionID.ValueString(), m.UserID.ValueString()
	token, err := client.UserCredentials(ctx, connectionID, userID)
	if err == nil {
		m.AccessToken = types.StringValue(token)
		return diags
	}
	if !authress.IsNotFound(err) {
		diags.AddError("Could not read the user's connection credentials", err.Error())
		return diags
	}
	_, connErr := client.GetConnection(ctx, connectionID)
	switch {
	case authress.IsNotFound(connErr):
		diags.AddAttributeError(pathConnectionID, "Authress connection not found",
			fmt.Sprintf("No connection with id %q exists, or the access key cannot see it: %s", connectionID, err))
	case connErr == nil:
		diags.AddAttributeError(pathUserID, "No credentials for this user",
			fmt.Sprintf("Connection %q exists, but user %q is unknown or has no credentials from it: %s", connectionID, userID, err))
	default:
		diags.AddError("Could not read the user's connection credentials",
			fmt.Sprintf("%s; checking whether connection %q exists also failed: %s", err, connectionID, connErr))
	}
	return diags
}
