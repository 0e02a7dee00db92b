"""Persons: search, one person, a person's cases. Every read is logged."""

from __future__ import annotations

from ninja import Field, Query, Router

from sociala.audit.services import record_event
from sociala.cases.selectors import cases_of_person
from sociala.core.db import swedish
from sociala.core.identity_numbers import looks_like_identity_number
from sociala.people.selectors import person_for_user, relations_of, search_persons, visible_persons

from .common import ERRORS, require_personal_data_role
from .schemas import (
    CasePage,
    PageIn,
    PathId,
    PersonDetailOut,
    PersonPage,
    Text,
    case_out,
    person_detail_out,
    person_out,
)

router = Router(tags=["persons"])

# A search finds at most this many persons; a longer list means the query should be narrower.
SEARCH_HIT_LIMIT = 1000


class PersonSearchIn(PageIn):
    q: Text = Field("", max_length=100, description="a number in any common form, or name prefixes")


def query_kind(query: str) -> str:
    """What was searched for, for the audit log (never the query itself: it may be a name).

    The same kinds as the staff UI's search logs, so that log review reads both alike.
    """
    if not query:
        return "none"
    return "number" if looks_like_identity_number(query) else "name"


@router.get("", response={200: PersonPage, **ERRORS})
def list_persons(request, params: Query[PersonSearchIn]):
    """Search by number or name prefixes; without ``q``, the persons in the caller's scope by name."""
    user = request.auth
    require_personal_data_role(user)
    query = params.q.strip()
    if query:
        found = search_persons(user, query, limit=SEARCH_HIT_LIMIT)
    else:
        found = visible_persons(user).order_by(swedish("last_name_key"), swedish("first_name_key"), "pk")
    count = found.count()
    items = [person_out(p) for p in found[params.offset : params.offset + params.limit]]
    record_event(
        actor=user,
        action="search_persons",
        object_type="person",
        details={"kind": query_kind(query), "hits": len(items), "offset": params.offset},
    )
    return PersonPage(items=items, count=count)


@router.get("/{person_id}", response={200: PersonDetailOut, **ERRORS})
def get_person(request, person_id: PathId):
    """One person; the address only when the access policy shows it (else ``address_protected``)."""
    user = request.auth
    require_personal_data_role(user)
    person, access = person_for_user(user, person_id)
    return person_detail_out(person, access, list(relations_of(person)))


@router.get("/{person_id}/cases", response={200: CasePage, **ERRORS})
def list_cases_of_person(request, person_id: PathId):
    """The person's cases that the caller may see, newest first."""
    user = request.auth
    require_personal_data_role(user)
    person, _access = person_for_user(user, person_id, action="view_person_cases")
    items = [case_out(c) for c in cases_of_person(user, person)]
    return CasePage(items=items, count=len(items))
