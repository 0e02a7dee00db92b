"""Reads of the person registry, restricted by the access policy and logged."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from sociala.access.policy import PersonAccess, name_search_branches, person_access, restrict_persons
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
    if query and not looks_like_identity_number(query):
        return _search_by_name(user, query, limit)
    persons = visible_persons(user)
    found = _search(persons, query)
    return found if limit is None else found[:limit]


def _search_by_name(user, query: str, limit: int | None) -> QuerySet[Person]:
    """Every word a prefix of the first or the last name, in Swedish order, among the persons of
    ``name_search_branches`` (each branch one of the policy's own rules, so a subset of
    ``restrict_persons``: checked for generated users in ``access/tests/test_policy_properties.py``).

    The longest word picks the rows from the (district, name) indexes, one branch a name column;
    the other words filter them. The branches' ids and sort keys are combined with UNION and cut at
    ``limit`` before any whole row is read."""
    combined = name_search_candidates(user, query)
    if combined is None:
        return Person.objects.none()
    ids = [row[0] for row in (combined if limit is None else combined[:limit])]
    return Person.objects.filter(pk__in=ids).order_by(
        swedish("last_name_key"), swedish("first_name_key"), "pk"
    )


def name_search_candidates(user, query: str):
    """The UNION of the branches' (id, sort keys) in Swedish order, or None when the user has none."""
    words = sorted(name_key(query).split(" "), key=len, reverse=True)
    first, others = words[0], words[1:]
    in_districts, reached = name_search_branches(user)
    # One branch per name column in the districts (a prefix range in each covering index), one for
    # the persons reached directly (read by primary key).
    branches = []
    if in_districts is not None:
        branches += [
            in_districts.filter(last_name_key__startswith=first),
            in_districts.filter(first_name_key__startswith=first),
        ]
    if reached is not None:
        branches.append(
            reached.filter(Q(first_name_key__startswith=first) | Q(last_name_key__startswith=first))
        )
    parts = []
    for part in branches:
        for word in others:
            part = part.filter(Q(first_name_key__startswith=word) | Q(last_name_key__startswith=word))
        parts.append(
            part.annotate(sort_last=swedish("last_name_key"), sort_first=swedish("first_name_key"))
            .order_by()
            .values_list("pk", "sort_last", "sort_first")
        )
    if not parts:
        return None
    return parts[0].union(*parts[1:]).order_by("sort_last", "sort_first", "pk")


def _search(persons: QuerySet[Person], query: str) -> QuerySet[Person]:
    """Everyone (no query) or by number; names go to ``_search_by_name``."""
    if not query:
        return persons.order_by(swedish("last_name_key"), swedish("first_name_key"))
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
