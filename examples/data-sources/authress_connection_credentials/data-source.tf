# The access token stays in state (marked sensitive). On Terraform 1.10 and
# later, prefer the authress_connection_credentials ephemeral resource, which
# never writes it to plan or state.
data "authress_connection_credentials" "alice" {
  connection_id = "google-workspace"
  user_id       = "google|118234"
}
