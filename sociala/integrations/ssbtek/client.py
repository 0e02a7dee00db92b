"""The SSBTEK adapter: one ``hamtaBastjanstInformation`` call over HTTPS with mutual TLS.

The TLS context trusts only the configured CA bundle (not the system's), checks the server's host name,
requires TLS 1.2 or later and presents the municipality's client certificate. The request is validated
against the committed contract before it leaves; the answer is parsed with DTDs and entities disabled.
"""

from __future__ import annotations

import http.client
import ssl
import urllib.parse

from lxml import etree

from . import soap
from .conf import SsbtekConfig, load_config
from .messages import InquiryRequest, InquiryResult, ResponseError, build_request, read_response
from .schema import SSBT, ContractViolation, validate


class SsbtekError(Exception):
    """The inquiry failed; ``message`` is safe to show (no personal data)."""


class SsbtekUnavailable(SsbtekError):
    """The service could not be reached, or the TLS handshake failed."""


class SsbtekFault(SsbtekError):
    """The service answered with a SOAP fault."""

    def __init__(self, message: str, code: str = ""):
        super().__init__(message)
        self.code = code


class SsbtekBadResponse(SsbtekError):
    """The answer was not a readable answer to the request."""


def tls_context(config: SsbtekConfig) -> ssl.SSLContext:
    """Client side of mutual TLS: our certificate and key, and trust in the configured CA only."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    context.load_verify_locations(cafile=config.ca_bundle)
    if config.client_certificate:
        context.load_cert_chain(certfile=config.client_certificate, keyfile=config.client_key or None)
    return context


class SsbtekClient:
    """Asks SSBTEK about one person and one period."""

    def __init__(self, config: SsbtekConfig | None = None):
        self.config = config or load_config()

    def fetch(self, request: InquiryRequest) -> InquiryResult:
        """Send ``request`` and read the answer; SsbtekError (a subclass) when that is not possible."""
        config = self.config
        body = build_request(request)
        try:
            validate(body)
        except ContractViolation as error:
            # Our own request breaks the contract: a programming or configuration error, never sent.
            raise SsbtekError(f"the request does not follow the ssbt/11 contract: {error}") from error
        version = config.soap_version if config.soap_version in soap.NAMESPACES else "1.1"
        payload = soap.envelope(body, version)
        status, answer = self._post(payload, version)
        try:
            answer_version, element = soap.open_envelope(answer, max_bytes=config.max_response_bytes)
        except soap.SoapError as error:
            raise SsbtekBadResponse(f"the answer is not SOAP (HTTP {status}): {error}") from error
        if soap.is_fault(answer_version, element):
            text, detail = soap.read_fault(answer_version, element)
            code = ""
            if detail is not None and detail.tag == f"{{{SSBT}}}hamtaBastjanstInformationFault":
                code = (detail.findtext(f"{{{SSBT}}}felkod") or "").strip()
                messages = [(e.text or "").strip() for e in detail.findall(f"{{{SSBT}}}felmeddelande")]
                text = "; ".join(m for m in messages if m) or text
            raise SsbtekFault(text or "SOAP fault", code)
        if status != 200:
            raise SsbtekBadResponse(f"HTTP {status} without a SOAP fault")
        try:
            return read_response(
                element,
                correlation_id=request.correlation_id,
                period_start=request.period_start,
                period_end=request.period_end,
            )
        except ResponseError as error:
            raise SsbtekBadResponse(str(error)) from error

    def _post(self, payload: bytes, version: str) -> tuple[int, bytes]:
        config = self.config
        parts = urllib.parse.urlsplit(config.url)
        if parts.scheme != "https" or not parts.hostname:
            raise SsbtekUnavailable("SSBTEK is reached over HTTPS only; check SOCIALA_SSBTEK['url']")
        try:
            context = tls_context(config)
        except (OSError, ssl.SSLError) as error:
            raise SsbtekUnavailable(
                f"the certificates in SOCIALA_SSBTEK cannot be loaded: {error}"
            ) from error
        headers = {"Content-Type": soap.CONTENT_TYPES[version], "Accept": "text/xml, application/soap+xml"}
        if version == "1.1":
            headers["SOAPAction"] = soap.SOAP_ACTION
        path = parts.path or "/"
        if parts.query:
            path = f"{path}?{parts.query}"
        connection = http.client.HTTPSConnection(
            parts.hostname, parts.port or 443, context=context, timeout=config.timeout_seconds
        )
        try:
            connection.request("POST", path, body=payload, headers=headers)
            response = connection.getresponse()
            data = response.read(config.max_response_bytes + 1)
            if len(data) > config.max_response_bytes:
                raise SsbtekBadResponse("the answer is too large")
            return response.status, data
        except ssl.SSLError as error:
            raise SsbtekUnavailable(f"TLS handshake with SSBTEK failed: {error.reason or error}") from error
        except (OSError, http.client.HTTPException) as error:
            raise SsbtekUnavailable(f"SSBTEK did not answer: {error}") from error
        finally:
            connection.close()


def request_xml(request: InquiryRequest, version: str = "1.1") -> bytes:
    """The SOAP message the adapter sends for ``request`` (for the contract test and for support)."""
    return soap.envelope(build_request(request), version)


__all__ = [
    "SsbtekBadResponse",
    "SsbtekClient",
    "SsbtekError",
    "SsbtekFault",
    "SsbtekUnavailable",
    "etree",
    "request_xml",
    "tls_context",
]
