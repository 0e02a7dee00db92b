"""Objections to journal entries (SoL 14 kap. 6 §): noted with the entry, the entry never changes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from sociala.accounts.models import User
from sociala.audit.models import AuditEvent
from sociala.cases.models import JournalEntry
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.retention.models import EntryObjection
from sociala.retention.services.rights import record_entry_objection

from .factories import full_case_file

LIST = Template(
    '{% for e in entries %}<li id="entry-{{ e.pk }}">{% include "retention/_entry_objections.html" with entry=e %}</li>'
    "{% endfor %}"
)


@pytest.fixture
def built(city):
    return full_case_file(city, day=date(2024, 3, 4), first_name="Gammal", last_name="Akt")


@pytest.fixture
def entry(built):
    return JournalEntry.objects.get(case=built.cases[0], corrects__isnull=True)


def note(city, entry, username="handlaggare.ifo", **fields):
    values = {
        "text": "Jag har aldrig sagt så.",
        "received_via": "conversation",
        "received_on": timezone.localdate(),
    }
    values.update(fields)
    return record_entry_objection(actor=city.users[username], entry=entry, **values)


def snapshot(entry):
    entry.refresh_from_db()
    return (entry.text, entry.title, entry.status, entry.signed_at, entry.updated_at, entry.occurred_on)


def test_an_objection_is_noted_without_changing_the_entry(city, entry):
    before = snapshot(entry)
    objection = note(city, entry, text="  Det var inte jag som ringde.  ", received_via="letter")
    assert snapshot(entry) == before
    assert (objection.entry_id, objection.text, objection.received_via, objection.received_on) == (
        entry.pk,
        "Det var inte jag som ringde.",
        "letter",
        timezone.localdate(),
    )
    assert objection.recorded_by.username == "handlaggare.ifo"
    event = AuditEvent.objects.get(action="record_entry_objection")
    assert (event.person_id, event.case_id, event.object_type, event.object_id) == (
        entry.person_id,
        entry.case_id,
        "entry_objection",
        str(objection.pk),
    )
    assert event.details == {"entry": entry.pk, "received_via": "letter"}


def test_several_objections_are_kept_in_order(city, entry):
    note(city, entry, text="Första invändningen.", received_on=timezone.localdate() - timedelta(days=1))
    note(city, entry, text="Andra invändningen.")
    assert list(entry.objections.values_list("text", flat=True)) == [
        "Jag sa inte så.",
        "Första invändningen.",
        "Andra invändningen.",
    ]


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"text": "Nej"}, {"text": "Skriv vad personen anser är fel (minst 5 tecken)."}),
        ({"received_via": "pigeon"}, {"received_via": "Välj hur invändningen kom in."}),
        ({"received_on": None}, {"received_on": "Ange när invändningen kom in."}),
        ({"received_on": date(2099, 1, 1)}, {"received_on": "Datumet kan inte ligga i framtiden."}),
        (
            {"received_on": date(2024, 3, 1)},
            {"received_on": "Invändningen kan inte ha kommit in innan anteckningen signerades."},
        ),
    ],
)
def test_invalid_objections_write_nothing(city, entry, fields, errors):
    before = EntryObjection.objects.count()
    with pytest.raises(InvalidInput) as error:
        note(city, entry, **fields)
    assert error.value.errors == errors
    assert EntryObjection.objects.count() == before


def test_a_draft_is_changed_directly_not_objected_to(city, built):
    draft = JournalEntry.objects.create(
        person=built.person,
        case=built.cases[0],
        category="contact",
        text="Utkast",
        author=city.users["handlaggare.ifo"],
    )
    with pytest.raises(InvalidInput) as error:
        note(city, draft)
    assert error.value.errors == {
        "__all__": "Invändningar antecknas vid signerade anteckningar. Utkastet kan ändras direkt."
    }


@pytest.mark.parametrize(
    ("username", "allowed"),
    [
        ("handlaggare.ifo", True),
        ("chef.ifo", True),
        ("handlaggare.ao", False),
        ("handlaggare.barn", False),
        ("handlaggare.ifo.bromma", False),
        ("utforare.hemtjanst", False),
        ("socialjour", False),
        ("admin.lokal", False),
        ("revisor", False),
        ("controller", False),
        ("admin", False),
    ],
)
def test_who_may_note_an_objection(city, entry, username, allowed):
    before = (
        EntryObjection.objects.count(),
        AuditEvent.objects.filter(action="record_entry_objection").count(),
    )
    if allowed:
        note(city, entry, username=username)
        assert EntryObjection.objects.count() == before[0] + 1
    else:
        with pytest.raises(NotPermitted):
            note(city, entry, username=username)
        assert (
            EntryObjection.objects.count(),
            AuditEvent.objects.filter(action="record_entry_objection").count(),
        ) == before


# --- shown with the entry --------------------------------------------------------------------


def render(city, entries, username="handlaggare.ifo", compact=False, user=None):
    request = RequestFactory().get("/")
    user = user or city.users[username]
    request.user = user
    return LIST.render(Context({"entries": entries, "request": request, "user": user, "compact": compact}))


def test_the_objections_are_shown_with_the_entry_and_a_link_to_note_one(city, built, entry):
    note(city, entry, text="Det stämmer inte alls.")
    entries = list(JournalEntry.objects.filter(case=built.cases[0]).order_by("pk"))
    html = render(city, entries)
    first, second = html.split("</li>")[:2]
    assert "Den enskilde anser att uppgiften är felaktig" in first
    assert "Jag sa inte så." in first and "Det stämmer inte alls." in first
    assert "Den enskilde anser att uppgiften är felaktig" not in second
    assert f'href="/retention/journal/{entry.pk}/objections/new/"' in first
    assert f'href="/retention/journal/{entries[1].pk}/objections/new/"' in second


def test_a_compact_list_shows_no_link(city, built, entry):
    html = render(city, [entry], compact=True)
    assert "Jag sa inte så." in html
    assert "objections/new" not in html


def test_the_objections_of_a_whole_page_cost_two_queries(city, built, entry, django_assert_num_queries):
    for n in range(4):
        JournalEntry.objects.create(
            person=built.person,
            case=built.cases[0],
            category="contact",
            text=f"Anteckning {n}",
            status="signed",
            author=city.users["handlaggare.ifo"],
            signed_at=timezone.now(),
        )
    entries = list(JournalEntry.objects.filter(case=built.cases[0]).order_by("pk"))
    user = User.objects.get(username="handlaggare.ifo")  # nothing cached yet
    # One for the objections of every entry, one for the user's assignments.
    with django_assert_num_queries(2):
        html = render(city, entries, user=user)
    assert html.count("objections/new") == len(entries)


def test_the_link_filters(city, built):
    template = Template(
        "{% load retention %}{% if user|may_register_extract:person %}E{% endif %}"
        "{% if user|may_archive:case %}A{% endif %}{% if user|may_administer_culling %}C{% endif %}"
    )
    case = built.cases[0]
    render_as = {
        name: template.render(Context({"user": city.users[name], "person": built.person, "case": case}))
        for name in ("handlaggare.ifo", "handlaggare.ao", "admin", "utforare.hemtjanst")
    }
    assert render_as == {
        "handlaggare.ifo": "EA",
        "handlaggare.ao": "E",
        "admin": "C",
        "utforare.hemtjanst": "",
    }
