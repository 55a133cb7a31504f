package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"

	"terraform-provider-authress/internal/authress"
)

var (
	_ datasource.DataSource              = (*connectionCredentialsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*connectionCredentialsDataSource)(nil)
)

func newConnectionCredentialsDataSource() datasource.DataSource {
	return &connectionCredentialsDataSource{}
}

type connectionCredentialsDataSource struct {
	client *authress.Client
}

func (d *connectionCredentialsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_connection_credentials"
}

func (d *connectionCredentialsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (d *connectionCredentialsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Reads the access token a user's identity provider issued through a connection. " +
			"The token is stored in state (marked sensitive); on Terraform 1.10 and later prefer the " +
			"`authress_connection_credentials` ephemeral resource, which never writes it to plan or state.",
		Attributes: map[string]schema.Attribute{
			"connection_id": schema.StringAttribute{Required: true, Description: describe("credentials.connection_id"), Validators: connectionIDValidators()},
			"user_id":       schema.StringAttribute{Required: true, Description: describe("credentials.user_id"), Validators: userIDValidators()},
			"access_token":  schema.StringAttribute{Computed: true, Sensitive: true, Description: describe("credentials.access_token")},
		},
	}
}

func (d *connectionCredentialsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var model connectionCredentialsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(readUserCredentials(ctx, d.client, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}
