"""City scale for the benchmarks: the demo organisation and staff, then N persons with their cases,
journal, decisions, deadlines and audit events written in bulk.

The demo city (``seed.py``) runs every case through the real services, which takes about a
second per ten persons; a city of a million persons is instead written table by table (COPY on
PostgreSQL, ``executemany`` in one transaction on SQLite), keeping the invariants the pages rely
on: every case has its own process instance in the state of its stage (copied from a template
walked through the real engine), references follow the services' patterns, journal entries are
signed by the case's caseworker, and the audit events continue the hash chain exactly as
``record_event`` computes it, so ``manage.py audit_verify`` passes.

Proportions per person: 0.3 cases, 10 journal entries (skewed: a few persons have hundreds),
2 decisions, 20 audit events. One caseworker (``BENCH_CASEWORKER``) has exactly 80 open cases and
one case (``BENCH_CASE_REFERENCE``) has 500 journal entries. Deterministic from the seed and today.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import random
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from sociala.accounts.models import Assignment, Delegation, User
from sociala.accounts.services import system_actor
from sociala.audit.models import AuditChainHead, AuditEvent
from sociala.audit.services import GENESIS
from sociala.cases.choices import DeadlineStatus, JournalCategory, JournalStatus, Outcome, Stage
from sociala.cases.models import Case, CaseType, Deadline, Decision, JournalEntry
from sociala.cases.services import rule_in_force
from sociala.core.deadlines import compute_deadline
from sociala.core.identity_numbers import (
    COORDINATION_NUMBER,
    PERSONAL_IDENTITY_NUMBER,
    InvalidIdentityNumber,
    parse_identity_number,
)
from sociala.people.models import Person, name_key
from sociala.processes import engine
from sociala.processes.models import ProcessInstance
from sociala.processes.services import latest_definition

from .data import names, places, texts
from .organization import DEMO_PASSWORD, DISTRICTS, build_city
from .population import COORDINATION_NUMBERS_FILE, PERSONAL_NUMBERS_FILE, read_numbers, synthetic_number
from .staff import STAFFING, add_caseworkers, caseworker_rights

CASES_PER_PERSON = 0.3
JOURNAL_PER_PERSON = 10
DECISIONS_PER_PERSON = 2
AUDIT_PER_PERSON = 20
OPEN_CASES_PER_CASEWORKER = 80
BENCH_CASEWORKER = "handlaggare.ifo"  # the demo caseworker in Rinkeby-Kista's individual and family unit
BENCH_OPEN_CASES = 80
BENCH_CASE_JOURNAL = 500
MAX_JOURNAL_PER_PERSON = 900
CHUNK = 20_000
OFFICE_OPENS = clock_time(8)
OFFICE_SECONDS = 9 * 3600
# COPY's text format: these characters are escaped; NULL is \N.
NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]").search
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
# Stages of the generated cases and their shares; the process state of each comes from a template.
STAGE_SHARES = [
    (Stage.INTAKE, 0.08),
    (Stage.INVESTIGATION, 0.12),
    (Stage.DECISION, 0.05),
    (Stage.INTERVENTION, 0.10),
    (Stage.FOLLOW_UP, 0.10),
    (Stage.CLOSED, 0.55),
]
DECIDED = {Stage.INTERVENTION, Stage.FOLLOW_UP, Stage.CLOSED}
CASE_TYPE_SHARES = {
    "income_support_application": 0.45,
    "home_care_application": 0.25,
    "lss_contact_person_application": 0.10,
    "child_report_of_concern": 0.20,
}
# AuditEvent.canonical() for the generated events (keys sorted, compact separators, no reason, not
# emergency, the caseworker role), filled in with %-formatting: json.dumps per event took most of the time.
ROLE = "caseworker"
CANONICAL = (
    '{"action":"%s","case_id":%s,"details":%s,"is_emergency":false,"object_id":"%s","object_type":"%s",'
    '"occurred_at":"%s","person_id":%s,"prev_hash":"%s","reason":"","role":"' + ROLE + '","seq":%d,'
    '"user_id":%d,"username":%s}'
)
# The generated event as a COPY text line (usernames, actions and JSON here hold no tab, newline or
# backslash): id, seq, occurred_at, user_id, username, role, action, person_id, case_id, object_type,
# object_id, is_emergency, reason, details, prev_hash, hash.
AUDIT_COPY_LINE = "%d\t%d\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\tf\t\t%s\t%s\t%s"
AUDIT_ACTIONS = [("view_person", 0.45), ("view_case", 0.35), ("search_persons", 0.10), ("sign_journal", 0.10)]


BIG_TABLES = [Person, ProcessInstance, Case, Deadline, Decision, JournalEntry, AuditEvent]


@dataclass
class ScaleSummary:
    """What the scale generator wrote, and how fast."""

    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    total_seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    def line(self) -> str:
        parts = ", ".join(f"{table} {count}" for table, count in self.counts.items())
        rate = self.rows / self.total_seconds if self.total_seconds else 0
        return f"Stadsskala klar på {self.total_seconds:.0f} s ({rate:,.0f} rader/s): {parts}."


# --- writing in bulk ------------------------------------------------------------------------------


class BulkWriter:
    """Rows into one table: COPY in chunks on PostgreSQL, executemany on SQLite (inside the caller's
    transaction). Values are Python values; SQLite gets them in Django's storage form."""

    def __init__(self, model, columns: list[str]):
        self.table = model._meta.db_table
        self.columns = columns
        self.rows: list[tuple] = []
        self.count = 0
        self.is_postgres = connection.vendor == "postgresql"

    def add(self, row: tuple) -> None:
        if self.is_postgres:
            # COPY text lines built here: psycopg's write_row per row took most of the time.
            self.rows.append("\t".join([_copy_text(v) for v in row]))
        else:
            self.rows.append(row)
        if len(self.rows) >= CHUNK:
            self.flush()

    def add_line(self, line: str) -> None:
        """A COPY text line made by the caller (PostgreSQL only), for the hottest loop."""
        self.rows.append(line)
        if len(self.rows) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        names_sql = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            if self.is_postgres:
                raw = cursor.cursor  # psycopg's own cursor, for COPY
                with raw.copy(
                    f"COPY {connection.ops.quote_name(self.table)} ({names_sql}) FROM STDIN"
                ) as copy:
                    copy.write("\n".join(self.rows) + "\n")
            else:
                marks = ", ".join("?" for _ in self.columns)
                sql = f"INSERT INTO {connection.ops.quote_name(self.table)} ({names_sql}) VALUES ({marks})"  # noqa: S608 - table and column names come from the models
                cursor.cursor.executemany(sql, [tuple(map(_sqlite_value, row)) for row in self.rows])
        self.count += len(self.rows)
        self.rows = []


