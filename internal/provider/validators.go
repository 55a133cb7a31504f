package provider

import (
	"context"
	"net/url"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

var _ validator.String = httpURLValidator{}

// httpURLValidator accepts absolute http(s) URLs with a host and no spaces.
type httpURLValidator struct{}

func httpURL() validator.String { return httpURLValidator{} }

func (httpURLValidator) Description(context.Context) string {
	return "value must be an absolute URL starting with https:// or http://"
}

func (v httpURLValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v httpURLValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	value := req.ConfigValue.ValueString()
	u, err := url.Parse(value)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsAny(value, " \t\r\n") {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid URL",
			"Attribute "+req.Path.String()+" "+v.Description(ctx)+", got: "+value)
	}
}
