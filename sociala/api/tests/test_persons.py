import pytest

from sociala.access.services import grant_emergency_access
from sociala.audit.models import AuditEvent
from sociala.people.choices import ProtectionLevel, RelationKind
from sociala.people.services import relate
from sociala.tests.factories import make_person

from .conftest import open_case


def person_json(person):
    return {
        "id": person.pk,
        "personal_identity_number": f"{person.personal_identity_number[:8]}-{person.personal_identity_number[8:]}",
        "first_name": person.first_name,
        "last_name": person.last_name,
        "birth_date": person.birth_date.isoformat(),
        "protection_level": person.protection_level,
        "is_deceased": person.is_deceased,
    }


# --- list and search -------------------------------------------------------------------------


def test_anonymous_is_401_on_every_person_endpoint(api, world):
    for path in ("/persons", f"/persons/{world.anna.pk}", f"/persons/{world.anna.pk}/cases"):
        assert api.get(path, None).status_code == 401
    assert AuditEvent.objects.filter(person_id=world.anna.pk).exclude(action="create_case").count() == 0


def test_without_a_query_the_persons_in_scope_are_listed_by_name(api, city, world):
    cecilia = make_person(city, first_name="Cecilia", last_name="Åberg")
    response = api.get("/persons", "handlaggare.ifo")
    assert response.status_code == 200
    body = response.json()
    assert body == {"items": [person_json(world.anna), person_json(cecilia)], "count": 2}
    event = AuditEvent.objects.get(action="search_persons")
    assert event.user_id == city.users["handlaggare.ifo"].pk
    assert event.details == {"kind": "none", "hits": 2, "offset": 0}
    assert event.person_id is None


def test_the_list_is_paginated(api, city, world):
    for index in range(4):
        make_person(city, first_name="Per", last_name=f"Person{index}")
    first = api.get("/persons", "handlaggare.ifo", limit=2).json()
    second = api.get("/persons", "handlaggare.ifo", limit=2, offset=2).json()
    assert first["count"] == second["count"] == 5
    assert [p["last_name"] for p in first["items"]] == ["Andersson", "Person0"]
    assert [p["last_name"] for p in second["items"]] == ["Person1", "Person2"]
    assert AuditEvent.objects.filter(action="search_persons").count() == 2


@pytest.mark.parametrize(("value", "status"), [(0, 422), (101, 422), (100, 200)])
def test_the_page_size_has_a_maximum(api, world, value, status):
    response = api.get("/persons", "handlaggare.ifo", limit=value)
    assert response.status_code == status
    if status == 422:
        assert set(response.json()["errors"]) == {"limit"}
        assert not AuditEvent.objects.filter(action="search_persons").exists()


@pytest.mark.parametrize(
    "form",
    [
        lambda n: n,
        lambda n: f"{n[:8]}-{n[8:]}",
        lambda n: f"{n[2:8]}-{n[8:]}",
        lambda n: n[2:],
        lambda n: f" {n[:8]} {n[8:]} ",
        lambda n: n[:8],
    ],
    ids=["12 digits", "12 with dash", "10 with dash", "10 digits", "spaces", "birth date only"],
)
def test_search_by_number_in_any_common_form(api, world, form):
    query = form(world.anna.personal_identity_number)
    response = api.get("/persons", "handlaggare.ifo", q=query)
    assert response.status_code == 200
    assert person_json(world.anna) in response.json()["items"]
    event = AuditEvent.objects.get(action="search_persons")
    assert event.details == {"kind": "number", "hits": 1, "offset": 0}
    assert world.anna.personal_identity_number[:8] not in str(event.details)


def test_search_by_name_prefixes_logs_the_kind_not_the_name(api, city, world):
    make_person(city, first_name="Annika", last_name="Berg")
    response = api.get("/persons", "handlaggare.ifo", q="ann and")
    assert response.json() == {"items": [person_json(world.anna)], "count": 1}
    event = AuditEvent.objects.get(action="search_persons")
    assert event.details == {"kind": "name", "hits": 1, "offset": 0}
    assert "ann" not in str(event.details).lower()


def test_search_never_finds_a_person_out_of_scope(api, world):
    response = api.get("/persons", "handlaggare.ifo", q=world.bo.personal_identity_number)
    assert response.json() == {"items": [], "count": 0}
    response = api.get("/persons", "handlaggare.ifo", q="Bo Berg")
    assert response.json() == {"items": [], "count": 0}


def test_a_protected_person_is_not_found_through_the_district(api, city, world):
    make_person(city, first_name="Skyddad", protection_level=ProtectionLevel.PROTECTED_REGISTRATION)
    response = api.get("/persons", "handlaggare.ao", q="Skyddad")
    assert response.json()["count"] == 0


# --- one person ------------------------------------------------------------------------------


def test_a_person_in_scope_with_address_and_relations(api, city, world):
    child = make_person(city, child=True, first_name="Ella", last_name="Andersson")
    relate(actor=city.users["handlaggare.ifo"], person=world.anna, related=child, kind=RelationKind.CHILD)
    before = AuditEvent.objects.count()
    response = api.get(f"/persons/{world.anna.pk}", "handlaggare.ifo")
    assert response.status_code == 200
    anna = world.anna
    assert response.json() == {
        **person_json(anna),
        "number_kind": "personal_identity_number",
        "sex": anna.sex,
        "deceased_on": None,
        "district": "Rinkeby-Kista stadsdelsnämnd",
        "address": {"street_address": "Kistagången 12", "postal_code": "16440", "city": "Kista"},
        "phone": "",
        "email": "",
        "address_protected": False,
        "is_emergency_access": False,
        "relations": [
            {"kind": "child", "valid_from": None, "valid_to": None, "related": person_json(child)},
        ],
    }
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("seq")
    assert (event.action, event.person_id, event.user_id) == (
        "view_person",
        anna.pk,
        city.users["handlaggare.ifo"].pk,
    )


