"""SpiffWorkflow behind a small interface: start, list ready steps, complete a step, serialize.

Expressions in BPMN run as Python in SpiffWorkflow; ours run with no builtins
and only the task data, so a condition can compare values and nothing more.
Only administrators publish processes.
"""

from __future__ import annotations

from functools import lru_cache

from SpiffWorkflow.bpmn.parser import BpmnParser
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

SCRIPT_ENGINE = PythonScriptEngine(environment=TaskDataEnvironment({"__builtins__": {}}))
SERIALIZER = BpmnWorkflowSerializer()


class ProcessError(Exception):
    """A process file that cannot run, or a step that is not ready."""


@lru_cache(maxsize=64)
def parse_spec(bpmn_xml: str, process_id: str):
    """Parse a BPMN document (cached by content) and return the executable spec of one process."""
    parser = BpmnParser()
    try:
        parser.add_bpmn_str(bpmn_xml.encode())
        return parser.get_spec(process_id)
    except Exception as error:  # SpiffWorkflow raises several types; all mean "cannot run"
        raise ProcessError(str(error)) from error


# The serialized spec is the same for every instance of a definition (about two thirds of the
# state): it is kept out of the stored state and put back from the definition when loading.
SPEC_KEYS = ("spec", "subprocess_specs")


@lru_cache(maxsize=64)
def _spec_parts(bpmn_xml: str, process_id: str) -> dict:
    workflow = BpmnWorkflow(parse_spec(bpmn_xml, process_id), script_engine=SCRIPT_ENGINE)
    full = SERIALIZER.to_dict(workflow)
    return {key: full[key] for key in SPEC_KEYS}


def _ready_user_steps(workflow: BpmnWorkflow) -> list[str]:
    return [task.task_spec.name for task in workflow.get_tasks(state=TaskState.READY, manual=True)]


def start(bpmn_xml: str, process_id: str) -> tuple[dict, list[str], bool]:
    """Start a new workflow; returns (serialized state, ready step ids, finished)."""
    workflow = BpmnWorkflow(parse_spec(bpmn_xml, process_id), script_engine=SCRIPT_ENGINE)
    workflow.do_engine_steps()
    return _dump(workflow)


def complete(
    bpmn_xml: str, process_id: str, state: dict, step: str, data: dict | None = None
) -> tuple[dict, list[str], bool]:
    """Complete a ready user step with data (e.g. ``{"granted": True}``) and run to the next wait."""
    full = {**state, **_spec_parts(bpmn_xml, process_id)} if "spec" not in state else state
    workflow = SERIALIZER.from_dict(full)
    workflow.script_engine = SCRIPT_ENGINE
    for task in workflow.get_tasks(state=TaskState.READY, manual=True):
        if task.task_spec.name == step:
            task.data.update(data or {})
            task.run()
            try:
                workflow.do_engine_steps()
            except Exception as error:
                raise ProcessError(str(error)) from error
            return _dump(workflow)
    raise ProcessError(f"step {step!r} is not ready")


def _dump(workflow: BpmnWorkflow) -> tuple[dict, list[str], bool]:
    state = {key: value for key, value in SERIALIZER.to_dict(workflow).items() if key not in SPEC_KEYS}
    return state, _ready_user_steps(workflow), workflow.completed