def _copy_text(value) -> str:
    kind = type(value)
    if kind is str:
        return value.translate(COPY_ESCAPES) if NEEDS_ESCAPE(value) else value
    if kind is int:
        return str(value)
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    return str(value)


def _sqlite_value(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


@contextlib.contextmanager
def bulk_load_mode(models):
    """On PostgreSQL, for the length of the load: the tables' secondary indexes dropped and built once
    afterwards (much faster than row by row), and, when the role is a superuser, foreign-key triggers
    off (``session_replication_role``; the generated rows are consistent by construction, which the
    tests check). All inside the caller's transaction. Nothing changes on SQLite."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = bool(cursor.fetchone()[0])
        if superuser:
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = ANY(%s) AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            [[m._meta.db_table for m in models]],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        for _name, definition in indexes:
            cursor.execute(definition)
        if superuser:
            cursor.execute("SET LOCAL session_replication_role = origin")


def _next_id(model) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def _reset_sequences(models) -> None:
    """After explicit ids, the PostgreSQL sequences continue after the highest id."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1)) FROM {table}"  # noqa: S608
            )


# --- numbers and names ----------------------------------------------------------------------------


def identity_numbers(rng: random.Random, count: int, today: date):
    """(number, kind, synthetic, birth date) for ``count`` persons: Skatteverket's test numbers first, then
    generated numbers with a valid check digit and birth number 900–999, flagged synthetic."""
    listed = [(n, PERSONAL_IDENTITY_NUMBER) for n in read_numbers(PERSONAL_NUMBERS_FILE)]
    listed += [(n, COORDINATION_NUMBER) for n in read_numbers(COORDINATION_NUMBERS_FILE)]
    reserved = {n for n, _kind in listed}
    born_from = date(today.year - 100, 1, 1).toordinal()
    born_to = today.toordinal() - 1
    made = 0
    for number, kind in listed:
        if made == count:
            return
        try:
            born = parse_identity_number(number, today=today).birth_date
        except InvalidIdentityNumber:
            continue
        yield number, kind, False, born
        made += 1
    seen: set[str] = set()
    while made < count:
        born = date.fromordinal(rng.randint(born_from, born_to))
        value = synthetic_number(born, rng.randint(900, 999))
        if value in reserved or value in seen:
            continue
        seen.add(value)
        made += 1
        yield value, PERSONAL_IDENTITY_NUMBER, True, born


