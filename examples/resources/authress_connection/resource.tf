# An OAuth2 identity provider. The secret comes from a sensitive variable: it
# is hidden in plan output, but stored in state (see client_secret_wo below
# for a secret that never is).
resource "authress_connection" "google" {
  authentication_url = "https://accounts.google.com/o/oauth2/v2/auth"
  token_url          = "https://oauth2.googleapis.com/token"
  issuer_url         = "https://accounts.google.com"
  client_id          = "1234567890-example.apps.googleusercontent.com"
  client_secret      = var.google_client_secret

  data = {
    name = "Google Workspace"
  }

  default_connection_properties = {
    scope = "openid profile email"
    hd    = "example.com"
  }

  conditions = {
    require_business_account = true
  }

  tags = {
    team = "identity"
  }
}

variable "google_client_secret" {
  description = "The OAuth client secret Google issued for this connection."
  type        = string
  sensitive   = true
}

# A SAML 2.0 identity provider, with an id of your choosing (left out, as
# above, the provider chooses one: con_ and 26 characters).
resource "authress_connection" "okta" {
  connection_id        = "okta-saml"
  type                 = "SAML2"
  authentication_url   = "https://example.okta.com/app/example_authress/exk1example/sso/saml"
  issuer_url           = "http://www.okta.com/exk1example"
  provider_certificate = <<-EOT
    -----BEGIN CERTIFICATE-----
    MIIBdzCCAR6gAwIBAgIBATAKBggqhkjOPQQDAjAbMRkwFwYDVQQDDBBleGFtcGxl
    Lm9rdGEuY29tMB4XDTI2MTIwNDIwNDM0MFoXDTM2MTIwMTIwNDM0MFowGzEZMBcG
    A1UEAwwQZXhhbXBsZS5va3RhLmNvbTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IA
    BEospfBjj73ZjDPVzY0K8pMBC+lcxxN1+2CVAnxScT3WUDipEO9eDTJxMOqcPVhj
    o9AlB7AggXSORVoLTzOpPAmjUzBRMB0GA1UdDgQWBBTMV4mBLwdCusVDsnFBvZ+q
    Q9uOZjAfBgNVHSMEGDAWgBTMV4mBLwdCusVDsnFBvZ+qQ9uOZjAPBgNVHRMBAf8E
    BTADAQH/MAoGCCqGSM49BAMCA0cAMEQCICNmFdBqeEiIAojYEfVMhNpEnaJUW5fo
    362pbNsPk2TqAiAzWO1dD7GfxTYPeg3XMQD8Oq63FDwFl2GmXiHRMYSzfw==
    -----END CERTIFICATE-----
  EOT

  data = {
    name = "Okta"
  }

  linking_configuration = {
    type = "EXPLICIT"
  }

  user_data_configuration = {
    location = "DEU"
  }
}
