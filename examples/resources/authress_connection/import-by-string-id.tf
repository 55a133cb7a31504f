# Adopt the connection with id "okta-saml" into authress_connection.okta at
# the next apply (Terraform 1.5 and later).
import {
  to = authress_connection.okta
  id = "okta-saml"
}