class NamePool:
    """First and last names by origin, sex and generation, looked up once."""

    def __init__(self):
        self.origins = [
            names.SWEDISH,
            names.FINNISH,
            names.ARABIC,
            names.PERSIAN,
            names.SOMALI,
            names.BOSNIAN,
        ]
        self.weights = [70, 6, 7, 6, 5, 6]
        self.first: dict[tuple[str, str, int], list[str]] = {}
        self.last = {o: names.last_names(o) for o in self.origins}

    def name(self, rng: random.Random, sex: str, birth_year: int) -> tuple[str, str]:
        origin = rng.choices(self.origins, weights=self.weights)[0]
        decade = birth_year // 10 * 10
        key = (origin, sex, decade)
        if key not in self.first:
            self.first[key] = names.first_names(origin, sex, decade + 5)
        return rng.choice(self.first[key]), names.surname_for(rng.choice(self.last[origin]), sex)


# --- process templates ----------------------------------------------------------------------------


def process_templates() -> dict[str, tuple[int, dict[str, tuple[str, str, bool]]]]:
    """For each process: its definition id, and per stage the engine state (JSON), ready steps (JSON)
    and whether finished, walked through the real engine (granted, no refusal intended)."""
    result = {}
    for code in sorted({t.process_code for t in CaseType.objects.all()}):
        definition = latest_definition(code)
        xml, pid = definition.bpmn_xml, definition.process_id
        state, ready, finished = engine.start(xml, pid)
        by_stage = {}
        for _ in range(12):
            stage = Stage.CLOSED if finished else ready[0]
            by_stage.setdefault(stage, (json.dumps(state), json.dumps(ready), finished))
            if finished:
                break
            data = {"open_investigation": True, "refusal_intended": False, "granted": True}
            state, ready, finished = engine.complete(xml, pid, state, ready[0], data)
        result[code] = (definition.pk, by_stage)
    return result


# --- the generator --------------------------------------------------------------------------------


def _stream(seed: int, name: str) -> random.Random:
    return random.Random(f"{seed}:scale:{name}")


def _at(day: date, rng: random.Random) -> datetime:
    """A time in office hours on the day (one draw: this runs for every journal entry)."""
    return datetime.combine(day, OFFICE_OPENS, UTC) + timedelta(seconds=int(rng.random() * OFFICE_SECONDS))


