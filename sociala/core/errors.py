"""Exceptions every service raises the same way."""

from __future__ import annotations


class InvalidInput(ValueError):
    """Input that breaks a rule; ``errors`` maps field names to translated messages. Nothing was written."""

    def __init__(self, errors: dict[str, str]):
        self.errors = {key: str(value) for key, value in errors.items()}
        super().__init__("; ".join(f"{key}: {value}" for key, value in self.errors.items()))


class NotPermitted(Exception):
    """The actor may not do this. Shown as not found, so that existence is not revealed."""
