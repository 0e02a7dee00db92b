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


def _ready_user_steps(workflow: BpmnWorkflow) -> list[str]:
    return [task.task_spec.name for task in workflow.get_tasks(state=TaskState.READY, manual=True)]


def start(bpmn_xml: str, process_id: str) -> tuple[dict, list[str], bool]:
    """Start a new workflow; returns (serialized state, ready step ids, finished)."""
    workflow = BpmnWorkflow(parse_spec(bpmn_xml, process_id), script_engine=SCRIPT_ENGINE)
    workflow.do_engine_steps()
    return _dump(workflow)


def complete(state: dict, step: str, data: dict | None = None) -> tuple[dict, list[str], bool]:
    """Complete a ready user step with data (e.g. ``{"granted": True}``) and run to the next wait."""
    workflow = SERIALIZER.from_dict(state)
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
    return SERIALIZER.to_dict(workflow), _ready_user_steps(workflow), workflow.completed