def _skewed_counts(rng: random.Random, n: int, total: int, cap: int) -> list[int]:
    """``n`` counts summing to about ``total``, heavy-tailed (Pareto): most small, a few in the hundreds."""
    weights = [rng.paretovariate(1.16) for _ in range(n)]
    scale = total / sum(weights)
    counts = [min(cap, int(w * scale)) for w in weights]
    # The cap leaves some short: share the rest out evenly, then the remainder at random.
    missing = total - sum(counts)
    if missing > 0 and n:
        each, rest = divmod(missing, n)
        counts = [c + each for c in counts]
        for index in rng.sample(range(n), rest):
            counts[index] += 1
    return counts


def seed_scale(*, persons: int, seed: int = 2026, progress=None) -> ScaleSummary:
    """Write the city at scale in one transaction and return the row counts and timings."""
    say = progress or (lambda _text: None)
    summary = ScaleSummary()
    started = time.monotonic()
    today = timezone.localdate()
    now = timezone.now()

    def timed(name: str, since: float) -> float:
        summary.seconds[name] = round(time.monotonic() - since, 2)
        say(f"{name}: {summary.counts.get(name, 0)} rader på {summary.seconds[name]:.1f} s")
        return time.monotonic()

    with transaction.atomic():
        city = build_city(DISTRICTS)
        system = system_actor()
        caseworkers = add_caseworkers(city, rng=_stream(seed, "staff"), today=today)
        loading = contextlib.ExitStack()
        loading.enter_context(bulk_load_mode(BIG_TABLES))
        mark = time.monotonic()

        # Persons.
        rng = _stream(seed, "persons")
        pool = NamePool()
        district_ids = [c.pk for c in city.districts.values()]
        district_names = list(city.districts)
        district_weights = [places.RESIDENT_WEIGHTS.get(n, 5.0) for n in district_names]
        person_writer = BulkWriter(
            Person,
            [
                "id", "personal_identity_number", "number_kind", "first_name", "last_name", "first_name_key",
                "last_name_key", "birth_date", "sex", "protection_level", "street_address", "postal_code",
                "city", "district_id", "phone", "email", "is_deceased", "deceased_on", "is_synthetic",
                "created_at", "updated_at",
            ],
        )  # fmt: skip
        first_person = _next_id(Person)
        person_district: list[int] = []  # index in district_names, by person offset
        for offset, (number, kind, synthetic, born) in enumerate(identity_numbers(rng, persons, today)):
            sex = "male" if int(number[10]) % 2 else "female"
            first, last = pool.name(rng, sex, born.year)
            d = rng.choices(range(len(district_names)), weights=district_weights)[0]
            street, postal_code, town = rng.choice(places.STREETS[district_names[d]])
            person_district.append(d)
            person_writer.add(
                (
                    first_person + offset, number, kind, first, last, name_key(first), name_key(last), born,
                    sex, "", f"{street} {rng.randint(1, 98)}", postal_code, town, district_ids[d],
                    rng.choice(places.FICTION_MOBILE_NUMBERS) if rng.random() < 0.5 else "", "", False, None,
                    synthetic, now, now,
                )
            )  # fmt: skip
        person_writer.flush()
        summary.counts["persons"] = person_writer.count
        mark = timed("persons", mark)

        # Caseworkers: the demo organisation's one per unit and case type, and colleagues so that
        # nobody has more than about 80 open cases; the benchmark caseworker gets exactly 80.
        rng = _stream(seed, "cases")
        case_types = {t.code: t for t in CaseType.objects.all()}
        templates = process_templates()
        type_codes = list(CASE_TYPE_SHARES)
        type_weights = [CASE_TYPE_SHARES[c] for c in type_codes]
        stages = [s for s, _w in STAGE_SHARES]
        stage_weights = [w for _s, w in STAGE_SHARES]
        n_cases = max(1, round(persons * CASES_PER_PERSON))
        # Persons with cases: a quarter of the residents; some of them have several.
        case_persons = max(1, round(persons * 0.22))
        plans = []  # (person offset, type code, stage)
        for _ in range(n_cases):
            offset = min(int(rng.paretovariate(3.0) - 1) * 7 + rng.randrange(case_persons), persons - 1)
            code = rng.choices(type_codes, weights=type_weights)[0]
            stage = rng.choices(stages, weights=stage_weights)[0]
            plans.append((offset, code, stage))
        bench_key = next(k for k, u in caseworkers.items() if u.username == BENCH_CASEWORKER)
        bench_district = district_names.index(bench_key[0])
        staff_for = {s.case_type: s for s in STAFFING}
        # The benchmark caseworker's cases: exactly 80 open income-support cases in Rinkeby-Kista,
        # taken from the planned ones there first, then from others moved to a resident there.
        income = "income_support_application"
        bench_people = [o for o in range(persons) if person_district[o] == bench_district] or [0]
        bench_open = [
            i for i, (o, c, _s) in enumerate(plans) if person_district[o] == bench_district and c == income
        ]
        taken = set(bench_open)
        bench_open += [i for i in range(len(plans)) if i not in taken][
            : max(0, BENCH_OPEN_CASES - len(bench_open))
        ]
        for i in bench_open[:BENCH_OPEN_CASES]:
            offset, code, stage = plans[i]
            if person_district[offset] != bench_district:
                offset = rng.choice(bench_people)
            plans[i] = (offset, income, stage if stage != Stage.CLOSED else Stage.INVESTIGATION)
        bench_open_set = set(bench_open[:BENCH_OPEN_CASES])
        open_by_unit: dict[tuple[str, str], int] = {}
        for i, (offset, code, stage) in enumerate(plans):
            if stage != Stage.CLOSED and i not in bench_open_set:
                key = (district_names[person_district[offset]], staff_for[code].unit_key)
                open_by_unit[key] = open_by_unit.get(key, 0) + 1
        staff = _add_colleagues(city, caseworkers, open_by_unit, today)
        summary.counts["staff"] = sum(len(v) for v in staff.values())

        process_writer = BulkWriter(
            ProcessInstance, ["id", "definition_id", "state", "ready_steps", "is_finished", "updated_at"]
        )
        case_writer = BulkWriter(
            Case,
            [
                "id", "person_id", "case_type_id", "service_area", "unit_id", "district_id", "assigned_to_id",
                "stage", "reference", "intake_kind", "received_on", "sought", "opened_at", "closed_at",
                "closing_reason", "communicated_on", "process_id",
            ],
        )  # fmt: skip
        deadline_writer = BulkWriter(
            Deadline,
            [
                "id", "case_id", "rule_id", "title", "starts_on", "calendar_due_on", "due_on", "status",
                "assigned_to_id", "escalated_to_id", "escalated_at", "done_at",
            ],
        )  # fmt: skip
        first_case, first_process, first_deadline = (
            _next_id(Case),
            _next_id(ProcessInstance),
            _next_id(Deadline),
        )
        rules: dict[tuple[str, date], object] = {}
        turn: dict[tuple[str, str], int] = {}
        cases = []  # (case id, person id, user, stage, received_on, code)
        deadline_id = first_deadline
        for i, (offset, code, stage) in enumerate(plans):
            case_type = case_types[code]
            unit_key = staff_for[code].unit_key
            district = district_names[person_district[offset]]
            if i in bench_open_set:
                user = caseworkers[bench_key]
            else:
                colleagues = staff[(district, unit_key)]
                key = (district, unit_key)
                if stage == Stage.CLOSED:
                    user = rng.choice(colleagues)
                else:
                    user = colleagues[turn.get(key, 0) % len(colleagues)]
                    turn[key] = turn.get(key, 0) + 1
            age_days = (
                rng.randint(1, 40) if stage in (Stage.INTAKE, Stage.INVESTIGATION) else rng.randint(30, 2500)
            )
            received = today - timedelta(days=age_days)
            case_id, process_id = first_case + i, first_process + i
            definition_id, by_stage = templates[case_type.process_code]
            state, ready, finished = by_stage.get(stage) or by_stage[Stage.CLOSED]
            stage_now = Stage.CLOSED if finished else json.loads(ready)[0]
            process_writer.add((process_id, definition_id, state, ready, finished, now))
            opened_at = _at(received, rng)
            closed_at = (
                _at(min(today, received + timedelta(days=rng.randint(20, 400))), rng) if finished else None
            )
            case_writer.add(
                (
                    case_id, first_person + offset, case_type.pk, case_type.service_area,
                    city.unit(district, unit_key).pk, city.districts[district].pk, user.pk, stage_now,
                    f"{received.year}-{case_id:06d}", case_type.intake_kind, received,
                    rng.choice(texts.SOUGHT[code]).format(month=texts.MONTHS[received.month - 1]),
                    opened_at, closed_at, "Insatsen avslutad" if finished else "",
                    received + timedelta(days=14) if stage_now in DECIDED else None, process_id,
                )
            )  # fmt: skip
            if not finished:
                spec = next((s for s in case_type.deadline_rules if s.get("on") == "opened"), None)
                if spec is not None:
                    rule_key = (spec["rule"], received)
                    if rule_key not in rules:
                        rule = rule_in_force(spec["rule"], received)
                        rules[rule_key] = (
                            rule,
                            compute_deadline(
                                received,
                                rule.amount,
                                rule.unit,
                                moves_to_working_day=rule.moves_to_working_day,
                            ),
                        )
                    rule, computed = rules[rule_key]
                    deadline_writer.add(
                        (
                            deadline_id, case_id, rule.pk, rule.name, received, computed.calendar_due_on,
                            computed.due_on, DeadlineStatus.OPEN, user.pk, None, None, None,
                        )
                    )  # fmt: skip
                    deadline_id += 1
            cases.append((case_id, first_person + offset, user, stage_now, received, code))
        process_writer.flush()
        case_writer.flush()
        deadline_writer.flush()
        summary.counts["process_instances"] = process_writer.count
        summary.counts["cases"] = case_writer.count
        summary.counts["deadlines"] = deadline_writer.count
        mark = timed("cases", mark)

        # Decisions: 2 per person, on the cases past the decision step (income support has many:
        # one a month), each by the case's caseworker.
        rng = _stream(seed, "decisions")
        decided = [c for c in cases if c[3] in DECIDED]
        decision_writer = BulkWriter(
            Decision,
            [
                "id", "case_id", "reference", "outcome", "sought", "period_start", "period_end", "legal_basis",
                "motivation", "decided_by_id", "delegation_reference", "decided_on", "decided_at",
                "appeal_instructions", "is_automated",
            ],
        )  # fmt: skip
        first_decision = _next_id(Decision)
        n_decisions = round(persons * DECISIONS_PER_PERSON) if decided else 0
        weights = [8.0 if c[5] == "income_support_application" else 1.0 for c in decided]
        picks = rng.choices(range(len(decided)), weights=weights, k=n_decisions) if decided else []
        appeal = "Du kan överklaga beslutet hos förvaltningsrätten. Skriv inom tre veckor från den dag du fick beslutet."
        for k, index in enumerate(picks):
            case_id, _person_id, user, _stage, received, code = decided[index]
            day = min(today, received + timedelta(days=rng.randint(5, max(5, (today - received).days))))
            outcome = Outcome.REFUSED if rng.random() < 0.12 else Outcome.GRANTED
            decision_id = first_decision + k
            decision_writer.add(
                (
                    decision_id, case_id, f"B{day.year}-{decision_id:06d}", outcome, case_types[code].name,
                    day, day + timedelta(days=30), case_types[code].legal_basis,
                    "Behovet är utrett och bedömt enligt gällande riktlinjer.", user.pk,
                    staff_for[code].delegation_reference, day, _at(day, rng), appeal, False,
                )
            )  # fmt: skip
        decision_writer.flush()
        summary.counts["decisions"] = decision_writer.count
        mark = timed("decisions", mark)

        # Journal entries: 10 per person, skewed; in a case where the person has one.
        rng = _stream(seed, "journal")
        bench_case = next(c for c in cases if c[2].username == BENCH_CASEWORKER)
        cases_of: dict[int, list[tuple]] = {}
        for c in cases:
            if c is not bench_case:
                cases_of.setdefault(c[1], []).append(c)
        with_cases = list(cases_of)
        others_total = max(0, persons * JOURNAL_PER_PERSON - BENCH_CASE_JOURNAL)
        counts = _skewed_counts(rng, len(with_cases), others_total, MAX_JOURNAL_PER_PERSON)
        journal_writer = BulkWriter(
            JournalEntry,
            [
                "id", "person_id", "case_id", "category", "title", "text", "status", "author_id", "occurred_on",
                "created_at", "updated_at", "signed_at", "corrects_id", "correction_reason",
            ],
        )  # fmt: skip
        entry_id = _next_id(JournalEntry)
        categories = [c for c in JournalCategory.values if c != JournalCategory.DECISION]
        notes = [
            ("Telefonsamtal", "Samtal om ansökan och vilka underlag som behövs."),
            (
                "Hembesök",
                "Besök i hemmet tillsammans med kollega. Situationen beskrevs och behoven gicks igenom.",
            ),
            ("Möte", "Möte med den enskilde om planeringen framåt."),
            ("Inkomna handlingar", "Kontoutdrag och hyresavi har kommit in och lagts till utredningen."),
            ("Uppföljning", "Insatsen fungerar enligt den enskilde. Ny uppföljning om sex månader."),
        ]

        def journal(person_id: int, case, n: int) -> None:
            nonlocal entry_id
            case_id, _pid, user, _stage, received, _code = case
            span = max(1, (today - received).days)
            for _ in range(n):
                day = received + timedelta(days=rng.randrange(span))
                at = _at(day, rng)
                title, text = rng.choice(notes)
                journal_writer.add(
                    (
                        entry_id, person_id, case_id, rng.choice(categories), title, text, JournalStatus.SIGNED,
                        user.pk, day, at, at, at, None, "",
                    )
                )  # fmt: skip
                entry_id += 1

        journal(bench_case[1], bench_case, BENCH_CASE_JOURNAL)
        for person_id, n in zip(with_cases, counts, strict=True):
            own = cases_of[person_id]
            each, rest = divmod(n, len(own))
            for index, case in enumerate(own):
                journal(person_id, case, each + (index < rest))
        journal_writer.flush()
        summary.counts["journal_entries"] = journal_writer.count
        mark = timed("journal_entries", mark)

        # Audit events: 20 per person, continuing the chain from its head.
        rng = _stream(seed, "audit")
        summary.counts["audit_events"] = _write_audit(rng, persons * AUDIT_PER_PERSON, cases, today)
        mark = timed("audit_events", mark)

        loading.close()
        mark = timed("indexes", mark)
        _reset_sequences(BIG_TABLES)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        del system
    summary.total_seconds = round(time.monotonic() - started, 1)
    return summary


