"""Settings of the SSBTEK adapter, read from ``settings.SOCIALA_SSBTEK`` (a dict) over the defaults below.

Production (Försäkringskassan's service, or the municipality's SSBTEK broker)::

    SOCIALA_SSBTEK = {
        "url": "https://<host>/<path>",              # the service's endpoint (HTTPS only)
        "client_certificate": "/etc/sociala/ssbtek/client.pem",  # the municipality's certificate (PEM)
        "client_key": "/etc/sociala/ssbtek/client.key",          # its private key (PEM, unencrypted)
        "ca_bundle": "/etc/sociala/ssbtek/ca.pem",               # CA(s) that signed the server certificate
        "organization_number": "212000XXXX",          # the municipality's org.nr (10 or 12 digits)
        "organization_name": "Exempelstads kommun",
        "fk_actor_id": "<aktörsid från Försäkringskassan>",
    }

Each key can also come from the environment (``SOCIALA_SSBTEK_URL``, ``SOCIALA_SSBTEK_CLIENT_CERT``,
``SOCIALA_SSBTEK_CLIENT_KEY``, ``SOCIALA_SSBTEK_CA_BUNDLE``, ``SOCIALA_SSBTEK_ORG_NUMBER``,
``SOCIALA_SSBTEK_ORG_NAME``, ``SOCIALA_SSBTEK_FK_ACTOR_ID``, ``SOCIALA_SSBTEK_SOAP_VERSION``); the settings
dict wins. Development: ``manage.py ssbtek_simulator`` starts the simulator and prints the values to use.
Without ``url`` and the certificates the adapter is off and the budget page says so.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.conf import settings

ENVIRONMENT = {
    "url": "SOCIALA_SSBTEK_URL",
    "client_certificate": "SOCIALA_SSBTEK_CLIENT_CERT",
    "client_key": "SOCIALA_SSBTEK_CLIENT_KEY",
    "ca_bundle": "SOCIALA_SSBTEK_CA_BUNDLE",
    "organization_number": "SOCIALA_SSBTEK_ORG_NUMBER",
    "organization_name": "SOCIALA_SSBTEK_ORG_NAME",
    "fk_actor_id": "SOCIALA_SSBTEK_FK_ACTOR_ID",
    "soap_version": "SOCIALA_SSBTEK_SOAP_VERSION",
}

DEFAULTS: dict = {
    "url": "",
    "client_certificate": "",
    "client_key": "",
    "ca_bundle": "",
    "organization_number": "",
    "organization_name": "",
    "fk_actor_id": "",
    # The WSDL binds SOAP 1.1; "1.2" is accepted by the simulator and by brokers that offer it.
    "soap_version": "1.1",
    # LEFI version named in Försäkringskassan's part of the request ("v9" is the current one).
    "lefi_version": "v9",
    "timeout_seconds": 20,
    # Largest answer read, in bytes.
    "max_response_bytes": 10 * 1024 * 1024,
}


@dataclass(frozen=True)
class SsbtekConfig:
    """Where and as whom the adapter asks."""

    url: str
    client_certificate: str
    client_key: str
    ca_bundle: str
    organization_number: str
    organization_name: str
    fk_actor_id: str
    soap_version: str = "1.1"
    lefi_version: str = "v9"
    timeout_seconds: float = 20
    max_response_bytes: int = 10 * 1024 * 1024

    @property
    def is_configured(self) -> bool:
        return bool(self.url and self.client_certificate and self.client_key and self.ca_bundle)

    @property
    def organization_number_12(self) -> str:
        """The org.nr as the schema wants it: 12 digits, ``16`` before a 10-digit number."""
        digits = "".join(c for c in self.organization_number if c.isdigit())
        return f"16{digits}" if len(digits) == 10 else digits


def load_config() -> SsbtekConfig:
    """The configuration in force (settings.SOCIALA_SSBTEK over the defaults)."""
    merged = dict(DEFAULTS)
    merged["organization_name"] = getattr(settings, "SOCIALA_MUNICIPALITY_NAME", "")
    merged.update({key: os.environ[name] for key, name in ENVIRONMENT.items() if os.environ.get(name)})
    merged.update(getattr(settings, "SOCIALA_SSBTEK", {}) or {})
    return SsbtekConfig(
        url=str(merged["url"]),
        client_certificate=str(merged["client_certificate"]),
        client_key=str(merged["client_key"]),
        ca_bundle=str(merged["ca_bundle"]),
        organization_number=str(merged["organization_number"]),
        organization_name=str(merged["organization_name"]),
        fk_actor_id=str(merged["fk_actor_id"]),
        soap_version=str(merged["soap_version"]),
        lefi_version=str(merged["lefi_version"]),
        timeout_seconds=float(merged["timeout_seconds"]),
        max_response_bytes=int(merged["max_response_bytes"]),
    )
