// Package provider is the Terraform layer of the Authress provider: schemas,
// plan-time validation and the mapping between Terraform values and the API
// client's types.
package provider

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"terraform-provider-authress/internal/authress"
)

// Address is the provider's registry address.
const Address = "registry.terraform.io/authress-community/authress"

// Environment variables read when the provider block leaves a setting out.
const (
	EnvAccessKey = "AUTHRESS_KEY"
	EnvAPIURL    = "AUTHRESS_API_URL"
)

var (
	_ provider.Provider                       = (*authressProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*authressProvider)(nil)
)

type authressProvider struct {
	version string
}

type providerModel struct {
	APIURL     types.String `tfsdk:"api_url"`
	AccessKey  types.String `tfsdk:"access_key"`
	MaxRetries types.Int64  `tfsdk:"max_retries"`
}

// New returns a constructor of the provider, for providerserver and tests.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &authressProvider{version: version}
	}
}

func (p *authressProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "authress"
	resp.Version = p.version
}

func (p *authressProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Manages Authress SSO connections: the OAuth2 and SAML identity providers an Authress account federates.",
		Attributes: map[string]schema.Attribute{
			"api_url": schema.StringAttribute{
				Optional: true,
				Description: "The Authress account's API URL: its custom domain (`https://auth.example.com`) or " +
					"`https://<accountId>.api.authress.io`. Defaults to the `" + EnvAPIURL + "` environment variable, then, " +
					"for a service client access key, to `https://<accountId>.api.authress.io`. `https://` is added when " +
					"the scheme is missing and a trailing `/` is dropped; `http://` is accepted only for loopback hosts.",
			},
			"access_key": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				Description: "A service client access key (`clientId.keyId.accountId.privateKey`), from which the provider " +
					"signs short-lived EdDSA tokens and never sends the key itself, or a ready JWT (starting with `eyJ`), " +
					"sent unchanged as the bearer token. Defaults to the `" + EnvAccessKey + "` environment variable.",
			},
			"max_retries": schema.Int64Attribute{
				Optional: true,
				Description: fmt.Sprintf("How many times a transient failure (HTTP 429, 5xx other than 501, a dropped "+
					"connection, an unreadable answer) is retried, with jittered exponential backoff, honouring "+
					"`Retry-After` up to %d seconds. Other errors are never retried. Default %d, at most 20; `0` "+
					"disables retries. There is no environment variable for it.",
					int(authress.DefaultRetryAfterMax.Seconds()), authress.DefaultMaxRetries),
				Validators: []validator.Int64{int64validator.Between(0, 20)},
			},
		},
	}
}

func (p *authressProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var config providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	for attr, value := range map[string]types.String{"api_url": config.APIURL, "access_key": config.AccessKey} {
		if value.IsUnknown() {
			resp.Diagnostics.AddAttributeError(path.Root(attr), "Unknown provider setting",
				"The provider cannot be configured while "+attr+" is unknown. Set it from a value known at plan time, "+
					"such as a variable or an environment variable.")
		}
	}
	if config.MaxRetries.IsUnknown() {
		resp.Diagnostics.AddAttributeError(path.Root("max_retries"), "Unknown provider setting",
			"The provider cannot be configured while max_retries is unknown.")
	}
	if resp.Diagnostics.HasError() {
		return
	}

	clientConfig := authress.Config{
		APIURL:    stringOrEnv(config.APIURL, EnvAPIURL),
		AccessKey: stringOrEnv(config.AccessKey, EnvAccessKey),
		UserAgent: fmt.Sprintf("terraform-provider-authress/%s (+https://www.terraform.io) Terraform/%s", p.version, req.TerraformVersion),
		OnAttempt: logAttempt,
	}
	if !config.MaxRetries.IsNull() {
		retries := int(config.MaxRetries.ValueInt64())
		clientConfig.MaxRetries = &retries
	}

	client, err := authress.New(clientConfig)
	if err != nil {
		addClientConfigError(&resp.Diagnostics, err)
		return
	}
	tflog.Debug(ctx, "Configured the Authress API client", map[string]any{"api_url": client.BaseURL()})

	// Every object kind gets the same client; a kind left out here would
	// receive nil and fail at its first call.
	resp.ResourceData = client
	resp.DataSourceData = client
	resp.EphemeralResourceData = client
}

func stringOrEnv(value types.String, env string) string {
	if !value.IsNull() {
		return value.ValueString()
	}
	return os.Getenv(env)
}

func logAttempt(ctx context.Context, a authress.Attempt) {
	fields := map[string]any{"method": a.Method, "path": a.Path, "attempt": a.Number + 1}
	if a.Number > 0 {
		tflog.Info(ctx, "Retrying Authress API request", fields)
		return
	}
	tflog.Debug(ctx, "Authress API request", fields)
}

func addClientConfigError(diags *diag.Diagnostics, err error) {
	var configErr *authress.ConfigError
	if !errors.As(err, &configErr) {
		diags.AddError("Cannot configure the Authress provider", err.Error())
		return
	}
	switch configErr.Field {
	case authress.FieldAccessKey:
		if errors.Is(err, authress.ErrNoAccessKey) {
			diags.AddAttributeError(path.Root("access_key"), "Missing Authress access key",
				"Set access_key in the provider block or the "+EnvAccessKey+" environment variable to a service client "+
					"access key or a ready JWT.")
			return
		}
		diags.AddAttributeError(path.Root("access_key"), "Malformed Authress access key",
			err.Error()+". Check access_key or the "+EnvAccessKey+" environment variable; a service client access "+
				"key has the form clientId.keyId.accountId.privateKey.")
	case authress.FieldAPIURL:
		if errors.Is(err, authress.ErrNoAPIURL) {
			diags.AddAttributeError(path.Root("api_url"), "Missing Authress API URL",
				"Set api_url in the provider block or the "+EnvAPIURL+" environment variable: with a ready JWT "+
					"the provider cannot tell which account's API to call.")
			return
		}
		diags.AddAttributeError(path.Root("api_url"), "Invalid Authress API URL",
			err.Error()+". Check api_url or the "+EnvAPIURL+" environment variable.")
	default:
		diags.AddError("Cannot configure the Authress provider", err.Error())
	}
}

func (p *authressProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		newConnectionResource,
	}
}

func (p *authressProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		newConnectionDataSource,
		newConnectionsDataSource,
		newConnectionCredentialsDataSource,
	}
}

func (p *authressProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{
		newConnectionCredentialsEphemeralResource,
	}
}
