"""Exceptions every service raises the same way."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise

# A message for the user: a plain string or a lazily translated one.
Message = str | Promise


class InvalidInput(ValueError):
    """Input that breaks a rule; ``errors`` maps field names to translated messages. Nothing was written."""

    def __init__(self, errors: Mapping[str, Message]):
        self.errors = {key: str(value) for key, value in errors.items()}
        super().__init__("; ".join(f"{key}: {value}" for key, value in self.errors.items()))


class NotPermitted(Exception):
    """The actor may not do this. Shown as not found, so that existence is not revealed."""
