"""The simulator's RSA signing key: made once, kept in the var folder, published as a JWKS."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from jwt.algorithms import RSAAlgorithm

_lock = threading.Lock()


def key_path() -> Path:
    return Path(settings.VAR_DIR) / "eid-simulator" / "signing-key.pem"


def _load_or_create(path: Path) -> rsa.RSAPrivateKey:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        # Written to a temporary file and renamed: two processes starting at once keep one key.
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".key-")
        with os.fdopen(handle, "wb") as out:
            out.write(pem)
        os.chmod(temporary, 0o600)
        try:
            os.link(temporary, path)  # fails if another process got there first
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(loaded, rsa.RSAPrivateKey):
        raise ValueError(f"{path} is not an RSA key")
    return loaded


@lru_cache(maxsize=4)
def _signing_key_at(path: str) -> rsa.RSAPrivateKey:
    with _lock:
        return _load_or_create(Path(path))


def signing_key() -> rsa.RSAPrivateKey:
    return _signing_key_at(str(key_path()))


def public_jwk(key: rsa.RSAPrivateKey | None = None) -> dict:
    """The public key as a JWK with its RFC 7638 thumbprint as ``kid``."""
    key = key or signing_key()
    jwk = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    canonical = json.dumps(
        {"e": jwk["e"], "kty": "RSA", "n": jwk["n"]}, separators=(",", ":"), sort_keys=True
    )
    kid = base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()
    return {"kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid, "n": jwk["n"], "e": jwk["e"]}
