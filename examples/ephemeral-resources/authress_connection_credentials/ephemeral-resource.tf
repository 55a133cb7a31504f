# Terraform 1.10 and later: a user's identity-provider token, read afresh in
# each run and never written to plan or state.
ephemeral "authress_connection_credentials" "alice" {
  connection_id = "google-workspace"
  user_id       = "google|118234"
}

# Use it where Terraform accepts ephemeral values: another provider's
# configuration, a write-only argument, or a local value that feeds them.
locals {
  google_authorization = "Bearer ${ephemeral.authress_connection_credentials.alice.access_token}"
}