def _add_colleagues(city, caseworkers, open_by_unit: dict, today: date) -> dict[tuple[str, str], list[User]]:
    """Enough caseworkers per unit for about 80 open cases each (the benchmark caseworker's unit
    included: the benchmark caseworker keeps exactly their own 80)."""
    hashed = make_password(DEMO_PASSWORD)
    valid_from = date(today.year - 2, 1, 1)
    staff: dict[tuple[str, str], list[User]] = {}
    by_key = {s.unit_key: s for s in STAFFING}
    for key, user in caseworkers.items():
        wanted = math.ceil(open_by_unit.get(key, 0) / OPEN_CASES_PER_CASEWORKER)
        team = [] if user.username == BENCH_CASEWORKER else [user]
        district, unit_key = key
        staffing = by_key[unit_key]
        new = [
            User(
                username=f"{staffing.short}.{district.lower().replace(' ', '-')}.{n:04d}",
                first_name="Handläggare",
                last_name=f"{n:04d}",
                title=staffing.title,
                password=hashed,
                email=f"{staffing.short}.{n:04d}@sociala.example",
            )
            for n in range(1, max(wanted - len(team), 0 if team else 1) + 1)
        ]
        User.objects.bulk_create(new)
        new = list(User.objects.filter(username__in=[u.username for u in new]).order_by("username"))
        rights = [caseworker_rights(u, city, district, staffing, valid_from) for u in new]
        Assignment.objects.bulk_create(assignment for assignment, _delegation in rights)
        Delegation.objects.bulk_create(delegation for _assignment, delegation in rights)
        staff[key] = team + new
    return staff


