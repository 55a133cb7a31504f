package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"terraform-provider-authress/internal/authress"
)

var (
	_ datasource.DataSource              = (*connectionDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*connectionDataSource)(nil)
)

func newConnectionDataSource() datasource.DataSource { return &connectionDataSource{} }

// connectionDataSource looks up one connection by id.
type connectionDataSource struct {
	client *authress.Client
}

func (d *connectionDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_connection"
}

func (d *connectionDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (d *connectionDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attributes := connectionDataSourceAttributes()
	attributes["connection_id"] = schema.StringAttribute{
		Required:    true,
		Description: "The id of the connection to read.",
		Validators:  connectionIDValidators(),
	}
	resp.Schema = schema.Schema{
		Description: "Reads one Authress connection by its id. The client secret is never included.",
		Attributes:  attributes,
	}
}

func (d *connectionDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config connectionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	conn, err := d.client.GetConnection(ctx, config.ConnectionID.ValueString())
	if authress.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(pathConnectionID, "Authress connection not found",
			fmt.Sprintf("No connection with id %q exists, or the access key cannot see it: %s", config.ConnectionID.ValueString(), err))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Could not read the Authress connection", err.Error())
		return
	}

	model, diags := connectionFromAPI(ctx, conn, nil)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}

func connectionIDValidators() []validator.String {
	return []validator.String{
		stringvalidator.LengthBetween(1, 64),
		stringvalidator.RegexMatches(connectionIDRegexp, "must contain only letters, digits and -_.:"),
	}
}
