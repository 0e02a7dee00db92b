"""Fixtures of the audit tests."""

from sociala.access.tests.wiring import wired  # noqa: F401 - a fixture
