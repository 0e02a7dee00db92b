"""Citizen login through an e-ID provider over OpenID Connect, and a local simulator of such a provider.

``client`` is the relying party (Authorization Code flow with PKCE, ID token verified against the
provider's JWKS); ``simulator`` is a provider served by Sociala itself under /eid-simulator/ in demo
mode, so that development and tests need no outside service. The client talks to the simulator over
HTTP exactly as it talks to a real provider (Freja eID, BankID through a broker, …).
"""
