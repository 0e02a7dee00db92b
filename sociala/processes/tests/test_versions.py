"""Processes are versioned: a running case keeps its version, a new version applies to new cases."""

import pytest

from sociala.processes import services
from sociala.processes.engine import ProcessError
from sociala.processes.models import ProcessDefinition


@pytest.fixture
def application_xml(db):
    return services.latest_definition("application").bpmn_xml


def test_bundled_processes_are_published_on_migrate(db):
    codes = set(ProcessDefinition.objects.values_list("code", flat=True))
    assert {"application", "child_report"} <= codes


def test_publishing_the_same_file_again_makes_no_new_version(application_xml):
    before = ProcessDefinition.objects.count()
    services.publish_bundled_definitions()
    assert ProcessDefinition.objects.count() == before


def test_a_running_instance_keeps_its_version(application_xml):
    running = services.start_process("application")
    # Version 2 drops the communication step label change: any change makes a new version.
    changed = application_xml.replace('name="Utredning"', 'name="Utredning (ny version)"')
    v2 = services.publish_definition(
        code="application", name="Ansökan v2", process_id="application", bpmn_xml=changed
    )
    assert v2.version == running.definition.version + 1
    services.complete_step(running, "intake")
    running.refresh_from_db()
    assert running.definition.version == v2.version - 1
    assert running.ready_steps == ["investigation"]
    assert services.start_process("application").definition == v2


def test_the_stored_state_is_small_and_holds_no_spec(application_xml):
    instance = services.start_process("application")
    assert "spec" not in instance.state
    import json

    assert len(json.dumps(instance.state)) < 6000


def test_a_step_that_is_not_ready_is_refused(application_xml):
    instance = services.start_process("application")
    with pytest.raises(ProcessError):
        services.complete_step(instance, "decision")


def test_a_file_that_cannot_run_is_not_published(db):
    with pytest.raises(ProcessError):
        services.publish_definition(
            code="broken",
            name="Trasig",
            process_id="nope",
            bpmn_xml="<definitions xmlns='http://www.omg.org/spec/BPMN/20100524/MODEL'/>",
        )
    assert not ProcessDefinition.objects.filter(code="broken").exists()


def test_conditions_run_without_builtins(application_xml):
    from sociala.processes import engine

    with pytest.raises(NameError):
        engine.SCRIPT_ENGINE.environment.evaluate("__import__('os').getcwd()", {})
    assert engine.SCRIPT_ENGINE.environment.evaluate("granted == True", {"granted": True}) is True
