"""A throw-away PKI for the simulator: a CA, a server certificate for localhost and a client certificate.

Made with the ``openssl`` command (OpenSSL 3, on every machine that runs Sociala: Python's ``ssl`` module
is built on it), so that no extra Python package is needed. Keys are EC P-256; certificates are valid
for ``days`` days. Never use these files outside development and tests.
"""

from __future__ import annotations

import shutil
import subprocess  # noqa: S404 - runs the openssl command with fixed arguments
from dataclasses import dataclass
from pathlib import Path


class PkiError(RuntimeError):
    """The openssl command is missing or failed."""


@dataclass(frozen=True)
class Identity:
    """A certificate and its private key (PEM files)."""

    certificate: Path
    key: Path


@dataclass(frozen=True)
class ThrowawayPki:
    """A CA and the server and client identities it signed."""

    ca_certificate: Path
    ca_key: Path
    server: Identity
    client: Identity


def _openssl(*args: str, cwd: Path) -> None:
    binary = shutil.which("openssl")
    if binary is None:
        raise PkiError("the openssl command is not installed (Debian package openssl)")
    result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [binary, *args], cwd=cwd, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise PkiError(f"openssl {args[0]} failed: {result.stderr.strip()}")


def make_ca(directory: Path, name: str = "Sociala test CA", *, days: int = 30) -> tuple[Path, Path]:
    """A self-signed CA in ``directory``: (certificate, key)."""
    directory.mkdir(parents=True, exist_ok=True)
    slug = name.lower().replace(" ", "-")
    certificate, key = directory / f"{slug}.pem", directory / f"{slug}.key"
    _openssl(
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", key.name, "-out", certificate.name, "-days", str(days), "-subj", f"/CN={name}",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        "-addext", "subjectKeyIdentifier=hash",
        cwd=directory,
    )  # fmt: skip
    return certificate, key


def issue(
    directory: Path,
    ca: tuple[Path, Path],
    name: str,
    *,
    server: bool,
    days: int = 30,
) -> Identity:
    """A certificate for ``name`` signed by ``ca``: a TLS server (localhost, 127.0.0.1) or a TLS client."""
    directory.mkdir(parents=True, exist_ok=True)
    slug = name.lower().replace(" ", "-")
    key, request, certificate = (
        directory / f"{slug}.key",
        directory / f"{slug}.csr",
        directory / f"{slug}.pem",
    )
    extensions = directory / f"{slug}.ext"
    lines = [
        "basicConstraints=critical,CA:FALSE",
        "subjectKeyIdentifier=hash",
        "authorityKeyIdentifier=keyid,issuer",
    ]
    if server:
        lines += ["keyUsage=critical,digitalSignature", "extendedKeyUsage=serverAuth"]
        lines.append("subjectAltName=DNS:localhost,IP:127.0.0.1")
    else:
        lines += ["keyUsage=critical,digitalSignature", "extendedKeyUsage=clientAuth"]
    extensions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _openssl(
        "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", key.name, "-out", request.name, "-subj", f"/CN={name}",
        cwd=directory,
    )  # fmt: skip
    _openssl(
        "x509", "-req", "-in", request.name, "-CA", str(ca[0]), "-CAkey", str(ca[1]), "-set_serial",
        str(abs(hash((name, str(directory)))) % (2**63)), "-days", str(days),
        "-extfile", extensions.name, "-out", certificate.name,
        cwd=directory,
    )  # fmt: skip
    return Identity(certificate=certificate, key=key)


def make_test_pki(directory: Path, *, days: int = 30) -> ThrowawayPki:
    """A CA with a server identity for localhost and a client identity, in ``directory``."""
    ca = make_ca(directory, days=days)
    return ThrowawayPki(
        ca_certificate=ca[0],
        ca_key=ca[1],
        server=issue(directory, ca, "localhost", server=True, days=days),
        client=issue(directory, ca, "Sociala SSBTEK client", server=False, days=days),
    )
