# Adopt the connection with id "okta-saml" into authress_connection.okta at
# the next apply, naming it by its resource identity (Terraform 1.12 and later).
import {
  to = authress_connection.okta
  identity = {
    connection_id = "okta-saml"
  }
}
