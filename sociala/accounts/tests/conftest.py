"""Fixtures of the accounts tests."""

from sociala.access.tests.wiring import wired  # noqa: F401 - a fixture
