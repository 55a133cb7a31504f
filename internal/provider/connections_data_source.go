package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"terraform-provider-authress/internal/authress"
)

var (
	_ datasource.DataSource              = (*connectionsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*connectionsDataSource)(nil)
)

func newConnectionsDataSource() datasource.DataSource { return &connectionsDataSource{} }

type connectionsDataSource struct {
	client *authress.Client
}

type connectionsDataSourceModel struct {
	Connections []connectionModel `tfsdk:"connections"`
}

func (d *connectionsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_connections"
}

func (d *connectionsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (d *connectionsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Lists every Authress connection the access key can see, following the API's pages to the end. " +
			"Secrets are never included.",
		Attributes: map[string]schema.Attribute{
			"connections": schema.ListNestedAttribute{
				Computed:     true,
				Description:  "The connections, in the order the API lists them.",
				NestedObject: schema.NestedAttributeObject{Attributes: connectionDataSourceAttributes()},
			},
		},
	}
}

func (d *connectionsDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	conns, err := d.client.ListConnections(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Could not list Authress connections", err.Error())
		return
	}
	tflog.Debug(ctx, "Listed Authress connections", map[string]any{"count": len(conns)})

	state := connectionsDataSourceModel{Connections: make([]connectionModel, 0, len(conns))}
	for i := range conns {
		model, diags := connectionFromAPI(ctx, &conns[i], nil)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		state.Connections = append(state.Connections, model)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}
