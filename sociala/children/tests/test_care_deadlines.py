"""LVU and placement deadlines on the start pages: the caseworker's own, overdue in red, escalated to
the unit manager by the daily job, and on the manager's overview."""

from __future__ import annotations

from datetime import date

from sociala.accounts.services import system_actor
from sociala.cases.services import escalate_overdue_deadlines
from sociala.children.services import placement as plc

from .bbic import investigated


def test_an_overdue_lvu_deadline_is_red_and_escalated_to_the_manager(client, city, child, clock):
    clock(date(2026, 9, 1))
    case = investigated(city, child, date(2026, 9, 1))
    plc.start_lvu_matter(
        actor=city.users["handlaggare.barn"],
        case=case,
        grounds="2",
        court="Förvaltningsrätten i Stockholm",
        custody_decided_on=date(2026, 9, 1),
    )
    # The submission to the court was due a week later, Tuesday 2026-09-08; on the 10th it is two days late.
    clock(date(2026, 9, 10))
    client.force_login(city.users["handlaggare.barn"])
    page = client.get("/").content.decode()
    overdue = page.split('class="deadline deadline--overdue"')[1].split("</li>")[0]
    assert "Underställning av omedelbart omhändertagande" in overdue
    assert "2 dagar sen" in overdue and "2026-09-08" in overdue

    assert escalate_overdue_deadlines(actor=system_actor()) == 1
    client.force_login(city.users["chef.ifo"])
    page = client.get("/").content.decode()
    overdue = page.split('class="deadline deadline--overdue"')[1].split("</li>")[0]
    assert "Underställning av omedelbart omhändertagande" in overdue and "eskalerad till dig" in overdue
    overview = client.get("/children/overview/").content.decode()
    care = overview.split('id="care-heading"')[1].split("</section>")[0]
    assert "Underställning av omedelbart omhändertagande" in care and 'class="text-danger">2026-09-08' in care
