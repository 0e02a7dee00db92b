"""SSBTEK (Sammansatt bastjänst ekonomiskt bistånd): income and benefit data from the agencies.

One SOAP operation, ``hamtaBastjanstInformation`` (ssbt/11), over HTTPS with mutual TLS. The adapter
(``client.SsbtekClient``) builds the request with lxml, validates it against the committed contract
(``contract/``), sends it with the standard library's ``http.client`` and an ``ssl`` context that
presents the municipality's client certificate and trusts only the configured CA, and reads the answer
into plain ``IncomeItem`` rows. ``simulator`` is a real HTTPS server speaking the same protocol with
deterministic data per personal identity number, for development and tests.
"""
