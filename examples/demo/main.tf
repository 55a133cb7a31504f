# The configuration `make demo` applies against the local Authress fake.
# The provider reads AUTHRESS_API_URL and AUTHRESS_KEY from the environment.

terraform {
  required_providers {
    authress = {
      source = "authress-community/authress"
    }
  }
}

provider "authress" {}

variable "adopt_connection_id" {
  description = "Id of a connection made outside Terraform, adopted with terraform import (empty: none)."
  type        = string
  default     = ""
}

resource "authress_connection" "google" {
  connection_id      = "google-workforce"
  authentication_url = "https://accounts.google.com/o/oauth2/v2/auth"
  token_url          = "https://oauth2.googleapis.com/token"
  issuer_url         = "https://accounts.google.com"
  client_id          = "1234567890-demo.apps.googleusercontent.com"
  client_secret      = "demo-client-secret"

  data = {
    name = "Google Workspace"
  }

  conditions = {
    require_business_account = true
  }

  tags = {
    team = "identity"
  }
}

resource "authress_connection" "okta_saml" {
  connection_id        = "okta-saml"
  type                 = "SAML2"
  authentication_url   = "https://example.okta.com/app/authress/sso/saml"
  issuer_url           = "http://www.okta.com/exk1demo"
  provider_certificate = file("${path.module}/okta-signing.pem")

  data = {
    name = "Okta (SAML)"
  }

  linking_configuration = {
    type = "EXPLICIT"
  }

  user_data_configuration = {
    location = "DEU"
  }
}

# A connection made by hand in Authress, adopted with `terraform import`.
resource "authress_connection" "adopted" {
  count              = var.adopt_connection_id == "" ? 0 : 1
  connection_id      = var.adopt_connection_id
  authentication_url = "https://login.microsoftonline.com/contoso/oauth2/v2.0/authorize"

  data = {
    name      = "Azure AD (made by hand)"
    tenant_id = "contoso"
  }
}

data "authress_connections" "all" {
  depends_on = [authress_connection.google, authress_connection.okta_saml, authress_connection.adopted]
}

output "connections" {
  description = "Every connection the key can see, managed or not."
  value       = { for c in data.authress_connections.all.connections : c.connection_id => "${c.type} ${coalesce(c.data.name, "-")}" }
}

output "google_created_time" {
  value = authress_connection.google.created_time
}
