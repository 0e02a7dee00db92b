"""The DMN decision table of automated decisions, evaluated with SpiffWorkflow's DMN engine.

The table is data (``AutomationRuleSet.source``, DMN 1.3 XML validated against the OMG schema when it
is published); this module parses it, evaluates it on one month's inputs and says which rules matched.
The hit policy is FIRST: the first matching rule gives the outcome, and every matching rule is kept as
the reasoning, so a caseworker sees all the reasons a case was not decided automatically.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.dmn.engine.DMNEngine import DMNEngine
from SpiffWorkflow.dmn.parser.BpmnDmnParser import SCHEMAS, BpmnDmnParser

DMN13 = "https://www.omg.org/spec/DMN/20191111/MODEL/"


class InvalidDecisionTable(Exception):
    """The DMN source is not a valid DMN 1.3 decision table with ``automate`` and ``reason`` outputs."""


@dataclass(frozen=True)
class MatchedRule:
    """A rule of the table whose conditions held: its id, its row and its annotation."""

    id: str
    row: int
    description: str


@dataclass(frozen=True)
class Evaluation:
    """The table's answer for one month: automate or not, the reason code and every matching rule."""

    automate: bool
    reason: str
    matched: tuple[MatchedRule, ...]

    def matched_data(self) -> list[dict]:
        return [{"id": m.id, "row": m.row, "description": m.description} for m in self.matched]


@lru_cache(maxsize=8)
def _engine(source: str) -> DMNEngine:
    try:
        root = etree.fromstring(source.encode())
    except etree.XMLSyntaxError as error:
        raise InvalidDecisionTable(str(error)) from error
    namespace = root.nsmap.get(None) or next(iter(root.nsmap.values()), "")
    if namespace != DMN13:
        raise InvalidDecisionTable(f"not DMN 1.3 (namespace {namespace!r})")
    parser = BpmnDmnParser(validator=BpmnValidator(SCHEMAS[DMN13]))
    try:
        parser.add_dmn_xml(root)
        (dmn_parser,) = parser.dmn_parsers.values()
        dmn_parser.parse()
    except Exception as error:  # the parser raises its own and lxml's errors
        raise InvalidDecisionTable(str(error)) from error
    table = dmn_parser.decision.decisionTables[0]
    names = {output.name for output in table.outputs}
    if not {"automate", "reason"} <= names:
        raise InvalidDecisionTable("the table needs the outputs automate and reason")
    return DMNEngine(table)


def check_table(source: str) -> None:
    """Raise InvalidDecisionTable unless ``source`` is a usable decision table."""
    _engine(source)


def evaluate(source: str, inputs: dict) -> Evaluation:
    """Evaluate the table on ``inputs`` (plain names, ints and booleans); no match is "do not automate"."""
    engine = _engine(source)
    task = SimpleNamespace(data=dict(inputs), workflow=SimpleNamespace(script_engine=PythonScriptEngine()))
    rules = engine.decide(task)
    if not rules:
        return Evaluation(automate=False, reason="no_rule", matched=())
    outputs = [rule.output_as_dict(task) for rule in rules]
    automate = outputs[0].get("automate") is True
    # The reasoning: every matching rule that says the same as the first (a catch-all that only
    # matched after is not a reason).
    matched = tuple(
        MatchedRule(rule.id, rule.row_number, (rule.description or "").strip())
        for rule, output in zip(rules, outputs, strict=True)
        if (output.get("automate") is True) == automate
    )
    return Evaluation(automate=automate, reason=str(outputs[0].get("reason") or ""), matched=matched)
