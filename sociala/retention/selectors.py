"""Reads of the retention app: the rules in force, the culling report (dry run), runs and counts."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from sociala.cases.models import Case
from sociala.organization.models import Committee

from .choices import RuleKind
from .facts import candidates, case_file_facts
from .models import (
    CullingAuthorization,
    CullingCount,
    CullingRule,
    CullingRun,
    EntryObjection,
    RetentionSetting,
)
from .rules import CullingDecision, NoRuleInForce, Rule, RuleTable, culling_decision


def retention_setting() -> RetentionSetting | None:
    return RetentionSetting.objects.select_related("updated_by").filter(pk=1).first()


def rule_table() -> RuleTable:
    """Every version of every culling rule, from the database."""
    return RuleTable.from_rows(CullingRule.objects.all())


def rules_in_force(on: date) -> list[Rule]:
    order = {kind: index for index, kind in enumerate(RuleKind.values)}
    return sorted(rule_table().in_force(on), key=lambda r: (order.get(r.kind, 99), r.code))


def authorizations_in_force(on: date) -> list[CullingAuthorization]:
    return [a for a in CullingAuthorization.objects.select_related("committee") if a.is_valid_on(on)]


def covers(authorizations: list[CullingAuthorization], district_id: int | None) -> bool:
    """Does a committee decision in force cover the case files of this district?"""
    return any(
        a.is_city_wide or (district_id is not None and a.committee_id == district_id) for a in authorizations
    )


@dataclass
class ReportRow:
    """One case file that would be culled: no names, no identity numbers."""

    person_id: int
    district: str
    case_references: list[str]
    last_entry_on: date
    decision: CullingDecision
    is_authorized: bool
    is_overdue: bool


@dataclass
class CullingReport:
    """What culling would do on a day: the files culled, with the rule for each, and what is kept."""

    on_date: date
    setting: RetentionSetting | None
    rows: list[ReportRow] = field(default_factory=list)
    kept: Counter = field(default_factory=Counter)
    kept_labels: dict[str, str] = field(default_factory=dict)
    examined: int = 0
    research_rule: Rule | None = None
    authorizations: list[CullingAuthorization] = field(default_factory=list)

    @property
    def authorized_rows(self) -> list[ReportRow]:
        return [row for row in self.rows if row.is_authorized]

    @property
    def unauthorized_count(self) -> int:
        return sum(1 for row in self.rows if not row.is_authorized)

    def by_rule(self) -> list[tuple[str, str, int]]:
        counts = Counter((row.decision.rule.code, row.decision.rule.label) for row in self.rows)
        return sorted((code, label, n) for (code, label), n in counts.items())

    def kept_by_rule(self) -> list[tuple[str, int]]:
        return sorted((self.kept_labels[code], n) for code, n in self.kept.items())


def culling_report(
    on_date: date, *, setting: RetentionSetting | None = None, table: RuleTable | None = None
) -> CullingReport:
    """The dry run: evaluate every case file that may be due on ``on_date`` (raises ``NoRuleInForce``)."""
    setting = setting or retention_setting()
    table = table or rule_table()
    report = CullingReport(on_date=on_date, setting=setting, authorizations=authorizations_in_force(on_date))
    if setting is None:
        return report
    in_force = table.in_force(on_date)
    years = [r.years for r in in_force if r.kind == RuleKind.BASE and r.years]
    if not years:
        raise NoRuleInForce(f"no base culling rule is in force on {on_date}")
    for rule in in_force:
        if rule.kind == RuleKind.RESEARCH_MUNICIPALITY and (
            setting.municipality_code in rule.municipality_codes or setting.county_code in rule.county_codes
        ):
            report.research_rule = rule
            return report
    ids = list(candidates(on_date, min(years)).values_list("pk", flat=True))
    report.examined = len(ids)
    today = timezone.localdate()
    all_facts = case_file_facts(ids, municipality_code=setting.municipality_code, today=min(today, on_date))
    districts = dict(Committee.objects.values_list("pk", "name"))
    references: dict[int, list[str]] = {}
    for person_id, reference in (
        Case.objects.filter(person_id__in=ids).order_by("reference").values_list("person_id", "reference")
    ):
        references.setdefault(person_id, []).append(reference)
    for person_id in ids:
        facts = all_facts.get(person_id)
        if facts is None:
            continue
        decision = culling_decision(facts, on_date, table)
        if not decision.cull:
            report.kept[decision.rule.code] += 1
            report.kept_labels[decision.rule.code] = decision.rule.label
            continue
        report.rows.append(
            ReportRow(
                person_id=person_id,
                district=districts.get(facts.district_id, "") if facts.district_id else "",
                case_references=references.get(person_id, []),
                last_entry_on=facts.last_entry_on,
                decision=decision,
                is_authorized=covers(report.authorizations, facts.district_id),
                is_overdue=decision.is_overdue(on_date),
            )
        )
    return report


CSV_HEADER = [
    "case_file",
    "district",
    "cases",
    "last_entry_on",
    "rule",
    "legal_source",
    "reason",
    "keep_until",
    "cull_by",
    "overdue",
    "committee_decision",
]


def report_csv(report: CullingReport) -> str:
    """The dry run as CSV (UTF-8, comma separated, one case file per line; no names, no numbers)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in report.rows:
        d = row.decision
        writer.writerow(
            [
                row.person_id,
                row.district,
                " ".join(row.case_references),
                row.last_entry_on.isoformat(),
                d.rule.code,
                d.rule.legal_source,
                d.reason,
                d.keep_until.isoformat() if d.keep_until else "",
                d.cull_by.isoformat() if d.cull_by else "",
                "yes" if row.is_overdue else "no",
                "yes" if row.is_authorized else "no",
            ]
        )
    return out.getvalue()


def recent_runs(limit: int = 20) -> QuerySet[CullingRun]:
    return CullingRun.objects.select_related("started_by")[:limit]


def open_run() -> CullingRun | None:
    return CullingRun.objects.filter(is_open=True).first()


def counts_per_year() -> list[dict]:
    """The anonymous counts, summed per year, rule and district."""
    totals: Counter = Counter()
    names: dict[str, str] = {}
    for year, code, name, district, count in CullingCount.objects.values_list(
        "year", "rule_code", "rule_name", "district__name", "count"
    ):
        totals[(year, code, district or "")] += count
        names[code] = name
    return [
        {"year": year, "rule_code": code, "rule_name": names[code], "district": district, "count": count}
        for (year, code, district), count in sorted(
            totals.items(), key=lambda item: (-item[0][0], item[0][1], item[0][2])
        )
    ]


def objections_by_entry(entry_ids) -> dict[int, list[EntryObjection]]:
    found: dict[int, list[EntryObjection]] = {}
    for objection in EntryObjection.objects.filter(entry_id__in=list(entry_ids)).select_related(
        "recorded_by"
    ):
        found.setdefault(objection.entry_id, []).append(objection)
    return found
