"""Provisioning from the identity provider's groups, and group mappings, without a provider in between."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sociala.accounts.choices import Role
from sociala.accounts.models import Assignment, User
from sociala.audit.models import AuditEvent
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.sso.models import ExternalIdentity, GroupMapping, ProvisionedAssignment
from sociala.sso.services import (
    ExternalClaims,
    SsoRefused,
    add_group_mapping,
    end_group_mapping,
    sign_in_from_idp,
)

pytestmark = pytest.mark.django_db


def claims(groups, subject="sub-1", username="karin.lund", **extra):
    return ExternalClaims(
        idp="oidc",
        subject=subject,
        username=username,
        given_name=extra.get("given_name", "Karin"),
        family_name=extra.get("family_name", "Lund"),
        email=extra.get("email", "karin.lund@stad.example"),
        groups=tuple(groups),
    )


def test_first_sign_in_creates_the_user_with_the_mapped_assignments(mappings, city, today):
    result = sign_in_from_idp(
        claims=claims(["sociala-ifo-rinkeby", "sociala-chef-ao-bromma", "Domain Users"])
    )
    user = result.user
    assert result.created is True
    assert (user.username, user.first_name, user.last_name, user.email) == (
        "karin.lund",
        "Karin",
        "Lund",
        "karin.lund@stad.example",
    )
    rows = sorted((a.role, a.unit_id, a.valid_from, a.valid_to) for a in user.assignments.all())
    assert rows == sorted(
        [
            (Role.CASEWORKER, city.unit("Rinkeby-Kista", "individual_family").pk, today, None),
            (Role.UNIT_MANAGER, city.unit("Bromma", "elderly").pk, today, None),
        ]
    )
    assert user.roles == {Role.CASEWORKER, Role.UNIT_MANAGER}
    assert len(result.added) == 2 and result.ended == ()
    assert ExternalIdentity.objects.get(user=user).subject == "sub-1"


def test_the_same_subject_is_the_same_user_even_when_the_name_changes(mappings):
    first = sign_in_from_idp(claims=claims(["sociala-ifo-rinkeby"])).user
    again = sign_in_from_idp(
        claims=claims(
            ["sociala-ifo-rinkeby"],
            username="karin.berg",
            family_name="Berg",
            email="karin.berg@stad.example",
        )
    )
    assert again.user.pk == first.pk and again.created is False and again.added == ()
    first.refresh_from_db()
    assert (first.username, first.last_name, first.email) == ("karin.lund", "Berg", "karin.berg@stad.example")
    update = AuditEvent.objects.get(action="sso_update_user")
    assert update.details["changes"] == {
        "last_name": {"before": "Lund", "after": "Berg"},
        "email": {"before": "karin.lund@stad.example", "after": "karin.berg@stad.example"},
    }
    assert Assignment.objects.filter(user=first).count() == 1


def test_a_taken_user_name_is_not_reused(mappings, city):
    # A local user already has the name the provider suggests: the new user gets its own.
    user = sign_in_from_idp(claims=claims(["sociala-ifo-rinkeby"], username="handlaggare.ifo")).user
    assert user.username == "oidc.sub-1"
    assert city.users["handlaggare.ifo"].external_identities.count() == 0


def test_groups_removed_at_the_provider_end_only_provisioned_assignments(mappings, city, today):
    user = sign_in_from_idp(claims=claims(["sociala-ifo-rinkeby", "sociala-chef-ao-bromma"])).user
    local = Assignment.objects.create(
        user=user, role=Role.CASEWORKER, unit=city.unit("Bromma", "individual_family"), valid_from=today
    )
    result = sign_in_from_idp(claims=claims(["sociala-ifo-rinkeby"]))
    assert len(result.ended) == 1
    ended = Assignment.objects.get(pk=result.ended[0])
    assert (ended.role, ended.valid_to) == (Role.UNIT_MANAGER, today - timedelta(days=1))
    local.refresh_from_db()
    assert local.valid_to is None
    user = User.objects.get(pk=user.pk)
    assert {(a.role, a.unit_id) for a in user.active_assignments(today)} == {
        (Role.CASEWORKER, city.unit("Rinkeby-Kista", "individual_family").pk),
        (Role.CASEWORKER, city.unit("Bromma", "individual_family").pk),
    }
    event = AuditEvent.objects.get(action="sso_end_assignment")
    assert event.details["group"] == "sociala-chef-ao-bromma" and event.object_id == str(ended.pk)
    # The group comes back: a new assignment, the ended one stays as history.
    result = sign_in_from_idp(claims=claims(["sociala-ifo-rinkeby", "sociala-chef-ao-bromma"]))
    assert len(result.added) == 1 and result.added[0] != ended.pk
    assert ProvisionedAssignment.objects.filter(assignment__user=user).count() == 3


def test_no_mapped_group_creates_nothing(mappings):
    events = AuditEvent.objects.count()
    with pytest.raises(SsoRefused) as refused:
        sign_in_from_idp(claims=claims(["Domain Users"]))
    assert refused.value.code == "no_group"
    assert "ger ingen behörighet i Sociala" in refused.value.message
    assert not User.objects.filter(username="karin.lund").exists()
    assert not ExternalIdentity.objects.exists()
    assert AuditEvent.objects.count() == events


def test_an_existing_user_who_lost_every_group_loses_provisioned_access_and_is_refused(mappings, today):
    user = sign_in_from_idp(claims=claims(["sociala-ifo-rinkeby"])).user
    with pytest.raises(SsoRefused):
        sign_in_from_idp(claims=claims([]))
    assert not User.objects.get(pk=user.pk).active_assignments(today)
    assert AuditEvent.objects.filter(action="sso_end_assignment").count() == 1


def test_a_deactivated_user_is_refused_and_nothing_changes(mappings):
    user = sign_in_from_idp(claims=claims(["sociala-ifo-rinkeby"])).user
    User.objects.filter(pk=user.pk).update(is_active=False)
    with pytest.raises(SsoRefused) as refused:
        sign_in_from_idp(claims=claims(["sociala-ifo-rinkeby", "sociala-chef-ao-bromma"]))
    assert refused.value.code == "inactive"
    assert Assignment.objects.filter(user=user).count() == 1


def test_an_ended_mapping_grants_nothing(mappings, city, today):
    end_group_mapping(
        actor=city.users["admin"], mapping=mappings[("oidc", "chef")], last_day=today - timedelta(days=1)
    )
    with pytest.raises(SsoRefused):
        sign_in_from_idp(claims=claims(["sociala-chef-ao-bromma"]))
    mapping = GroupMapping.objects.get(pk=mappings[("oidc", "chef")].pk)
    assert mapping.valid_to == today - timedelta(days=1)


def test_mappings_of_another_provider_do_not_apply(mappings):
    with pytest.raises(SsoRefused):
        sign_in_from_idp(claims=ExternalClaims(idp="other", subject="s", groups=("sociala-ifo-rinkeby",)))


def test_sign_in_queries_are_constant(mappings, django_assert_max_num_queries):
    sign_in_from_idp(claims=claims(["sociala-ifo-rinkeby", "sociala-chef-ao-bromma"]))
    with django_assert_max_num_queries(8):
        sign_in_from_idp(claims=claims(["sociala-ifo-rinkeby", "sociala-chef-ao-bromma"]))


@pytest.mark.parametrize(
    "username, allowed",
    [
        ("admin", True),
        ("admin.lokal", False),
        ("chef.ifo", False),
        ("handlaggare.ifo", False),
        ("revisor", False),
        ("controller", False),
    ],
)
def test_only_the_system_administrator_maps_groups(city, username, allowed):
    actor = city.users[username]
    before = (GroupMapping.objects.count(), AuditEvent.objects.count())
    call = dict(actor=actor, idp="oidc", group="g", role=Role.CASEWORKER, unit=city.unit("Bromma", "elderly"))
    if allowed:
        mapping = add_group_mapping(**call)
        assert AuditEvent.objects.get(action="sso_add_group_mapping").object_id == str(mapping.pk)
    else:
        with pytest.raises(NotPermitted):
            add_group_mapping(**call)
        assert (GroupMapping.objects.count(), AuditEvent.objects.count()) == before


def test_a_mapping_must_say_where(city):
    with pytest.raises(InvalidInput) as error:
        add_group_mapping(actor=city.users["admin"], idp="oidc", group="g", role=Role.CASEWORKER)
    assert set(error.value.errors) == {"unit"}
    with pytest.raises(InvalidInput) as error:
        add_group_mapping(actor=city.users["admin"], idp="oidc", group=" ", role="boss")
    assert set(error.value.errors) == {"group", "role"}
    assert not GroupMapping.objects.exists()
