package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// connectionDataSourceAttributes is every non-secret attribute of a
// connection, read-only, for the data sources. They mirror connectionModel.
func connectionDataSourceAttributes() map[string]schema.Attribute {
	computedString := func(name string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, Description: describeComputed(name)}
	}
	computedBool := func(name string) schema.BoolAttribute {
		return schema.BoolAttribute{Computed: true, Description: describeComputed(name)}
	}
	computedMap := func(name string) schema.MapAttribute {
		return schema.MapAttribute{Computed: true, ElementType: types.StringType, Description: describeComputed(name)}
	}
	return map[string]schema.Attribute{
		"connection_id":        computedString("connection_id"),
		"type":                 computedString("type"),
		"authentication_url":   computedString("authentication_url"),
		"token_url":            computedString("token_url"),
		"issuer_url":           computedString("issuer_url"),
		"provider_certificate": computedString("provider_certificate"),
		"client_id":            computedString("client_id"),
		"client_secret_id":     computedString("client_secret_id"),
		"data": schema.SingleNestedAttribute{
			Computed: true, Description: describeComputed("data"),
			Attributes: map[string]schema.Attribute{
				"name":                   computedString("data.name"),
				"tenant_id":              computedString("data.tenant_id"),
				"developer_account_id":   computedString("data.developer_account_id"),
				"supported_content_type": computedString("data.supported_content_type"),
				"oidc_user_endpoint_url": computedString("data.oidc_user_endpoint_url"),
				"user_id_expression":     computedString("data.user_id_expression"),
				"trust_identity_user_id": computedBool("data.trust_identity_user_id"),
			},
		},
		"default_connection_properties": computedMap("default_connection_properties"),
		"user_data_configuration": schema.SingleNestedAttribute{
			Computed: true, Description: describeComputed("user_data_configuration"),
			Attributes: map[string]schema.Attribute{
				"location": computedString("user_data_configuration.location"),
			},
		},
		"conditions": schema.SingleNestedAttribute{
			Computed: true, Description: describeComputed("conditions"),
			Attributes: map[string]schema.Attribute{
				"require_business_account": computedBool("conditions.require_business_account"),
			},
		},
		"linking_configuration": schema.SingleNestedAttribute{
			Computed: true, Description: describeComputed("linking_configuration"),
			Attributes: map[string]schema.Attribute{
				"type": computedString("linking_configuration.type"),
			},
		},
		"tags":                 computedMap("tags"),
		"created_time":         computedString("created_time"),
		"last_updated":         computedString("last_updated"),
		"is_active_connection": computedBool("is_active_connection"),
	}
}
