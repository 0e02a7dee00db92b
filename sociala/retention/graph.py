"""Which rows make up a person's case file (personakt), found from the models themselves.

Every model that refers to the person, or to a row of the case file, with ``PROTECT``,
``RESTRICT`` or ``CASCADE`` belongs to the case file: a case, its decisions, their items, the
interventions, orders, journal entries, objections, documents, reports of concern, fee decisions,
payments, consents, a provider's implementation plan … This is worked out from the relations
(``Model._meta``), so a model another app adds later is culled with the file without a change here.
References with ``SET_NULL``, ``SET_DEFAULT`` or ``DO_NOTHING`` are not followed: the row does not
belong to the file (Django clears or leaves the reference when the file goes).

The audit log is never part of a case file: it refers to persons by number, not by relation, and
its models are listed in ``NEVER_CULLED`` in case that ever changes (a reference from such a model
then stops the culling of that file, which the run reports).

``OWNED_FORWARD`` names rows the case file points at and owns: a case's process instance.

``delete_order()`` sorts the models so that a referring model comes before the model it refers
to (a topological order of the foreign keys), which lets every delete respect ``PROTECT``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import cast

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models

NEVER_CULLED_APPS = frozenset({"audit"})
# Rows a case file points at and owns: (model label, field name).
OWNED_FORWARD = (("cases.Case", "process"),)
FOLLOWED = (models.PROTECT, models.RESTRICT, models.CASCADE)
MAX_DEPTH = 8


@dataclass(frozen=True)
class Node:
    """A model of the case file and the lookups from it to the person's id (one per path).

    ``paths`` are ORM lookups: ``filter(**{path: person_id})`` finds the rows of one file,
    ``values(path)`` gives the person a row belongs to. The person's own path is ``pk``.
    """

    model: type[models.Model]
    paths: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.model._meta.label


def _person_model():
    return apps.get_model("people", "Person")


def _reverse_relations(model):
    for relation in model._meta.related_objects:
        if relation.many_to_many or not relation.field.concrete:
            continue
        if relation.on_delete not in FOLLOWED:
            continue
        yield relation


@lru_cache(maxsize=1)
def case_file_nodes() -> tuple[Node, ...]:
    """Every model of a case file, the person first, each with its lookups to the person."""
    person = _person_model()
    paths: dict[type[models.Model], list[str]] = {person: ["pk"]}
    queue: list[tuple[type[models.Model], str | None, int]] = [(person, None, 0)]
    while queue:
        model, parent_path, depth = queue.pop(0)
        if depth >= MAX_DEPTH:
            raise ImproperlyConfigured(f"the case file's relations are deeper than {MAX_DEPTH} at {model}")
        for relation in _reverse_relations(model):
            related = relation.related_model
            if related is model:
                continue  # a row referring to a row of the same model (a correction) is in the file already
            if related._meta.app_label in NEVER_CULLED_APPS:
                continue
            name = relation.field.name
            path = name if parent_path is None else f"{name}__{parent_path}"
            known = paths.setdefault(related, [])
            if path in known:
                continue
            known.append(path)
            queue.append((related, path, depth + 1))
    for label, field_name in OWNED_FORWARD:
        owner = apps.get_model(label)
        if owner in paths:
            field = cast("models.ForeignKey", owner._meta.get_field(field_name))
            reverse = field.related_query_name()
            owned = paths.setdefault(cast("type[models.Model]", field.related_model), [])
            for owner_path in paths[owner]:
                owned.append(reverse if owner_path == "pk" else f"{reverse}__{owner_path}")
    return tuple(Node(model, tuple(found)) for model, found in paths.items())


def node_for(model) -> Node | None:
    for node in case_file_nodes():
        if node.model is model:
            return node
    return None


@lru_cache(maxsize=1)
def delete_order() -> tuple[Node, ...]:
    """The case file's models, each before every model it refers to (so ``PROTECT`` never stops a delete)."""
    nodes = {node.model: node for node in case_file_nodes()}
    refers_to: dict[type[models.Model], set[type[models.Model]]] = {model: set() for model in nodes}
    for model in nodes:
        for field in model._meta.concrete_fields:
            target = field.related_model if field.is_relation else None
            if target is not None and target is not model and target in nodes:
                refers_to[model].add(target)
    ordered: list[type[models.Model]] = []
    remaining = dict(refers_to)
    while remaining:
        # Models nothing remaining refers to can go now.
        free = sorted(
            (
                m
                for m in remaining
                if not any(m in targets for other, targets in remaining.items() if other is not m)
            ),
            key=lambda m: m._meta.label,
        )
        if not free:
            cycle = ", ".join(sorted(m._meta.label for m in remaining))
            raise ImproperlyConfigured(f"the case file's models refer to each other in a cycle: {cycle}")
        for model in free:
            ordered.append(model)
            del remaining[model]
    return tuple(nodes[m] for m in ordered)


def self_references(model) -> list[str]:
    """Names of the model's foreign keys to itself (a correction pointing at the corrected entry)."""
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is model and f.remote_field.on_delete in FOLLOWED
    ]


def file_fields(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
