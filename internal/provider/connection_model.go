package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"terraform-provider-authress/internal/authress"
)

// connectionModel holds every non-secret attribute of a connection. The
// resource embeds it and the data sources reuse it, so there is one mapping
// from the API's type to Terraform values.
type connectionModel struct {
	ConnectionID                types.String                `tfsdk:"connection_id"`
	Type                        types.String                `tfsdk:"type"`
	AuthenticationURL           types.String                `tfsdk:"authentication_url"`
	TokenURL                    types.String                `tfsdk:"token_url"`
	IssuerURL                   types.String                `tfsdk:"issuer_url"`
	ProviderCertificate         types.String                `tfsdk:"provider_certificate"`
	ClientID                    types.String                `tfsdk:"client_id"`
	ClientSecretID              types.String                `tfsdk:"client_secret_id"`
	Data                        *connectionDataModel        `tfsdk:"data"`
	DefaultConnectionProperties types.Map                   `tfsdk:"default_connection_properties"`
	UserDataConfiguration       *userDataConfigurationModel `tfsdk:"user_data_configuration"`
	Conditions                  *conditionsModel            `tfsdk:"conditions"`
	LinkingConfiguration        *linkingConfigurationModel  `tfsdk:"linking_configuration"`
	Tags                        types.Map                   `tfsdk:"tags"`
	CreatedTime                 types.String                `tfsdk:"created_time"`
	LastUpdated                 types.String                `tfsdk:"last_updated"`
	IsActiveConnection          types.Bool                  `tfsdk:"is_active_connection"`
}

type connectionDataModel struct {
	Name                 types.String `tfsdk:"name"`
	TenantID             types.String `tfsdk:"tenant_id"`
	DeveloperAccountID   types.String `tfsdk:"developer_account_id"`
	SupportedContentType types.String `tfsdk:"supported_content_type"`
	OIDCUserEndpointURL  types.String `tfsdk:"oidc_user_endpoint_url"`
	UserIDExpression     types.String `tfsdk:"user_id_expression"`
	TrustIdentityUserID  types.Bool   `tfsdk:"trust_identity_user_id"`
}

type userDataConfigurationModel struct {
	Location types.String `tfsdk:"location"`
}

type conditionsModel struct {
	RequireBusinessAccount types.Bool `tfsdk:"require_business_account"`
}

type linkingConfigurationModel struct {
	Type types.String `tfsdk:"type"`
}

// connectionFromAPI maps an API connection to Terraform values. prior is the
// plan or state the values replace (nil for a data source); it decides only
// how "nothing set" is spelled, so that the API's defaults and empty values do
// not show as differences:
//   - a default scope the user did not set stays out of default_connection_properties;
//   - an empty map stays an empty map if it was one, and is null otherwise;
//   - values the API leaves out take the documented defaults.
func connectionFromAPI(ctx context.Context, c *authress.Connection, prior *connectionModel) (connectionModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	if prior == nil {
		prior = &connectionModel{}
	}
	m := connectionModel{
		ConnectionID:        optionalString(c.ConnectionID),
		Type:                types.StringValue(valueOr(c.Type, authress.DefaultConnectionType)),
		AuthenticationURL:   optionalString(c.AuthenticationURL),
		TokenURL:            optionalString(c.TokenURL),
		IssuerURL:           optionalString(c.IssuerURL),
		ProviderCertificate: optionalString(c.ProviderCertificate),
		ClientID:            optionalString(c.ClientID),
		ClientSecretID:      optionalString(c.ClientSecretID),
		Data:                dataFromAPI(c.Data),
		Conditions:          &conditionsModel{RequireBusinessAccount: types.BoolValue(false)},
		CreatedTime:         optionalString(c.CreatedTime),
		LastUpdated:         optionalString(c.LastUpdated),
		IsActiveConnection:  types.BoolPointerValue(c.IsActiveConnection),
	}
	if c.UserDataConfiguration != nil && c.UserDataConfiguration.Location != nil {
		m.UserDataConfiguration = &userDataConfigurationModel{Location: types.StringValue(*c.UserDataConfiguration.Location)}
	}
	if c.Conditions != nil && c.Conditions.RequireBusinessAccount != nil {
		m.Conditions.RequireBusinessAccount = types.BoolValue(*c.Conditions.RequireBusinessAccount)
	}
	if c.LinkingConfiguration != nil && c.LinkingConfiguration.Type != nil {
		m.LinkingConfiguration = &linkingConfigurationModel{Type: types.StringValue(*c.LinkingConfiguration.Type)}
	}

	properties := c.DefaultConnectionProperties
	if scope, ok := properties[authress.ScopeProperty]; ok && scope == authress.DefaultScope && !mapHasKey(prior.DefaultConnectionProperties, authress.ScopeProperty) {
		properties = withoutKey(properties, authress.ScopeProperty)
	}
	var d diag.Diagnostics
	m.DefaultConnectionProperties, d = stringMap(ctx, properties, prior.DefaultConnectionProperties)
	diags.Append(d...)
	m.Tags, d = stringMap(ctx, c.Tags, prior.Tags)
	diags.Append(d...)
	return m, diags
}

