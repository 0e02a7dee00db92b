"""Reads of the person registry, restricted by the access policy and logged."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from sociala.access.policy import PersonAccess, person_access, restrict_persons
from sociala.audit.services import record_event
from sociala.core.db import swedish
from sociala.core.identity_numbers import (
    InvalidIdentityNumber,
    looks_like_identity_number,
    parse_identity_number,
)

from .models import Person, name_key


def visible_persons(user) -> QuerySet[Person]:
    """The persons the user may see."""
    return restrict_persons(Person.objects.all(), user)


def search_persons(user, query: str, *, limit: int | None = 50) -> QuerySet[Person]:
    """Search by number in any common form, or by name prefixes (every word a prefix of a name)."""
    query = (query or "").strip()
    persons = visible_persons(user)
    found = _search(persons, query)
    return found if limit is None else found[:limit]


def _search(persons: QuerySet[Person], query: str) -> QuerySet[Person]:
    if not query:
        return persons.order_by(swedish("last_name_key"), swedish("first_name_key"))
    if looks_like_identity_number(query):
        digits = query.replace("-", "").replace("+", "").replace(" ", "").upper()
        try:
            number = parse_identity_number(query).value
            return persons.filter(personal_identity_number=number)
        except InvalidIdentityNumber:
            # A partial number: match the start, or the 10-digit form's start.
            return persons.filter(
                Q(personal_identity_number__startswith=digits)
                | Q(personal_identity_number__regex=r"^\d{2}" + digits)
            ).order_by("personal_identity_number")
    q = Q()
    for word in name_key(query).split(" "):
        q &= Q(first_name_key__startswith=word) | Q(last_name_key__startswith=word)
    return persons.filter(q).order_by(swedish("last_name_key"), swedish("first_name_key"))


def person_for_user(user, person_id: int, *, action: str = "view_person") -> tuple[Person, PersonAccess]:
    """Open one person: 404 when missing or out of scope; the read is logged (flagged under emergency)."""
    person = Person.objects.select_related("district").filter(pk=person_id).first()
    if person is None:
        raise Http404
    access = person_access(user, person)
    if not access.allowed:
        raise Http404
    record_event(
        actor=user,
        action=action,
        person_id=person.pk,
        object_type="person",
        object_id=person.pk,
        is_emergency=access.is_emergency,
        reason=access.reason,
    )
    return person, access


def relations_of(person: Person):
    """The person's relations (each relation is stored in both directions), for the person page."""
    return person.relations.select_related("related").order_by("kind")
