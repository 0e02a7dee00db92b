import pytest
from django.core.management import call_command
from django.db import connection

from sociala.audit.models import AuditChainHead, AuditEvent
from sociala.audit.services import GENESIS, record_event, verify_chain


@pytest.fixture
def events(city):
    actor = city.users["handlaggare.ifo"]
    return [
        record_event(actor=actor, action="view_person", person_id=i, details={"n": i}) for i in range(1, 6)
    ]


def run_verify():
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit_verify")
    return exit_info.value.code


def test_chain_links_every_event(events):
    assert events[0].prev_hash == GENESIS
    for previous, event in zip(events, events[1:], strict=False):
        assert event.prev_hash == previous.hash
        assert event.seq == previous.seq + 1
    assert AuditChainHead.objects.get().hash == events[-1].hash


def test_intact_chain_verifies(events, capsys):
    assert verify_chain().ok
    call_command("audit_verify")  # exits normally (0)
    assert "intact" in capsys.readouterr().out


def test_events_cannot_be_changed_through_the_model(events):
    with pytest.raises(ValueError):
        events[0].save()
    with pytest.raises(ValueError):
        events[0].delete()


def test_an_event_without_an_actor_is_refused(db):
    with pytest.raises(ValueError):
        record_event(actor=None, action="view_person")


def test_altered_event_is_named(events, capsys):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET username = 'someone' WHERE seq = %s", [events[2].seq])
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_seq == events[2].seq
    assert result.problem == "event altered"
    assert run_verify() == 1
    assert f"#{events[2].seq}" in capsys.readouterr().err


def test_removed_event_is_named(events):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = %s", [events[1].seq])
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_seq == events[1].seq
    assert run_verify() == 1


def test_events_cut_from_the_end_are_detected(events):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = %s", [events[-1].seq])
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_seq == events[-1].seq
    assert result.problem == "events removed from the end"


def test_rehashed_forgery_breaks_the_link(events):
    # Someone alters an event and recomputes its own hash: the next event's link no longer matches.
    forged = AuditEvent.objects.get(seq=events[1].seq)
    forged.username = "forger"
    new_hash = forged.compute_hash()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET username = 'forger', hash = %s WHERE seq = %s",
            [new_hash, events[1].seq],
        )
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_seq == events[2].seq
