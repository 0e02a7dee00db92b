"""TOTP (RFC 6238) against the RFC's own test vectors, and the rules around it: drift, replay."""

import pytest

from sociala.accounts import totp

SEEDS = {
    "sha1": b"12345678901234567890",
    "sha256": b"12345678901234567890123456789012",
    "sha512": b"1234567890123456789012345678901234567890123456789012345678901234",
}

# RFC 6238, appendix B: time, then the 8-digit code for SHA-1, SHA-256 and SHA-512.
VECTORS = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]


@pytest.mark.parametrize(("unix_time", "sha1", "sha256", "sha512"), VECTORS)
def test_rfc6238_test_vectors(unix_time, sha1, sha256, sha512):
    assert totp.totp(SEEDS["sha1"], unix_time, digits=8, digest="sha1") == sha1
    assert totp.totp(SEEDS["sha256"], unix_time, digits=8, digest="sha256") == sha256
    assert totp.totp(SEEDS["sha512"], unix_time, digits=8, digest="sha512") == sha512


def test_rfc4226_hotp_vectors():
    # RFC 4226 appendix D: the first counters of the same SHA-1 secret, 6 digits.
    expected = [
        "755224",
        "287082",
        "359152",
        "969429",
        "338314",
        "254676",
        "287922",
        "162583",
        "399871",
        "520489",
    ]
    assert [totp.hotp(SEEDS["sha1"], counter) for counter in range(10)] == expected


def test_secret_round_trip_and_uri():
    secret = totp.new_secret()
    assert len(secret) == 32 and secret.isalnum() and secret.upper() == secret
    assert len(totp.secret_bytes(secret)) == 20
    assert totp.secret_bytes(secret.lower()[:16] + " " + secret[16:]) == totp.secret_bytes(secret)
    uri = totp.provisioning_uri("JBSWY3DPEHPK3PXP", account="revisor", issuer="Sociala stad")
    assert uri == (
        "otpauth://totp/Sociala%20stad%3Arevisor?secret=JBSWY3DPEHPK3PXP&issuer=Sociala+stad"
        "&algorithm=SHA1&digits=6&period=30"
    )


def test_a_code_is_accepted_one_step_either_side_and_only_once():
    secret = "JBSWY3DPEHPK3PXP"
    key = totp.secret_bytes(secret)
    now = 1_700_000_015
    step = now // 30
    assert totp.matching_step(secret, totp.hotp(key, step), now) == step
    assert totp.matching_step(secret, totp.hotp(key, step - 1), now) == step - 1
    assert totp.matching_step(secret, totp.hotp(key, step + 1), now) == step + 1
    assert totp.matching_step(secret, totp.hotp(key, step - 2), now) is None
    assert totp.matching_step(secret, totp.hotp(key, step), now, after_step=step) is None
    assert totp.matching_step(secret, totp.hotp(key, step + 1), now, after_step=step) == step + 1
    assert totp.matching_step(secret, "12345", now) is None
    assert totp.matching_step(secret, "abcdef", now) is None
    assert totp.matching_step(secret, "", now) is None
