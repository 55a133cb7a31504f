package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"

	"terraform-provider-authress/internal/authress"
)

var (
	_ ephemeral.EphemeralResource              = (*connectionCredentialsEphemeralResource)(nil)
	_ ephemeral.EphemeralResourceWithConfigure = (*connectionCredentialsEphemeralResource)(nil)
)

func newConnectionCredentialsEphemeralResource() ephemeral.EphemeralResource {
	return &connectionCredentialsEphemeralResource{}
}

type connectionCredentialsEphemeralResource struct {
	client *authress.Client
}

func (e *connectionCredentialsEphemeralResource) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_connection_credentials"
}

func (e *connectionCredentialsEphemeralResource) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	e.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (e *connectionCredentialsEphemeralResource) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Reads the access token a user's identity provider issued through a connection, for use " +
			"during one Terraform run (for example in a provider block or a write-only argument). Unlike the data " +
			"source, the token is never written to plan or state. Requires Terraform 1.10 or later.",
		Attributes: map[string]schema.Attribute{
			"connection_id": schema.StringAttribute{Required: true, Description: describe("credentials.connection_id"), Validators: connectionIDValidators()},
			"user_id":       schema.StringAttribute{Required: true, Description: describe("credentials.user_id"), Validators: userIDValidators()},
			"access_token":  schema.StringAttribute{Computed: true, Sensitive: true, Description: describe("credentials.access_token")},
		},
	}
}

func (e *connectionCredentialsEphemeralResource) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var model connectionCredentialsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(readUserCredentials(ctx, e.client, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.Result.Set(ctx, &model)...)
}
