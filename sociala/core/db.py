"""Database helpers: a Swedish collation named ``sv`` on both engines."""

from __future__ import annotations

from django.db.backends.signals import connection_created
from django.db.models.functions import Collate

COLLATION = "sv"
_ALPHABET = "abcdefghijklmnopqrstuvwxyzåäö"
_ORDER = {char: index for index, char in enumerate(_ALPHABET)}
_FOLD = str.maketrans({"é": "e", "è": "e", "ü": "y", "æ": "ä", "ø": "ö", "à": "a", "á": "a"})


def swedish_key(text: str) -> tuple:
    """A sort key in Swedish alphabetical order: å, ä, ö after z; w with v is not applied (SAOL 13)."""
    folded = (text or "").lower().translate(_FOLD)
    return tuple((_ORDER.get(char, 100 + ord(char)), char) for char in folded)


def _sqlite_collate(left: str, right: str) -> int:
    a, b = swedish_key(left), swedish_key(right)
    return (a > b) - (a < b)


def _register(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_collation(COLLATION, _sqlite_collate)


connection_created.connect(_register)


def swedish(field: str) -> Collate:
    """An expression ordering a text field in Swedish order."""
    return Collate(field, COLLATION)
