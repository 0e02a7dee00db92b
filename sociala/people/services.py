"""Writes to the person registry."""

from __future__ import annotations

from django.db import transaction

from sociala.audit.services import record_event
from sociala.core.identity_numbers import parse_identity_number

from .choices import INVERSE_RELATION
from .models import Person, Relation


@transaction.atomic
def register_person(*, actor, number: str, first_name: str, last_name: str, **fields) -> Person:
    """Add a person to the registry from a written identity number (validated)."""
    parsed = parse_identity_number(number)
    person = Person(
        personal_identity_number=parsed.value,
        number_kind=parsed.kind,
        birth_date=parsed.birth_date,
        sex=parsed.sex,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        **fields,
    )
    person.full_clean()
    person.save()
    record_event(
        actor=actor, action="create_person", person_id=person.pk, object_type="person", object_id=person.pk
    )
    return person


@transaction.atomic
def relate(*, actor, person: Person, related: Person, kind: str) -> Relation:
    """Record a relation and its inverse (guardian ↔ child, partner ↔ partner)."""
    relation, _ = Relation.objects.get_or_create(person=person, related=related, kind=kind)
    inverse = INVERSE_RELATION.get(kind)
    if inverse:
        Relation.objects.get_or_create(person=related, related=person, kind=inverse)
    record_event(
        actor=actor,
        action="create_relation",
        person_id=person.pk,
        object_type="relation",
        object_id=relation.pk,
        details={"related_id": related.pk, "kind": kind},
    )
    return relation
