# Read one connection, for example to hand its settings to another system.
data "authress_connection" "okta" {
  connection_id = "okta-saml"
}

output "okta_sso_url" {
  value = data.authress_connection.okta.authentication_url
}
