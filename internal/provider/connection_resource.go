package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"terraform-provider-authress/internal/authress"
)

var (
	_ resource.Resource                = (*connectionResource)(nil)
	_ resource.ResourceWithConfigure   = (*connectionResource)(nil)
	_ resource.ResourceWithImportState = (*connectionResource)(nil)
	_ resource.ResourceWithIdentity    = (*connectionResource)(nil)
)

func newConnectionResource() resource.Resource { return &connectionResource{} }

type connectionResource struct {
	client *authress.Client
}

// connectionResourceModel is the resource's state: the shared connection
// attributes plus the secret, which only the resource handles.
type connectionResourceModel struct {
	connectionModel
	ClientSecret          types.String `tfsdk:"client_secret"`
	ClientSecretWO        types.String `tfsdk:"client_secret_wo"`
	ClientSecretWOVersion types.Int64  `tfsdk:"client_secret_wo_version"`
}

// connectionIdentityModel is the resource identity: the connection id.
type connectionIdentityModel struct {
	ConnectionID types.String `tfsdk:"connection_id"`
}

// privateUnmodeledKey is the private-state key of the API fields this
// provider does not model, kept so that a full-replace update sends them back.
const privateUnmodeledKey = "unmodeled_fields"

func (r *connectionResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_connection"
}

