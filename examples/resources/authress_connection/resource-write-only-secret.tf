# Terraform 1.11 and later: the secret as a write-only argument, sent to
# Authress with every create and update but never stored in plan or state.
# Terraform cannot see a change of a write-only value, so bump
# client_secret_wo_version whenever the secret changes.
resource "authress_connection" "azure" {
  authentication_url = "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize"
  token_url          = "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"
  issuer_url         = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0"
  client_id          = "00000000-0000-0000-0000-000000000000"

  client_secret_wo         = var.azure_client_secret
  client_secret_wo_version = 1

  data = {
    name      = "Microsoft Entra ID"
    tenant_id = "contoso.onmicrosoft.com"
  }
}

# An ephemeral variable (Terraform 1.10 and later) is never written to the
# plan file either.
variable "azure_client_secret" {
  description = "The client secret of the Entra ID app registration."
  type        = string
  sensitive   = true
  ephemeral   = true
}
