# Every connection of the account, managed by Terraform or not.
data "authress_connections" "all" {}

output "connection_names" {
  description = "Display name of each connection, by connection id."
  value       = { for c in data.authress_connections.all.connections : c.connection_id => c.data.name }
}

output "saml_connection_ids" {
  value = [for c in data.authress_connections.all.connections : c.connection_id if c.type == "SAML2"]
}