func (r *connectionResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

// optionalText is an optional string of 1 to maxLen characters.
func optionalText(name string, maxLen int, extra ...validator.String) schema.StringAttribute {
	return schema.StringAttribute{
		Optional:    true,
		Description: describe(name),
		Validators:  append([]validator.String{stringvalidator.LengthBetween(1, maxLen)}, extra...),
	}
}

// requiredOneOf is a required string limited to values: the one setting of a
// nested object whose absence the object's absence already says.
func requiredOneOf(name string, values []string) schema.StringAttribute {
	return schema.StringAttribute{
		Required:    true,
		Description: describe(name),
		Validators:  []validator.String{stringvalidator.OneOf(values...)},
	}
}

// dataDefaults is the "data" object the API stores when a request leaves it out.
var dataDefaults = map[string]attr.Value{
	"name":                   types.StringNull(),
	"tenant_id":              types.StringNull(),
	"developer_account_id":   types.StringNull(),
	"supported_content_type": types.StringValue(authress.DefaultSupportedContentType),
	"oidc_user_endpoint_url": types.StringNull(),
	"user_id_expression":     types.StringValue(authress.DefaultUserIDExpression),
	"trust_identity_user_id": types.BoolValue(false),
}

func (r *connectionResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	dataAttributes := map[string]schema.Attribute{
		"name":                 optionalText("data.name", 64),
		"tenant_id":            optionalText("data.tenant_id", 128, stringvalidator.RegexMatches(tenantIDRegexp, "must contain only letters, digits and -_.:")),
		"developer_account_id": optionalText("data.developer_account_id", 32),
		"supported_content_type": schema.StringAttribute{
			Optional: true, Computed: true,
			Default:     stringdefault.StaticString(authress.DefaultSupportedContentType),
			Description: describe("data.supported_content_type"),
			Validators:  []validator.String{stringvalidator.OneOf(supportedContentTypes...)},
		},
		"oidc_user_endpoint_url": optionalText("data.oidc_user_endpoint_url", 128, httpURL()),
		"user_id_expression": schema.StringAttribute{
			Optional: true, Computed: true,
			Default:     stringdefault.StaticString(authress.DefaultUserIDExpression),
			Description: describe("data.user_id_expression"),
			Validators:  []validator.String{stringvalidator.LengthBetween(1, 128)},
		},
		"trust_identity_user_id": schema.BoolAttribute{
			Optional: true, Computed: true,
			Default:     booldefault.StaticBool(false),
			Description: describe("data.trust_identity_user_id"),
		},
	}
	dataTypes := attributeTypes(dataAttributes)

	resp.Schema = schema.Schema{
		Description: "An Authress SSO connection: an OAuth2 or SAML identity provider users can log in with. " +
			"Import it by its connection id (`terraform import`, an `import` block with `id`) or, on Terraform " +
			"1.12 and later, by its resource identity (`connection_id`).",
		Attributes: map[string]schema.Attribute{
			"connection_id": schema.StringAttribute{
				Optional: true, Computed: true,
				Description: describe("connection_id"),
				Validators:  connectionIDValidators(),
				PlanModifiers: []planmodifier.String{
					stringplanmodifier.UseStateForUnknown(),
					stringplanmodifier.RequiresReplace(),
				},
			},
			"type": schema.StringAttribute{
				Optional: true, Computed: true,
				Default:     stringdefault.StaticString(authress.DefaultConnectionType),
				Description: describe("type"),
				Validators:  []validator.String{stringvalidator.OneOf(connectionTypes...)},
			},
			"authentication_url": schema.StringAttribute{
				Required:    true,
				Description: describe("authentication_url"),
				Validators:  []validator.String{stringvalidator.LengthBetween(1, 256), httpURL()},
			},
			"token_url":            optionalText("token_url", 128, httpURL()),
			"issuer_url":           optionalText("issuer_url", 128),
			"provider_certificate": optionalText("provider_certificate", 4096),
			"client_id":            optionalText("client_id", 128),
			"client_secret_id":     optionalText("client_secret_id", 32),
			"client_secret": schema.StringAttribute{
				Optional: true, Sensitive: true,
				Description: describe("client_secret"),
				Validators:  []validator.String{stringvalidator.LengthBetween(1, 2048)},
			},
			"client_secret_wo": schema.StringAttribute{
				Optional: true, Sensitive: true, WriteOnly: true,
				Description: describe("client_secret_wo"),
				Validators: []validator.String{
					stringvalidator.LengthBetween(1, 2048),
					stringvalidator.ConflictsWith(path.MatchRoot("client_secret")),
				},
			},
			"client_secret_wo_version": schema.Int64Attribute{
				Optional:    true,
				Description: describe("client_secret_wo_version"),
				Validators: []validator.Int64{
					int64validator.AlsoRequires(path.MatchRoot("client_secret_wo")),
				},
			},
			"data": schema.SingleNestedAttribute{
				Optional: true, Computed: true,
				Description: describe("data"),
				Attributes:  dataAttributes,
				Default:     objectdefault.StaticValue(types.ObjectValueMust(dataTypes, dataDefaults)),
			},
			"default_connection_properties": schema.MapAttribute{
				Optional: true, ElementType: types.StringType,
				Description: describe("default_connection_properties"),
				Validators: []validator.Map{
					mapvalidator.KeysAre(stringvalidator.LengthAtLeast(1)),
					mapvalidator.ValueStringsAre(stringvalidator.LengthBetween(1, 384)),
				},
			},
			"user_data_configuration": schema.SingleNestedAttribute{
				Optional:    true,
				Description: describe("user_data_configuration"),
				Attributes: map[string]schema.Attribute{
					"location": requiredOneOf("user_data_configuration.location", dataLocations),
				},
			},
			"conditions": schema.SingleNestedAttribute{
				Optional: true, Computed: true,
				Description: describe("conditions"),
				Attributes: map[string]schema.Attribute{
					"require_business_account": schema.BoolAttribute{
						Optional: true, Computed: true,
						Default:     booldefault.StaticBool(false),
						Description: describe("conditions.require_business_account"),
					},
				},
				Default: objectdefault.StaticValue(types.ObjectValueMust(
					map[string]attr.Type{"require_business_account": types.BoolType},
					map[string]attr.Value{"require_business_account": types.BoolValue(false)},
				)),
			},
			"linking_configuration": schema.SingleNestedAttribute{
				Optional:    true,
				Description: describe("linking_configuration"),
				Attributes: map[string]schema.Attribute{
					"type": requiredOneOf("linking_configuration.type", linkingTypes),
				},
			},
			"tags": schema.MapAttribute{
				Optional: true, ElementType: types.StringType,
				Description: describe("tags"),
				Validators: []validator.Map{
					mapvalidator.KeysAre(stringvalidator.LengthAtLeast(1)),
					mapvalidator.ValueStringsAre(stringvalidator.LengthAtMost(128)),
				},
			},
			"created_time": schema.StringAttribute{
				Computed:      true,
				Description:   describe("created_time"),
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"last_updated": schema.StringAttribute{
				Computed:    true,
				Description: describe("last_updated"),
			},
			"is_active_connection": schema.BoolAttribute{
				Computed:    true,
				Description: describe("is_active_connection"),
			},
		},
	}
}

func (r *connectionResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"connection_id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The connection's id, 1–64 characters of letters, digits and `-_.:`.",
			},
		},
	}
}

// attributeTypes lists the value types of nested attributes, for their defaults.
func attributeTypes(attrs map[string]schema.Attribute) map[string]attr.Type {
	attrTypes := make(map[string]attr.Type, len(attrs))
	for name, a := range attrs {
		attrTypes[name] = a.GetType()
	}
	return attrTypes
}

