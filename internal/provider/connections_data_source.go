package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
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

	stateType, ok := resp.State.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		resp.Diagnostics.AddError("Unexpected schema", "The data source's schema is not an object. This is a bug in the provider.")
		return
	}
	listType, _ := stateType.AttributeTypes["connections"].(tftypes.List)
	elementType, _ := listType.ElementType.(tftypes.Object)
	elements := make([]tftypes.Value, 0, len(conns))
	for i := range conns {
		model, diags := connectionFromAPI(ctx, &conns[i], nil)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		value, err := model.terraformValue(ctx, elementType)
		if err != nil {
			resp.Diagnostics.AddError("Could not convert the Authress connections", err.Error())
			return
		}
		elements = append(elements, value)
	}
	// Set directly: State.Set's reflection is the slow part for thousands
	// of connections (see connectionModel.terraformValue).
	resp.State.Raw = tftypes.NewValue(stateType, map[string]tftypes.Value{
		"connections": tftypes.NewValue(listType, elements),
	})
}
