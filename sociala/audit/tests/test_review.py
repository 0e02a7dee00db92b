"""Log review (loggkontroll): each flagging rule, the run's memory and idempotency, the random sample,
verdicts, the queue pages and the monthly PDF."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from sociala.access.services import grant_emergency_access
from sociala.accounts.models import Assignment, User
from sociala.accounts.services import system_actor
from sociala.audit.models import AuditEvent, ReviewCursor, ReviewFlag, ReviewRule, ReviewVerdict
from sociala.audit.review import draw_monthly_sample, record_verdict, run_log_review
from sociala.audit.services import record_event
from sociala.cases import services
from sociala.cases.models import CaseType
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.people.choices import ProtectionLevel
from sociala.people.selectors import person_for_user
from sociala.tests.factories import make_person


def view(user, person):
    person_for_user(user, person.pk)


def flags():
    return sorted((f.rule, f.username, f.person_id) for f in ReviewFlag.objects.all())


def open_case(city, person, username="handlaggare.ao", code="home_care_application"):
    return services.open_case(
        actor=city.users[username],
        person=person,
        case_type=CaseType.objects.get(code=code),
        received_on=timezone.localdate(),
        sought="Ansökan",
    )


@pytest.fixture
def client_of_ao(city):
    person = make_person(city, first_name="Gun", last_name="Lund")
    open_case(city, person)
    return person


def test_a_read_of_someone_in_ones_own_caseload_is_not_flagged(city, client_of_ao):
    view(city.users["handlaggare.ao"], client_of_ao)
    result = run_log_review()
    assert result.flags_created == 0
    assert result.events_read == AuditEvent.objects.count()


def test_a_read_outside_caseload_and_unit_is_flagged(city, client_of_ao):
    view(city.users["handlaggare.ifo"], client_of_ao)  # open by the district rule, not her case
    run_log_review()
    flag = ReviewFlag.objects.get()
    assert (flag.rule, flag.username, flag.person_id) == (
        "outside_caseload",
        "handlaggare.ifo",
        client_of_ao.pk,
    )
    assert flag.district_id == city.districts["Rinkeby-Kista"].pk
    assert flag.day == timezone.localdate()
    assert flag.first_event.action == "view_person"


def test_emergency_access_is_flagged_as_such_and_not_twice(city, client_of_ao):
    user = city.users["socialjour"]
    grant_emergency_access(actor=user, person=client_of_ao, reason="Polisen ringer om en äldre man")
    view(user, client_of_ao)
    run_log_review()
    flag = ReviewFlag.objects.get()
    assert flag.rule == "emergency_access" and flag.username == "socialjour"
    assert flag.details == {"reason": "Polisen ringer om en äldre man"}
    assert flag.district_id == city.districts["Rinkeby-Kista"].pk  # the person's, socialjour has none


def test_protected_persons_are_flagged_even_in_ones_own_caseload(city):
    person = make_person(city)
    open_case(city, person)
    person.protection_level = ProtectionLevel.PROTECTED_REGISTRATION
    person.save()
    view(city.users["handlaggare.ao"], person)
    run_log_review()
    assert flags() == [("protected_person", "handlaggare.ao", person.pk)]
    assert ReviewFlag.objects.get().details == {"protection_level": "protected_registration"}


def test_same_surname_and_same_address_are_flagged(city):
    user = city.users["handlaggare.ao"]  # Erik Lindqvist
    User.objects.filter(pk=user.pk).update(street_address="Kistagången  12", postal_code="164 40")
    relative = make_person(city, first_name="Ulla", last_name="Berg-Lindqvist")
    open_case(city, relative)
    view(user, relative)
    run_log_review()
    assert flags() == [
        ("same_address", "handlaggare.ao", relative.pk),
        ("same_surname", "handlaggare.ao", relative.pk),
    ]
    assert ReviewFlag.objects.get(rule="same_surname").details == {"surname": "lindqvist"}


def test_many_persons_in_a_day_by_the_threshold_as_data(city):
    ReviewRule.objects.filter(code="many_persons").update(threshold=2)
    user = city.users["handlaggare.ao"]
    persons = [make_person(city) for _index in range(3)]
    for person in persons[:2]:
        open_case(city, person)
        view(user, person)
    run_log_review()
    assert not ReviewFlag.objects.filter(rule="many_persons").exists()
    open_case(city, persons[2])
    view(user, persons[2])  # the third person of the day, read in a later run
    run_log_review()
    flag = ReviewFlag.objects.get(rule="many_persons")
    assert (flag.username, flag.person_id, flag.details) == (
        "handlaggare.ao",
        None,
        {"persons": 3, "threshold": 2},
    )
    view(user, persons[0])
    run_log_review()
    assert ReviewFlag.objects.filter(rule="many_persons").count() == 1


def test_a_rule_switched_off_flags_nothing(city, client_of_ao):
    ReviewRule.objects.filter(code="outside_caseload").update(is_active=False)
    view(city.users["handlaggare.ifo"], client_of_ao)
    run_log_review()
    assert not ReviewFlag.objects.exists()


def test_provider_staff_with_an_order_are_within_their_caseload(city, today):
    actor = city.users["handlaggare.ao"]
    person = make_person(city)
    case = open_case(city, person)
    case = services.complete_step(actor=actor, case=case, step="intake")
    case = services.complete_step(actor=actor, case=case, step="investigation")
    services.record_decision(
        actor=actor,
        case=case,
        items=[{"description": "Hemtjänst", "outcome": "granted"}],
        period_start=today,
        period_end=None,
        motivation="Behovet är styrkt i utredningen.",
    )
    services.send_order(
        actor=actor, intervention=case.interventions.get(), provider=city.providers["hemtjanst_kommunal"]
    )
    view(city.users["utforare.hemtjanst"], person)
    run_log_review()
    assert not ReviewFlag.objects.exists()


def test_the_run_remembers_where_it_stopped_and_repeats_safely(city, client_of_ao):
    view(city.users["handlaggare.ifo"], client_of_ao)
    first = run_log_review(batch_size=3)
    assert first.flags_created == 1
    assert ReviewCursor.objects.get().last_seq == AuditEvent.objects.order_by("-seq").first().seq
    again = run_log_review()
    assert (again.events_read, again.flags_created) == (0, 0)
    view(city.users["handlaggare.ifo"], client_of_ao)  # the same access the same day: the same flag
    assert run_log_review().flags_created == 0
    ReviewCursor.objects.update(last_seq=0)  # even when read again from the start
    assert run_log_review().flags_created == 0
    assert ReviewFlag.objects.count() == 1


def test_the_reviewers_own_work_and_the_system_are_not_flagged(city, client_of_ao):
    record_event(actor=city.users["revisor"], action="review_audit_log", person_id=client_of_ao.pk)
    record_event(actor=system_actor(), action="escalate_deadline", person_id=client_of_ao.pk)
    run_log_review()
    assert not ReviewFlag.objects.exists()


def test_the_command_runs_the_review(city, client_of_ao, capsys):
    view(city.users["handlaggare.ifo"], client_of_ao)
    call_command("review_audit_log")
    assert "1 accesses flagged" in capsys.readouterr().out


# --- Verdicts --------------------------------------------------------------------------------------------


@pytest.fixture
def flag(city, client_of_ao):
    view(city.users["handlaggare.ifo"], client_of_ao)
    run_log_review()
    return ReviewFlag.objects.get()


def test_the_reviewer_records_a_verdict_with_a_comment(city, flag):
    reviewer = city.users["revisor"]
    with pytest.raises(InvalidInput) as error:
        record_verdict(actor=reviewer, flag=flag, verdict="breach")
    assert list(error.value.errors) == ["comment"]
    record_verdict(actor=reviewer, flag=flag, verdict="follow_up", comment="Fråga handläggaren om skälet.")
    record_verdict(actor=reviewer, flag=flag, verdict="ok", comment="Registrerade ett nytt ärende samma dag.")
    flag.refresh_from_db()
    assert (flag.verdict, flag.reviewed_by_id) == ("ok", reviewer.pk)
    assert list(ReviewVerdict.objects.values_list("verdict", flat=True)) == ["follow_up", "ok"]
    events = AuditEvent.objects.filter(action="review_verdict").order_by("seq")
    assert [e.details["verdict"] for e in events] == ["follow_up", "ok"]
    assert (
        events.last().details["verdict_before"] == "follow_up" and events.last().person_id == flag.person_id
    )


@pytest.mark.parametrize("username", ["handlaggare.ifo", "chef.ifo", "admin.lokal", "controller", "admin"])
def test_only_log_reviewers_judge(city, flag, username):
    with pytest.raises(NotPermitted):
        record_verdict(actor=city.users[username], flag=flag, verdict="ok")
    assert not ReviewVerdict.objects.exists()


def test_a_reviewer_of_one_district_sees_only_that_districts_flags(city, flag):
    reviewer = city.users["revisor"]
    Assignment.objects.filter(user=reviewer).update(committee=city.districts["Bromma"])
    reviewer = User.objects.get(pk=reviewer.pk)
    with pytest.raises(NotPermitted):
        record_verdict(actor=reviewer, flag=flag, verdict="ok")


# --- The sample and the report ---------------------------------------------------------------------------


def test_the_monthly_sample_is_drawn_once_and_reproducibly(city, today):
    user = city.users["handlaggare.ao"]
    persons = [make_person(city) for _index in range(12)]
    for person in persons:
        open_case(city, person)
        view(user, person)
    view(city.users["handlaggare.ifo.bromma"], make_person(city, district="Bromma"))
    reviewer = city.users["revisor"]
    sample = draw_monthly_sample(
        actor=reviewer, district_id=city.districts["Rinkeby-Kista"].pk, year=today.year, month=today.month
    )
    assert len(sample) == 10
    assert {f.username for f in sample} == {"handlaggare.ao"}
    assert {f.person_id for f in sample} <= {p.pk for p in persons}
    again = draw_monthly_sample(
        actor=reviewer, district_id=city.districts["Rinkeby-Kista"].pk, year=today.year, month=today.month
    )
    assert [f.pk for f in again] == [f.pk for f in sample]
    drawn = sorted(f.person_id for f in sample)
    ReviewFlag.objects.all().delete()
    redrawn = draw_monthly_sample(
        actor=reviewer, district_id=city.districts["Rinkeby-Kista"].pk, year=today.year, month=today.month
    )
    assert sorted(f.person_id for f in redrawn) == drawn  # seeded by district and month
    assert AuditEvent.objects.filter(action="draw_review_sample").count() == 2
    with pytest.raises(InvalidInput):
        draw_monthly_sample(
            actor=reviewer, district_id=city.districts["Rinkeby-Kista"].pk, year=today.year + 1, month=1
        )
    with pytest.raises(NotPermitted):
        draw_monthly_sample(
            actor=city.users["admin.lokal"],
            district_id=city.districts["Rinkeby-Kista"].pk,
            year=today.year,
            month=today.month,
        )


def test_the_queue_pages_are_for_log_reviewers_only(city, wired, flag):
    for username in ["handlaggare.ifo", "admin.lokal", "controller"]:
        wired.force_login(city.users[username])
        assert wired.get(reverse("audit:review_queue")).status_code == 404
        assert wired.get(reverse("audit:review_flag", args=[flag.pk])).status_code == 404
    wired.force_login(city.users["revisor"])
    queue = wired.get(reverse("audit:review_queue"))
    assert queue.status_code == 200
    html = queue.content.decode()
    assert "Person utanför egna ärenden och enhet" in html and "Gun Lund" in html
    page = wired.get(reverse("audit:review_flag", args=[flag.pk]))
    html = page.content.decode()
    assert (
        page.status_code == 200
        and "Visade person" in html
        and "Handläggare · Individ- och familjeomsorg Rinkeby-Kista" in html
    )
    assert AuditEvent.objects.filter(action="view_review_flag", person_id=flag.person_id).count() == 1
    assert wired.post(reverse("audit:review_flag", args=[flag.pk]), {"verdict": "breach"}).status_code == 422
    response = wired.post(
        reverse("audit:review_flag", args=[flag.pk]),
        {"verdict": "breach", "comment": "Ingen koppling till personen."},
    )
    assert response.status_code == 302 and response["Location"] == reverse("audit:review_queue")
    flag.refresh_from_db()
    assert flag.verdict == "breach"


def test_the_monthly_report_is_a_pdf(city, wired, flag, today):
    record_verdict(
        actor=city.users["revisor"], flag=flag, verdict="breach", comment="Ingen koppling till personen."
    )
    wired.force_login(city.users["revisor"])
    month = f"{today:%Y-%m}"
    response = wired.post(
        reverse("audit:review_sample"),
        {"sample-district": city.districts["Rinkeby-Kista"].pk, "sample-month": month},
    )
    assert response.status_code == 302
    response = wired.get(
        reverse("audit:review_report"),
        {"sample-district": city.districts["Rinkeby-Kista"].pk, "sample-month": month},
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(
        "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split()
    )
    assert f"Loggkontroll {month} – Rinkeby-Kista stadsdelsnämnd" in text
    assert "Ingen koppling till personen." in text
    assert "Person utanför egna ärenden och enhet" in text
    assert AuditEvent.objects.filter(action="download_review_report").count() == 1
    assert (
        wired.get(reverse("audit:review_report"), {"sample-district": "x", "sample-month": month}).status_code
        == 404
    )