def _write_audit(rng: random.Random, count: int, cases: list[tuple], today: date) -> int:
    """Audit events in the chain's own hash form (``AuditEvent.canonical``), spread over the last
    year in sequence order, acted by the cases' caseworkers."""
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(id=1)
    seq, prev = head.seq, head.hash or GENESIS
    writer = BulkWriter(
        AuditEvent,
        [
            "id", "seq", "occurred_at", "user_id", "username", "role", "action", "person_id", "case_id",
            "object_type", "object_id", "is_emergency", "reason", "details", "prev_hash", "hash",
        ],
    )  # fmt: skip
    event_id = _next_id(AuditEvent)
    start = datetime.combine(today - timedelta(days=365), clock_time(7), UTC).timestamp()
    step = 365 * 86400 / max(1, count)
    actions = [a for a, _w in AUDIT_ACTIONS]
    weights = [w for _a, w in AUDIT_ACTIONS]
    block: tuple[list, list] = ([], [])
    usernames: dict[int, str] = {}
    sha, from_timestamp, dumps = hashlib.sha256, datetime.fromtimestamp, json.dumps
    for k in range(count):
        if k % CHUNK == 0:  # drawn a chunk at a time: 20M draws at once would take gigabytes
            size = min(CHUNK, count - k)
            block = (rng.choices(range(len(cases)), k=size), rng.choices(actions, weights=weights, k=size))
        case_id, person_id, user, _stage, _received, _code = cases[block[0][k % CHUNK]]
        action = block[1][k % CHUNK]
        seq += 1
        at = from_timestamp(int(start + k * step), UTC)
        if action == "search_persons":
            person, case, object_type, object_id = None, None, "", ""
            details = {"hits": rng.randint(0, 50), "kind": "name"}
        elif action == "view_person":
            person, case, object_type, object_id, details = person_id, None, "person", str(person_id), {}
        elif action == "view_case":
            person, case, object_type, object_id, details = person_id, case_id, "case", str(case_id), {}
        else:
            person, case, object_type, object_id, details = person_id, case_id, "journal_entry", "", {}
        if user.pk not in usernames:
            usernames[user.pk] = dumps(user.username, ensure_ascii=False)
        details_json = (
            dumps(details, sort_keys=True, ensure_ascii=False, separators=(",", ":")) if details else "{}"
        )
        iso = at.isoformat()
        canonical = CANONICAL % (
            action,
            "null" if case is None else case,
            details_json,
            object_id,
            object_type,
            iso,
            "null" if person is None else person,
            prev,
            seq,
            user.pk,
            usernames[user.pk],
        )
        digest = sha(canonical.encode()).hexdigest()
        if writer.is_postgres:  # the COPY line directly: this loop runs 20 times per person
            writer.add_line(
                AUDIT_COPY_LINE
                % (
                    event_id + k, seq, iso, user.pk, user.username, ROLE, action,
                    "\\N" if person is None else person, "\\N" if case is None else case, object_type,
                    object_id, details_json, prev, digest,
                )
            )  # fmt: skip
        else:
            writer.add(
            (
                event_id + k, seq, at, user.pk, user.username, ROLE, action, person, case, object_type,
                object_id, False, "", details_json, prev, digest,
            )
            )  # fmt: skip
        prev = digest
    writer.flush()
    AuditChainHead.objects.filter(id=1).update(seq=seq, hash=prev)
    return writer.count