func (r *connectionResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var config, plan connectionResourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	body, diags := config.toAPI(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if body.ConnectionID == nil {
		// An id chosen here makes a retried create idempotent (see CreateConnection).
		id, err := authress.NewConnectionID()
		if err != nil {
			resp.Diagnostics.AddError("Could not create the Authress connection", err.Error())
			return
		}
		body.ConnectionID = &id
	}

	created, err := r.client.CreateConnection(ctx, body)
	if authress.IsConflict(err) {
		resp.Diagnostics.AddAttributeError(pathConnectionID, "Authress connection already exists",
			fmt.Sprintf("A connection with id %q already exists. Adopt it with terraform import (or an import block), "+
				"or choose another connection_id. %s", *body.ConnectionID, err))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Could not create the Authress connection", err.Error())
		return
	}
	tflog.Debug(ctx, "Created Authress connection", map[string]any{"connection_id": valueOr(created.ConnectionID, "")})

	resp.Diagnostics.Append(r.setState(ctx, &resp.State, resp.Identity, resp.Private, created, &plan)...)
}

func (r *connectionResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state connectionResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}

	conn, err := r.client.GetConnection(ctx, state.ConnectionID.ValueString())
	if authress.IsNotFound(err) {
		tflog.Info(ctx, "Authress connection no longer exists; removing it from state", map[string]any{"connection_id": state.ConnectionID.ValueString()})
		// The framework wants an identity after every successful read, even
		// one that removes the resource.
		if resp.Identity != nil {
			resp.Diagnostics.Append(resp.Identity.Set(ctx, connectionIdentityModel{ConnectionID: state.ConnectionID})...)
		}
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Could not read the Authress connection", err.Error())
		return
	}

	resp.Diagnostics.Append(r.setState(ctx, &resp.State, resp.Identity, resp.Private, conn, &state)...)
}

func (r *connectionResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var config, plan, state connectionResourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	body, diags := config.toAPI(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The id travels in the path; it cannot change in place (RequiresReplace).
	id := state.ConnectionID.ValueString()
	body.ConnectionID = nil
	// The update replaces the whole connection: send back the fields a newer
	// API returned that this provider does not model, or they would be cleared.
	unmodeled, diags := readUnmodeled(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	body.Unmodeled = unmodeled

	updated, err := r.client.UpdateConnection(ctx, id, body)
	if err != nil {
		resp.Diagnostics.AddError("Could not update the Authress connection", err.Error())
		return
	}

	resp.Diagnostics.Append(r.setState(ctx, &resp.State, resp.Identity, resp.Private, updated, &plan)...)
}

func (r *connectionResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state connectionResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}

	err := r.client.DeleteConnection(ctx, state.ConnectionID.ValueString())
	if err != nil && !authress.IsNotFound(err) {
		resp.Diagnostics.AddError("Could not delete the Authress connection", err.Error())
	}
}

func (r *connectionResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID != "" && (!connectionIDRegexp.MatchString(req.ID) || len(req.ID) > 64) {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("Import an Authress connection by its connection id: 1–64 letters, digits and -_.: (got %q).", req.ID))
		return
	}
	// By id (terraform import, import blocks with id) or by identity (Terraform 1.12+).
	resource.ImportStatePassthroughWithIdentity(ctx, pathConnectionID, pathConnectionID, req, resp)
}

// setState maps the API's answer into state, identity and private state.
// prior is the plan or state the answer replaces: it spells empty and default
// values the way the user wrote them, and decides the secret (see below).
func (r *connectionResource) setState(ctx context.Context, state *tfsdk.State, identity *tfsdk.ResourceIdentity, private privateState, conn *authress.Connection, prior *connectionResourceModel) diag.Diagnostics {
	shared, diags := connectionFromAPI(ctx, conn, &prior.connectionModel)
	if diags.HasError() {
		return diags
	}
	model := *prior
	model.connectionModel = shared
	// A secret is in state only when the user configured client_secret. Then
	// a secret the API returns is tracked (a change made by hand shows as
	// drift); one it does not return keeps the configured value.
	if !prior.ClientSecret.IsNull() && conn.ClientSecret != nil {
		model.ClientSecret = optionalString(conn.ClientSecret)
	}
	// Write-only values never reach state.
	model.ClientSecretWO = types.StringNull()
	diags.Append(state.Set(ctx, &model)...)
	if identity != nil {
		diags.Append(identity.Set(ctx, connectionIdentityModel{ConnectionID: model.ConnectionID})...)
	}
	diags.Append(writeUnmodeled(ctx, private, conn.Unmodeled)...)
	return diags
}

// toAPI builds the request body from the configuration, secret included: the
// API's update is a full replace, so a secret left out would be cleared.
func (m *connectionResourceModel) toAPI(ctx context.Context) (*authress.Connection, diag.Diagnostics) {
	body, diags := m.connectionModel.toAPI(ctx)
	if body != nil {
		body.ClientSecret = m.ClientSecret.ValueStringPointer()
		if body.ClientSecret == nil {
			body.ClientSecret = m.ClientSecretWO.ValueStringPointer()
		}
	}
	return body, diags
}
