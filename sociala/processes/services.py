"""Starting and moving process instances."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from . import engine
from .models import ProcessDefinition, ProcessInstance

BPMN_DIR = Path(__file__).resolve().parent / "bpmn"

StepNotReady = engine.ProcessError


def latest_definition(code: str) -> ProcessDefinition:
    """The newest published version of a process."""
    definition = ProcessDefinition.objects.filter(code=code).order_by("-version").first()
    if definition is None:
        raise engine.ProcessError(f"no published process {code!r}")
    return definition


@transaction.atomic
def publish_definition(*, code: str, name: str, process_id: str, bpmn_xml: str) -> ProcessDefinition:
    """Publish a new version of a process when its BPMN differs from the latest; checks that it runs."""
    engine.parse_spec(bpmn_xml, process_id)
    current = ProcessDefinition.objects.filter(code=code).order_by("-version").first()
    if current and current.bpmn_xml == bpmn_xml and current.process_id == process_id:
        return current
    return ProcessDefinition.objects.create(
        code=code,
        version=(current.version + 1) if current else 1,
        name=name,
        process_id=process_id,
        bpmn_xml=bpmn_xml,
    )


def publish_bundled_definitions() -> list[ProcessDefinition]:
    """Publish the BPMN files shipped in ``processes/bpmn`` (a new version only when a file changed)."""
    published = []
    for path in sorted(BPMN_DIR.glob("*.bpmn")):
        code = path.stem
        xml = path.read_text(encoding="utf-8")
        published.append(
            publish_definition(code=code, name=_process_name(xml, code), process_id=code, bpmn_xml=xml)
        )
    return published


def _process_name(xml: str, fallback: str) -> str:
    import re

    match = re.search(r'<bpmn:process id="[^"]+" name="([^"]+)"', xml)
    return match.group(1) if match else fallback


def start_process(code: str) -> ProcessInstance:
    """Start the latest version of a process."""
    definition = latest_definition(code)
    state, ready, finished = engine.start(definition.bpmn_xml, definition.process_id)
    return ProcessInstance.objects.create(
        definition=definition, state=state, ready_steps=ready, is_finished=finished
    )


def complete_step(instance: ProcessInstance, step: str, data: dict | None = None) -> ProcessInstance:
    """Complete one ready step; the instance keeps its definition version."""
    definition = instance.definition
    state, ready, finished = engine.complete(
        definition.bpmn_xml, definition.process_id, instance.state, step, data
    )
    instance.state = state
    instance.ready_steps = ready
    instance.is_finished = finished
    instance.save(update_fields=["state", "ready_steps", "is_finished", "updated_at"])
    return instance
