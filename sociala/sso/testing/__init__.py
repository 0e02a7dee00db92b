"""Real identity providers for the tests, run on localhost: an OpenID Provider (panva's oidc-provider from
npm, in a Node process) and a SAML 2.0 IdP (pysaml2's IdP classes behind a small WSGI app)."""
