# Import a connection by its connection id.
terraform import authress_connection.okta okta-saml
