"""Access administration: local administrators change their own district only, teams in bulk, leavers,
recertification and expiry. Every denied change leaves nothing behind; every change is audited."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from sociala.access.policy import scope_for
from sociala.accounts.choices import Role
from sociala.accounts.models import Assignment, RecertificationRule, TeamAccess, User
from sociala.accounts.services import administration as admin
from sociala.accounts.services import system_actor
from sociala.audit.models import AuditEvent
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.organization.models import Team


@pytest.fixture
def newcomer(db):
    return User.objects.create(username="ny.handlaggare", first_name="Nils", last_name="Ny")


def team_of(city, district: str, key: str) -> Team:
    return Team.objects.get(unit=city.unit(district, key))


def snapshot():
    return (
        list(Assignment.objects.order_by("pk").values_list("pk", "valid_to", "certified_on")),
        AuditEvent.objects.count(),
    )


DENIED = ["handlaggare.ifo", "chef.ifo", "utforare.hemtjanst", "socialjour", "revisor", "controller"]


@pytest.mark.parametrize("username", DENIED)
def test_only_administrators_add_assignments(city, newcomer, today, username):
    before = snapshot()
    with pytest.raises(NotPermitted):
        admin.add_assignment(
            actor=city.users[username],
            user=newcomer,
            role=Role.CASEWORKER,
            unit=city.unit("Rinkeby-Kista", "elderly"),
            valid_from=today,
        )
    assert snapshot() == before


def test_the_local_administrator_adds_access_in_their_own_district(city, newcomer, today):
    assignment = admin.add_assignment(
        actor=city.users["admin.lokal"],
        user=newcomer,
        role=Role.CASEWORKER,
        unit=city.unit("Rinkeby-Kista", "elderly"),
        valid_from=today,
        valid_to=today + timedelta(days=90),
    )
    assert scope_for(newcomer).case_unit_ids == {city.unit("Rinkeby-Kista", "elderly").pk}
    assert assignment.certified_on == today and assignment.certified_by == city.users["admin.lokal"]
    event = AuditEvent.objects.get(action="add_assignment")
    assert event.username == "admin.lokal" and event.object_id == str(assignment.pk)
    assert event.details["username"] == "ny.handlaggare" and event.details["role"] == "caseworker"
    assert event.details["valid_to"] == (today + timedelta(days=90)).isoformat()


def test_the_local_administrator_cannot_change_bromma(city, newcomer, today):
    actor = city.users["admin.lokal"]
    before = snapshot()
    with pytest.raises(InvalidInput) as error:
        admin.add_assignment(
            actor=actor,
            user=newcomer,
            role=Role.CASEWORKER,
            unit=city.unit("Bromma", "elderly"),
            valid_from=today,
        )
    assert list(error.value.errors) == ["unit"]
    bromma_caseworker = city.users["handlaggare.ifo.bromma"].assignments.get()
    with pytest.raises(NotPermitted):
        admin.end_assignment(actor=actor, assignment=bromma_caseworker, last_day=today)
    with pytest.raises(NotPermitted):
        admin.add_team_member(
            actor=actor, user=newcomer, team=team_of(city, "Bromma", "elderly"), valid_from=today
        )
    with pytest.raises(NotPermitted):
        admin.recertify_assignment(actor=actor, assignment=bromma_caseworker)
    assert snapshot() == before


def test_the_system_administrator_administers_every_district_and_role(city, newcomer, today):
    actor = city.users["admin"]
    admin.add_assignment(
        actor=actor,
        user=newcomer,
        role=Role.CASEWORKER,
        unit=city.unit("Bromma", "elderly"),
        valid_from=today,
    )
    admin.add_assignment(
        actor=actor,
        user=newcomer,
        role=Role.LOCAL_ADMINISTRATOR,
        committee=city.districts["Bromma"],
        valid_from=today,
    )
    assert admin.admin_scope(newcomer).district_ids == {city.districts["Bromma"].pk}


@pytest.mark.parametrize(
    ("role", "field"),
    [(Role.LOG_REVIEWER, "role"), (Role.SYSTEM_ADMINISTRATOR, "role"), (Role.LOCAL_ADMINISTRATOR, "role")],
)
def test_local_administrators_give_only_unit_roles(city, newcomer, today, role, field):
    before = snapshot()
    with pytest.raises(InvalidInput) as error:
        admin.add_assignment(
            actor=city.users["admin.lokal"],
            user=newcomer,
            role=role,
            unit=city.unit("Rinkeby-Kista", "elderly"),
            committee=city.districts["Rinkeby-Kista"],
            valid_from=today,
        )
    assert field in error.value.errors
    assert snapshot() == before


def test_nobody_changes_their_own_access_nor_backdates_it(city, today):
    actor = city.users["admin.lokal"]
    with pytest.raises(InvalidInput) as error:
        admin.add_assignment(
            actor=actor,
            user=actor,
            role=Role.CASEWORKER,
            unit=city.unit("Rinkeby-Kista", "elderly"),
            valid_from=today,
        )
    assert list(error.value.errors) == ["user"]
    with pytest.raises(InvalidInput) as error:
        admin.add_assignment(
            actor=actor,
            user=city.users["handlaggare.ao"],
            role=Role.CASEWORKER,
            unit=city.unit("Rinkeby-Kista", "disability"),
            valid_from=today - timedelta(days=1),
        )
    assert list(error.value.errors) == ["valid_from"]
    assert not AuditEvent.objects.filter(action="add_assignment").exists()


def test_ending_an_assignment_takes_effect_after_the_last_day(city, today):
    user = city.users["handlaggare.ao"]
    assignment = user.assignments.get()
    admin.end_assignment(actor=city.users["admin.lokal"], assignment=assignment, last_day=today)
    assignment.refresh_from_db()
    assert assignment.valid_to == today
    assert user.active_assignments(today) == [assignment]
    assert user.active_assignments(today + timedelta(days=1)) == []
    with pytest.raises(InvalidInput):  # only ever earlier
        admin.end_assignment(
            actor=city.users["admin.lokal"], assignment=assignment, last_day=today + timedelta(days=3)
        )
    with pytest.raises(InvalidInput):
        admin.end_assignment(
            actor=city.users["admin.lokal"], assignment=assignment, last_day=today - timedelta(days=2)
        )
    event = AuditEvent.objects.get(action="end_assignment")
    assert event.details["valid_to"] == today.isoformat() and event.details["valid_to_before"] is None


def test_a_unit_manager_ends_access_in_their_units_only(city, today):
    manager = city.users["chef.ifo"]
    admin.end_assignment(
        actor=manager, assignment=city.users["handlaggare.ifo"].assignments.get(), last_day=today
    )
    with pytest.raises(NotPermitted):
        admin.end_assignment(
            actor=manager, assignment=city.users["handlaggare.ao"].assignments.get(), last_day=today
        )


# --- Teams ---------------------------------------------------------------------------------------------


def test_a_new_team_member_gets_the_teams_access_and_loses_it_on_leaving(city, newcomer, today):
    actor = city.users["admin.lokal"]
    team = team_of(city, "Rinkeby-Kista", "elderly")
    admin.add_team_access(actor=actor, team=team, role=Role.CASEWORKER, valid_from=today)
    admin.add_team_access(
        actor=actor, team=team, role=Role.CASEWORKER, service_areas=["health"], valid_from=today
    )
    created = admin.add_team_member(actor=actor, user=newcomer, team=team, valid_from=today)
    assert sorted((a.role, a.team_id, a.unit_id, tuple(a.service_areas)) for a in created) == [
        ("caseworker", team.pk, team.unit_id, ()),
        ("caseworker", team.pk, team.unit_id, ("health",)),
    ]
    assert list(admin.team_members(team)) == [newcomer]
    with pytest.raises(InvalidInput):  # already a member
        admin.add_team_member(actor=actor, user=newcomer, team=team, valid_from=today)
    ended = admin.end_team_membership(
        actor=actor, user=newcomer, team=team, last_day=today + timedelta(days=7)
    )
    assert ended == 2
    assert {a.valid_to for a in newcomer.assignments.all()} == {today + timedelta(days=7)}
    assert AuditEvent.objects.filter(action="add_assignment").count() == 2
    assert AuditEvent.objects.filter(action="end_assignment").count() == 2


def test_a_teams_new_access_reaches_all_members_and_ending_it_ends_theirs(city, newcomer, today):
    actor = city.users["admin.lokal"]
    team = team_of(city, "Rinkeby-Kista", "elderly")
    first = admin.add_team_access(actor=actor, team=team, role=Role.CASEWORKER, valid_from=today)
    second_member = User.objects.create(username="andra.medlem")
    admin.add_team_member(actor=actor, user=newcomer, team=team, valid_from=today)
    admin.add_team_member(actor=actor, user=second_member, team=team, valid_from=today)
    extra = admin.add_team_access(
        actor=actor, team=team, role=Role.UNIT_MANAGER, valid_from=today, give_to_members=True
    )
    assert Assignment.objects.filter(team_access=extra).count() == 2
    assert admin.end_team_access(actor=actor, team_access=first, last_day=today) == 2
    assert set(Assignment.objects.filter(team_access=first).values_list("valid_to", flat=True)) == {today}
    assert Assignment.objects.filter(team_access=extra, valid_to__isnull=True).count() == 2
    assert TeamAccess.objects.get(pk=first.pk).valid_to == today


def test_a_leaver_loses_everything_in_the_district_on_the_end_date(city, today):
    user = city.users["chef.ifo"]  # manages two units in Rinkeby-Kista
    admin.add_assignment(
        actor=city.users["admin"],
        user=user,
        role=Role.CASEWORKER,
        unit=city.unit("Bromma", "individual_family"),
        valid_from=today,
    )
    ended, outside = admin.end_all_access(
        actor=city.users["admin.lokal"], user=user, last_day=today + timedelta(days=30)
    )
    assert (ended, outside) == (2, 1)
    user = User.objects.get(pk=user.pk)
    assert [
        a.unit.administration.committee.name for a in user.active_assignments(today + timedelta(days=31))
    ] == ["Bromma stadsdelsnämnd"]
    event = AuditEvent.objects.get(action="end_all_access")
    assert event.details == {
        "last_day": (today + timedelta(days=30)).isoformat(),
        "ended": 2,
        "outside_scope": 1,
    }


# --- Recertification -------------------------------------------------------------------------------------


def test_managers_recertify_their_units_staff_and_administrators_their_district(city, today):
    manager_rows = admin.assignments_to_recertify(city.users["chef.ifo"])
    assert sorted(a.user.username for a in manager_rows) == ["handlaggare.barn", "handlaggare.ifo"]
    admin_rows = admin.assignments_to_recertify(city.users["admin.lokal"])
    assert sorted(a.user.username for a in admin_rows) == [
        "chef.ifo",
        "chef.ifo",
        "handlaggare.ao",
        "handlaggare.barn",
        "handlaggare.ifo",
        "handlaggare.lss",
    ]
    assert admin.assignments_to_recertify(city.users["handlaggare.ifo"]).count() == 0


def test_recertification_confirms_and_unconfirmed_access_expires(city, today):
    assert admin.recertification_period_days(today) == 180
    caseworker = city.users["handlaggare.ifo"].assignments.get()
    other = city.users["handlaggare.ao"].assignments.get()
    sysadmin = city.users["admin"].assignments.get()
    Assignment.objects.update(certified_on=today - timedelta(days=181))
    admin.recertify_assignment(actor=city.users["chef.ifo"], assignment=caseworker)
    caseworker.refresh_from_db()
    assert caseworker.certified_on == today and caseworker.certified_by == city.users["chef.ifo"]
    with pytest.raises(NotPermitted):
        admin.recertify_assignment(actor=city.users["chef.ifo"], assignment=other)

    expired = admin.expire_unrecertified(actor=system_actor(), on=today)
    expired_ids = {a.pk for a in expired}
    assert other.pk in expired_ids and caseworker.pk not in expired_ids and sysadmin.pk not in expired_ids
    other.refresh_from_db()
    assert other.valid_to == today - timedelta(days=1)
    assert scope_for(User.objects.get(username="handlaggare.ao")).case_unit_ids == set()
    assert AuditEvent.objects.filter(action="expire_assignment").count() == len(expired)
    assert admin.expire_unrecertified(actor=city.users["admin"], on=today) == []  # nothing twice


def test_the_period_is_data_with_a_date(city, today):
    RecertificationRule.objects.create(valid_from=today, period_days=30)
    assert admin.recertification_period_days(today) == 30
    assert admin.recertification_period_days(today - timedelta(days=1)) == 180
    Assignment.objects.update(certified_on=today - timedelta(days=31))
    expired = admin.expire_unrecertified(actor=city.users["admin"], on=today)
    assert len(expired) == Assignment.objects.exclude(role=Role.SYSTEM_ADMINISTRATOR).count()


def test_the_daily_command_expires_unconfirmed_access(city, today, capsys):
    Assignment.objects.filter(user__username="handlaggare.lss").update(certified_on=date(2020, 1, 1))
    call_command("expire_access")
    out = capsys.readouterr().out
    assert "Recertification (180 days): 1 assignments expired." in out and "handlaggare.lss" in out
    event = AuditEvent.objects.get(action="expire_assignment")
    assert event.username == "sociala-system"


# --- Pages ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["handlaggare.ifo", "revisor", "controller", "utforare.hemtjanst"])
def test_the_administration_pages_are_not_found_for_others(city, wired, username):
    wired.force_login(city.users[username])
    assert wired.get(reverse("access:home")).status_code == 404
    assert wired.get(reverse("access:user_access", args=[city.users["handlaggare.ao"].pk])).status_code == 404
    team = team_of(city, "Rinkeby-Kista", "elderly")
    assert wired.get(reverse("access:team_detail", args=[team.pk])).status_code == 404


def test_the_administrator_adds_access_on_the_page(city, wired, newcomer, today):
    wired.force_login(city.users["admin.lokal"])
    home = wired.get(reverse("access:home"))
    assert home.status_code == 200 and "Amina Hassan" in home.content.decode()
    assert "Maria Ek" not in home.content.decode()  # Bromma staff are not listed
    url = reverse("access:user_access", args=[newcomer.pk])
    page = wired.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Äldreomsorg, myndighet Rinkeby-Kista" in html and "Äldreomsorg, myndighet Bromma" not in html
    bromma = wired.post(
        url,
        {
            "action": "add",
            "add-role": "caseworker",
            "add-unit": city.unit("Bromma", "elderly").pk,
            "add-valid_from": today,
        },
    )
    assert bromma.status_code == 422 and not newcomer.assignments.exists()
    response = wired.post(
        url,
        {
            "action": "add",
            "add-role": "caseworker",
            "add-unit": city.unit("Rinkeby-Kista", "elderly").pk,
            "add-service_areas": ["elderly", "health"],
            "add-valid_from": today,
        },
    )
    assert response.status_code == 302
    assert newcomer.assignments.get().service_areas == ["elderly", "health"]
    response = wired.post(
        reverse("access:assignment_end", args=[newcomer.assignments.get().pk]), {"end-last_day": today}
    )
    assert response.status_code == 302 and newcomer.assignments.get().valid_to == today


def test_the_team_page_adds_a_member(city, wired, newcomer, today):
    wired.force_login(city.users["admin.lokal"])
    team = team_of(city, "Rinkeby-Kista", "elderly")
    url = reverse("access:team_detail", args=[team.pk])
    assert (
        wired.post(
            url, {"action": "add_member", "member-username": "ny.handlaggare", "member-valid_from": today}
        ).status_code
        == 422
    )
    assert (
        wired.post(
            url, {"action": "add_access", "access-role": "caseworker", "access-valid_from": today}
        ).status_code
        == 302
    )
    assert (
        wired.post(
            url, {"action": "add_member", "member-username": "ny.handlaggare", "member-valid_from": today}
        ).status_code
        == 302
    )
    assert newcomer.assignments.get().team == team
    page = wired.get(url).content.decode()
    assert "Nils Ny" in page
    response = wired.post(url, {"action": "end_member", "user": newcomer.pk, "end-last_day": today})
    assert response.status_code == 302 and newcomer.assignments.get().valid_to == today


def test_the_manager_confirms_on_the_recertification_page(city, wired, today):
    wired.force_login(city.users["chef.ifo"])
    page = wired.get(reverse("access:recertification"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Amina Hassan" in html and "Erik Lindqvist" not in html
    target = city.users["handlaggare.barn"].assignments.get()
    Assignment.objects.filter(pk=target.pk).update(certified_on=today - timedelta(days=100))
    assert (
        wired.post(
            reverse("access:recertification"), {"assignment": target.pk, "action": "confirm"}
        ).status_code
        == 302
    )
    target.refresh_from_db()
    assert target.certified_on == today
    other = city.users["handlaggare.ao"].assignments.get()
    assert (
        wired.post(
            reverse("access:recertification"), {"assignment": other.pk, "action": "remove"}
        ).status_code
        == 404
    )
    assert (
        wired.post(
            reverse("access:recertification"), {"assignment": target.pk, "action": "remove"}
        ).status_code
        == 302
    )
    target.refresh_from_db()
    assert target.valid_to == today - timedelta(days=1)
    wired.force_login(city.users["handlaggare.ifo"])
    assert wired.get(reverse("access:recertification")).status_code == 404