func dataFromAPI(d *authress.ConnectionData) *connectionDataModel {
	if d == nil {
		d = &authress.ConnectionData{}
	}
	return &connectionDataModel{
		Name:                 optionalString(d.Name),
		TenantID:             optionalString(d.TenantID),
		DeveloperAccountID:   optionalString(d.DeveloperAccountID),
		SupportedContentType: types.StringValue(valueOr(d.SupportedContentType, authress.DefaultSupportedContentType)),
		OIDCUserEndpointURL:  optionalString(d.OIDCUserEndpointURL),
		UserIDExpression:     types.StringValue(valueOr(d.UserIDExpression, authress.DefaultUserIDExpression)),
		TrustIdentityUserID:  types.BoolValue(d.TrustIdentityUserID != nil && *d.TrustIdentityUserID),
	}
}

// toAPI builds a create or replace request from the configuration: only what
// the user set is sent, and the API fills its defaults for the rest exactly as
// the schema's defaults predicted.
func (m *connectionModel) toAPI(ctx context.Context) (*authress.Connection, diag.Diagnostics) {
	var diags diag.Diagnostics
	c := &authress.Connection{
		ConnectionID:        m.ConnectionID.ValueStringPointer(),
		Type:                m.Type.ValueStringPointer(),
		AuthenticationURL:   m.AuthenticationURL.ValueStringPointer(),
		TokenURL:            m.TokenURL.ValueStringPointer(),
		IssuerURL:           m.IssuerURL.ValueStringPointer(),
		ProviderCertificate: m.ProviderCertificate.ValueStringPointer(),
		ClientID:            m.ClientID.ValueStringPointer(),
		ClientSecretID:      m.ClientSecretID.ValueStringPointer(),
	}
	if m.Data != nil {
		c.Data = &authress.ConnectionData{
			Name:                 m.Data.Name.ValueStringPointer(),
			TenantID:             m.Data.TenantID.ValueStringPointer(),
			DeveloperAccountID:   m.Data.DeveloperAccountID.ValueStringPointer(),
			SupportedContentType: m.Data.SupportedContentType.ValueStringPointer(),
			OIDCUserEndpointURL:  m.Data.OIDCUserEndpointURL.ValueStringPointer(),
			UserIDExpression:     m.Data.UserIDExpression.ValueStringPointer(),
			TrustIdentityUserID:  m.Data.TrustIdentityUserID.ValueBoolPointer(),
		}
	}
	if m.UserDataConfiguration != nil {
		c.UserDataConfiguration = &authress.UserDataConfiguration{Location: m.UserDataConfiguration.Location.ValueStringPointer()}
	}
	if m.Conditions != nil {
		c.Conditions = &authress.Conditions{RequireBusinessAccount: m.Conditions.RequireBusinessAccount.ValueBoolPointer()}
	}
	if m.LinkingConfiguration != nil {
		c.LinkingConfiguration = &authress.LinkingConfiguration{Type: m.LinkingConfiguration.Type.ValueStringPointer()}
	}
	diags.Append(m.DefaultConnectionProperties.ElementsAs(ctx, &c.DefaultConnectionProperties, false)...)
	diags.Append(m.Tags.ElementsAs(ctx, &c.Tags, false)...)
	return c, diags
}

// optionalString maps an API string to a Terraform string; the API's empty
// string and null both mean "not set" (the schema refuses empty strings).
func optionalString(s *string) types.String {
	if s == nil || *s == "" {
		return types.StringNull()
	}
	return types.StringValue(*s)
}

func valueOr(s *string, fallback string) string {
	if s == nil || *s == "" {
		return fallback
	}
	return *s
}

func mapHasKey(m types.Map, key string) bool {
	if m.IsNull() || m.IsUnknown() {
		return false
	}
	_, ok := m.Elements()[key]
	return ok
}

