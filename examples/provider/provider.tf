terraform {
  required_providers {
    authress = {
      source  = "authress-community/authress"
      version = "~> 0.1"
    }
  }
}

# Both settings can come from the environment instead (AUTHRESS_API_URL and
# AUTHRESS_KEY), which keeps the key out of the configuration: an empty
# provider "authress" {} block is then enough.
provider "authress" {
  api_url    = var.authress_api_url
  access_key = var.authress_key
}

variable "authress_api_url" {
  description = "The account's API URL: its custom domain, or https://<accountId>.api.authress.io."
  type        = string
}

variable "authress_key" {
  description = "A service client access key (clientId.keyId.accountId.privateKey), or a ready JWT."
  type        = string
  sensitive   = true
}