def test_a_protected_address_is_never_shown(api, city):
    person = make_person(city, protection_level=ProtectionLevel.PROTECTED_REGISTRATION, phone="070-1")
    # A protected person is not reachable through the district: the case starts under emergency access.
    grant_emergency_access(actor=city.users["handlaggare.ifo"], person=person, reason="Ansökan vid besök")
    open_case(city, person, "handlaggare.ifo", "income_support_application")
    body = api.get(f"/persons/{person.pk}", "handlaggare.ifo").json()
    assert body["address"] is None
    assert body["phone"] is None
    assert body["email"] is None
    assert body["district"] is None
    assert body["address_protected"] is True
    assert "Kistagången" not in str(body)


def test_a_confidentiality_marked_address_is_shown_only_to_those_with_a_case(api, city):
    person = make_person(city, protection_level=ProtectionLevel.CONFIDENTIALITY_MARKED)
    open_case(city, person, "handlaggare.ifo", "income_support_application")
    with_case = api.get(f"/persons/{person.pk}", "handlaggare.ifo").json()
    through_district = api.get(f"/persons/{person.pk}", "handlaggare.ao").json()
    assert with_case["address"]["street_address"] == "Kistagången 12"
    assert with_case["address_protected"] is False
    assert through_district["address"] is None
    assert through_district["address_protected"] is True


def test_out_of_scope_and_missing_persons_look_the_same(api, world):
    before = AuditEvent.objects.count()
    out_of_scope = api.get(f"/persons/{world.bo.pk}", "handlaggare.ifo")
    missing = api.get("/persons/999999", "handlaggare.ifo")
    assert out_of_scope.status_code == missing.status_code == 404
    assert out_of_scope.json() == missing.json() == {"detail": "Not Found"}
    assert AuditEvent.objects.count() == before


def test_emergency_access_opens_one_person_and_is_flagged(api, city, world):
    jour = city.users["socialjour"]
    assert api.get(f"/persons/{world.bo.pk}", "socialjour").status_code == 404
    grant_emergency_access(actor=jour, person=world.bo, reason="Akut placering under natten, polisen ringde")
    response = api.get(f"/persons/{world.bo.pk}", "socialjour")
    assert response.status_code == 200
    assert response.json()["is_emergency_access"] is True
    event = AuditEvent.objects.filter(action="view_person").latest("seq")
    assert (event.person_id, event.is_emergency) == (world.bo.pk, True)
    assert event.reason.startswith("Akut placering")
    cases = api.get(f"/persons/{world.bo.pk}/cases", "socialjour").json()
    assert [c["id"] for c in cases["items"]] == [world.bo_case.pk]


# --- a person's cases ------------------------------------------------------------------------


def test_the_cases_of_a_person_in_scope(api, city, world):
    response = api.get(f"/persons/{world.anna.pk}/cases", "handlaggare.ifo")
    assert response.status_code == 200
    case = world.anna_case
    assert response.json() == {
        "items": [
            {
                "id": case.pk,
                "reference": case.reference,
                "case_type": {"code": "income_support_application", "name": case.case_type.name},
                "service_area": "individual_family",
                "stage": "intake",
                "received_on": case.received_on.isoformat(),
                "assigned_to": "Amina Hassan",
            }
        ],
        "count": 1,
    }
    events = AuditEvent.objects.filter(action="view_person_cases")
    assert [(e.person_id, e.user_id) for e in events] == [(world.anna.pk, city.users["handlaggare.ifo"].pk)]
    assert not AuditEvent.objects.filter(action="view_person").exists()


def test_only_the_cases_the_caller_may_see_are_listed(api, city, world):
    home_care = open_case(city, world.anna, "handlaggare.ao", "home_care_application")
    as_ao = api.get(f"/persons/{world.anna.pk}/cases", "handlaggare.ao").json()
    as_ifo = api.get(f"/persons/{world.anna.pk}/cases", "handlaggare.ifo").json()
    assert [c["id"] for c in as_ao["items"]] == [home_care.pk]
    assert [c["id"] for c in as_ifo["items"]] == [world.anna_case.pk]


def test_the_cases_of_a_person_out_of_scope_are_404(api, world):
    before = AuditEvent.objects.count()
    response = api.get(f"/persons/{world.bo.pk}/cases", "handlaggare.ifo")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/persons/abc", {}, "person_id"),
        ("/persons/0", {}, "person_id"),
        (f"/persons/{2**63}/cases", {}, "person_id"),
        ("/persons", {"q": "Anna\x00"}, "q"),
        ("/persons", {"q": "a" * 101}, "q"),
        ("/persons", {"offset": 10**12}, "offset"),
    ],
)
def test_invalid_input_is_422_and_nothing_is_logged(api, world, path, params, field):
    before = AuditEvent.objects.count()
    response = api.get(path, "handlaggare.ifo", **params)
    assert response.status_code == 422
    assert response.json()["detail"] == "Uppgifterna är inte giltiga."
    assert set(response.json()["errors"]) == {field}
    assert AuditEvent.objects.count() == before