func withoutKey(in map[string]string, key string) map[string]string {
	out := make(map[string]string, len(in))
	for k, v := range in {
		if k != key {
			out[k] = v
		}
	}
	return out
}

// stringMap maps an API map; an empty one is spelled as prior spelled it.
func stringMap(ctx context.Context, in map[string]string, prior types.Map) (types.Map, diag.Diagnostics) {
	if len(in) == 0 {
		if !prior.IsNull() && !prior.IsUnknown() && len(prior.Elements()) == 0 {
			return types.MapValueMust(types.StringType, map[string]attr.Value{}), nil
		}
		return types.MapNull(types.StringType), nil
	}
	return types.MapValueFrom(ctx, types.StringType, in)
}

// terraformValue is the model as a Terraform value of the data sources'
// object type. The list data source builds its state with it because the
// framework's reflection (State.Set) costs seconds for thousands of
// connections; a test keeps the two identical.
func (m *connectionModel) terraformValue(ctx context.Context, typ tftypes.Object) (tftypes.Value, error) {
	b := valueBuilder{ctx: ctx}
	values := map[string]tftypes.Value{
		"connection_id":                 b.leaf(m.ConnectionID),
		"type":                          b.leaf(m.Type),
		"authentication_url":            b.leaf(m.AuthenticationURL),
		"token_url":                     b.leaf(m.TokenURL),
		"issuer_url":                    b.leaf(m.IssuerURL),
		"provider_certificate":          b.leaf(m.ProviderCertificate),
		"client_id":                     b.leaf(m.ClientID),
		"client_secret_id":              b.leaf(m.ClientSecretID),
		"default_connection_properties": b.leaf(m.DefaultConnectionProperties),
		"tags":                          b.leaf(m.Tags),
		"created_time":                  b.leaf(m.CreatedTime),
		"last_updated":                  b.leaf(m.LastUpdated),
		"is_active_connection":          b.leaf(m.IsActiveConnection),
	}
	var data, userData, conditions, linking map[string]attr.Value
	if d := m.Data; d != nil {
		data = map[string]attr.Value{
			"name": d.Name, "tenant_id": d.TenantID, "developer_account_id": d.DeveloperAccountID,
			"supported_content_type": d.SupportedContentType, "oidc_user_endpoint_url": d.OIDCUserEndpointURL,
			"user_id_expression": d.UserIDExpression, "trust_identity_user_id": d.TrustIdentityUserID,
		}
	}
	if u := m.UserDataConfiguration; u != nil {
		userData = map[string]attr.Value{"location": u.Location}
	}
	if c := m.Conditions; c != nil {
		conditions = map[string]attr.Value{"require_business_account": c.RequireBusinessAccount}
	}
	if l := m.LinkingConfiguration; l != nil {
		linking = map[string]attr.Value{"type": l.Type}
	}
	values["data"] = b.object(typ, "data", data)
	values["user_data_configuration"] = b.object(typ, "user_data_configuration", userData)
	values["conditions"] = b.object(typ, "conditions", conditions)
	values["linking_configuration"] = b.object(typ, "linking_configuration", linking)
	if b.err != nil {
		return tftypes.Value{}, b.err
	}
	if err := tftypes.ValidateValue(typ, values); err != nil {
		return tftypes.Value{}, err
	}
	return tftypes.NewValue(typ, values), nil
}

// valueBuilder converts framework values to Terraform values, keeping the
// first error.
type valueBuilder struct {
	ctx context.Context
	err error
}

func (b *valueBuilder) leaf(v attr.Value) tftypes.Value {
	value, err := v.ToTerraformValue(b.ctx)
	if err != nil && b.err == nil {
		b.err = err
	}
	return value
}

// object is the nested object attribute name of parent; nil fields mean null.
func (b *valueBuilder) object(parent tftypes.Object, name string, fields map[string]attr.Value) tftypes.Value {
	typ, ok := parent.AttributeTypes[name].(tftypes.Object)
	if !ok {
		if b.err == nil {
			b.err = fmt.Errorf("attribute %q is not an object in the schema", name)
		}
		return tftypes.Value{}
	}
	if fields == nil {
		return tftypes.NewValue(typ, nil)
	}
	values := make(map[string]tftypes.Value, len(fields))
	for field, v := range fields {
		values[field] = b.leaf(v)
	}
	if err := tftypes.ValidateValue(typ, values); err != nil {
		if b.err == nil {
			b.err = err
		}
		return tftypes.Value{}
	}
	return tftypes.NewValue(typ, values)
}
