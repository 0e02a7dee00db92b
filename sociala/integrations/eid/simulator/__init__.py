"""A local OpenID Connect provider that stands in for an e-ID service in demo mode (see views)."""
