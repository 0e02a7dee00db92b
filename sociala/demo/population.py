"""The demo city's residents: identity numbers, households, names, addresses and relations.

Identity numbers are Skatteverket's test numbers; only when more persons are asked
for than the lists hold are further numbers generated (birth numbers 980–999, a valid
check digit, ``is_synthetic``). The registry is loaded in bulk, as a population
register import would be, with one audit event per load.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from sociala.audit.services import record_event
from sociala.core.identity_numbers import (
    COORDINATION_NUMBER,
    IdentityNumber,
    luhn_check_digit,
    parse_identity_number,
)
from sociala.organization.models import Committee
from sociala.people.choices import RelationKind
from sociala.people.models import Person, Relation, name_key

from .data import names, places

DATA_DIR = Path(__file__).resolve().parent.parent / "people" / "data"
PERSONAL_NUMBERS_FILE = DATA_DIR / "test-personal-identity-numbers.csv"
COORDINATION_NUMBERS_FILE = DATA_DIR / "test-coordination-numbers.csv"

COORDINATION_SHARE = 0.02
DECEASED_SHARE = 0.01
VERY_OLD = 85
OLDEST_LIVING = 104  # Skatteverket's lists start in 1890; those born too early are registered as deceased

# Age bands (inclusive) and their share of the residents; the rest fills from the largest bands.
AGE_BANDS = [
    (0, 17, 0.21),
    (18, 26, 0.15),
    (27, 36, 0.22),
    (37, 49, 0.08),
    (50, 64, 0.07),
    (65, 79, 0.13),
    (80, 94, 0.10),
    (95, OLDEST_LIVING, 0.02),
]
FILL_ORDER = [(27, 36), (18, 26), (0, 17), (65, 79), (37, 49), (50, 64), (80, 94), (95, OLDEST_LIVING)]


@lru_cache(maxsize=2)
def read_numbers(path: Path) -> tuple[str, ...]:
    """The numbers of one of Skatteverket's test files, in file order, each once (the file repeats a few)."""
    with open(path, encoding="utf-8") as handle:
        rows = [line.strip() for line in handle]
    return tuple(dict.fromkeys(row for row in rows[1:] if row))


@lru_cache(maxsize=1)
def listed_numbers() -> frozenset[str]:
    """Every number in the two test files."""
    return frozenset(read_numbers(PERSONAL_NUMBERS_FILE)) | frozenset(read_numbers(COORDINATION_NUMBERS_FILE))


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@dataclass(eq=False)
class Resident:
    """A person before it is saved: identity, household and name."""

    number: IdentityNumber
    is_synthetic: bool = False
    household: int = -1
    origin: str = names.SWEDISH
    first_name: str = ""
    last_name: str = ""
    is_deceased: bool = False
    deceased_on: date | None = None
    person: Person | None = None

    @property
    def born(self) -> date:
        return self.number.birth_date

    @property
    def sex(self) -> str:
        return self.number.sex

    @property
    def is_coordination(self) -> bool:
        return self.number.kind == COORDINATION_NUMBER


@dataclass(eq=False)
class Household:
    """People who live at one address; ``parents`` are the guardians of ``children``."""

    district: str
    parents: list[Resident] = field(default_factory=list)
    children: list[Resident] = field(default_factory=list)
    is_couple: bool = False
    street: str = ""
    postal_code: str = ""
    town: str = ""

    @property
    def members(self) -> list[Resident]:
        return self.parents + self.children


@dataclass
class Population:
    """The saved residents, with the household facts the case seeder needs."""

    residents: list[Resident]
    households: list[Household]
    relation_count: int = 0

    @property
    def persons(self) -> list[Person]:
        return [r.person for r in self.residents if r.person is not None]

    def household_of(self, person: Person) -> Household:
        return self.households[self._by_pk[person.pk].household]

    def resident(self, person: Person) -> Resident:
        return self._by_pk[person.pk]

    def index(self) -> None:
        self._by_pk = {r.person.pk: r for r in self.residents if r.person is not None}


# --- identity numbers ---------------------------------------------------------------------


def choose_numbers(rng: random.Random, count: int, today: date) -> list[Resident]:
    """``count`` residents' numbers: test numbers by age band, ~2 % coordination numbers, then synthetic."""
    personal = [parse_identity_number(n, today=today) for n in read_numbers(PERSONAL_NUMBERS_FILE)]
    coordination = [parse_identity_number(n, today=today) for n in read_numbers(COORDINATION_NUMBERS_FILE)]
    # About 2 %, or more when the personal numbers run out before the synthetic ones are needed.
    wanted_coordination = min(
        len(coordination), max(round(count * COORDINATION_SHARE), count - len(personal))
    )
    wanted_personal = count - wanted_coordination

    by_band: dict[tuple[int, int], list[IdentityNumber]] = {(lo, hi): [] for lo, hi, _ in AGE_BANDS}
    too_old: list[IdentityNumber] = []
    for number in personal:
        age = age_on(number.birth_date, today)
        for lo, hi, _share in AGE_BANDS:
            if lo <= age <= hi:
                by_band[(lo, hi)].append(number)
                break
        else:
            too_old.append(number)

    chosen: list[IdentityNumber] = []
    for lo, hi, share in AGE_BANDS:
        pool = by_band[(lo, hi)]
        take = min(len(pool), round(wanted_personal * share), wanted_personal - len(chosen))
        picked = rng.sample(pool, take)
        chosen.extend(picked)
        taken = {n.value for n in picked}
        by_band[(lo, hi)] = [n for n in pool if n.value not in taken]
    for band in FILL_ORDER:
        missing = wanted_personal - len(chosen)
        if missing <= 0:
            break
        pool = by_band[band]
        chosen.extend(rng.sample(pool, min(missing, len(pool))))
    missing = wanted_personal - len(chosen)
    if missing > 0:
        chosen.extend(rng.sample(too_old, min(missing, len(too_old))))

    plausible = [n for n in coordination if age_on(n.birth_date, today) < 80]
    rest = [n for n in coordination if age_on(n.birth_date, today) >= 80]
    picked = rng.sample(plausible, min(len(plausible), wanted_coordination))
    picked += rng.sample(rest, min(len(rest), wanted_coordination - len(picked)))

    residents = [Resident(n) for n in chosen + picked]
    missing = count - len(residents)
    if missing > 0:
        residents.extend(Resident(n, is_synthetic=True) for n in synthetic_numbers(rng, missing, today))
    return residents


def synthetic_number(born: date, serial: int) -> str:
    """A personnummer in the canonical 12-digit form with a valid check digit, for a birth number
    (serial) outside Skatteverket's test lists' range."""
    digits = f"{born:%y%m%d}{serial:03d}"
    return f"{born:%Y%m%d}{serial:03d}{luhn_check_digit(digits)}"


def synthetic_numbers(rng: random.Random, count: int, today: date) -> list[IdentityNumber]:
    """Numbers beyond the test lists: valid check digit, birth number 980–999, never a test number."""
    reserved = listed_numbers()
    made: set[str] = set()
    result = []
    weights = [share for _lo, _hi, share in AGE_BANDS]
    while len(result) < count:
        lo, hi, _share = rng.choices(AGE_BANDS, weights=weights)[0]
        born = today - timedelta(days=rng.randint(lo * 365 + 1, hi * 365 + 364))
        value = synthetic_number(born, rng.randint(980, 999))
        if value in reserved or value in made:
            continue
        made.add(value)
        result.append(parse_identity_number(value, today=today))
    return result


# --- households ---------------------------------------------------------------------------


def _years_between(older: date, younger: date) -> float:
    return (younger - older).days / 365.25


class _AdultPool:
    """Unused adults of one sex, sorted by birth date, for finding parents and partners."""

    def __init__(self, residents: list[Resident]):
        self.items = sorted(residents, key=lambda r: (r.born, r.number.value))
        self.keys = [r.born for r in self.items]

    def take(self, rng: random.Random, born_from: date, born_to: date) -> Resident | None:
        lo = bisect.bisect_left(self.keys, born_from)
        hi = bisect.bisect_right(self.keys, born_to)
        if lo >= hi:
            return None
        index = rng.randrange(lo, hi)
        self.keys.pop(index)
        return self.items.pop(index)

    def __len__(self):
        return len(self.items)


def _years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def form_households(rng: random.Random, residents: list[Resident], today: date) -> list[Household]:
    """Group residents into families with children, couples and persons living alone."""
    children = [r for r in residents if age_on(r.born, today) < 18]
    adults = [r for r in residents if 18 <= age_on(r.born, today) < 65]
    elderly = [r for r in residents if age_on(r.born, today) >= 65]
    women = _AdultPool([r for r in adults if r.sex == "female"])
    men = _AdultPool([r for r in adults if r.sex == "male"])
    households: list[Household] = []

    left = sorted(children, key=lambda r: (r.born, r.number.value))
    keys = [r.born for r in left]
    while left:
        index = rng.randrange(len(left))
        keys.pop(index)
        first = left.pop(index)
        size = rng.choices([1, 2, 3, 4], weights=[45, 38, 13, 4])[0]
        group = [first]
        lo = bisect.bisect_left(keys, _years(first.born, -9))
        hi = bisect.bisect_right(keys, _years(first.born, 9))
        for _ in range(12 * (size - 1)):
            if len(group) == size or lo >= hi:
                break
            index = rng.randrange(lo, hi)
            candidate = left[index]
            if all(abs((candidate.born - g.born).days) > 440 for g in group):
                keys.pop(index)
                group.append(left.pop(index))
                hi -= 1
        oldest = min(c.born for c in group)
        youngest = max(c.born for c in group)
        # A parent is 19–46 years older than each child.
        born_from, born_to = _years(youngest, -46), _years(oldest, -19)
        household = Household(district="", children=sorted(group, key=lambda r: r.born))
        two_parents = rng.random() < 0.65
        if two_parents:
            mother = women.take(rng, born_from, born_to)
            father = men.take(rng, born_from, born_to) if rng.random() > 0.03 else None
            if father is None and mother is not None:
                father = women.take(rng, born_from, born_to)
            household.parents = [p for p in (mother, father) if p is not None]
        else:
            parent = (women if rng.random() < 0.8 else men).take(rng, born_from, born_to)
            household.parents = [parent] if parent else []
        if not household.parents:
            # No adult of a fitting age left: the children live with a relative outside the register.
            parent = women.take(rng, _years(youngest, -70), born_to) or men.take(
                rng, _years(youngest, -70), born_to
            )
            household.parents = [parent] if parent else []
        household.is_couple = len(household.parents) == 2
        households.append(household)

    singles = women.items + men.items
    rng.shuffle(singles)
    _pair_up(rng, singles, households, couple_share=0.35, max_gap_years=8)
    old = sorted(elderly, key=lambda r: r.number.value)
    rng.shuffle(old)
    _pair_up(rng, old, households, couple_share=0.45, max_gap_years=6)
    return households


def _pair_up(rng, residents: list[Resident], households: list[Household], *, couple_share, max_gap_years):
    """Couples without children, and persons living alone."""
    left = list(residents)
    while left:
        person = left.pop()
        if rng.random() < couple_share:
            # A partner of the other sex and a similar age, among the next few in the shuffled list.
            for index in range(len(left) - 1, max(-1, len(left) - 80), -1):
                other = left[index]
                if other.sex != person.sex and abs(_years_between(other.born, person.born)) <= max_gap_years:
                    left.pop(index)
                    households.append(Household(district="", parents=[person, other], is_couple=True))
                    break
            else:
                households.append(Household(district="", parents=[person]))
            continue
        households.append(Household(district="", parents=[person]))


# --- names, addresses and saving ----------------------------------------------------------


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _origin_for(rng: random.Random, household: Household, today: date) -> str:
    weights = dict(names.ORIGIN_WEIGHTS[household.district])
    head = household.parents[0] if household.parents else household.children[0]
    if age_on(head.born, today) >= 65:
        for origin, factor in names.ELDERLY_FACTORS.items():
            weights[origin] = weights[origin] * factor
    if any(m.is_coordination for m in household.members):
        weights[names.SWEDISH] = 0
    return _weighted(rng, weights)


def name_household(rng: random.Random, household: Household, today: date) -> None:
    """Give the household an origin, a surname and an address, and each member a first name."""
    origin = _origin_for(rng, household, today)
    surname = rng.choice(names.last_names(origin))
    taken: set[str] = set()
    for index, member in enumerate(household.members):
        member.origin = origin
        options = names.first_names(origin, member.sex, member.born.year)
        free = [n for n in options if n not in taken] or options
        member.first_name = rng.choice(free)
        taken.add(member.first_name)
        own = surname
        if index == 1 and household.is_couple and rng.random() < 0.35:
            own = rng.choice(names.last_names(origin))
        member.last_name = names.surname_for(own, member.sex)
    street, postal_code, town = rng.choice(places.STREETS[household.district])
    number = rng.randint(1, 98)
    letter = rng.choice(["", "", "", "", " A", " B", " C"])
    household.street, household.postal_code, household.town = f"{street} {number}{letter}", postal_code, town


def build_population(
    *, rng: random.Random, count: int, today: date, districts: dict[str, Committee], actor
) -> Population:
    """Choose numbers, form households in the districts, save persons and relations in bulk."""
    residents = choose_numbers(rng, count, today)
    households = form_households(rng, residents, today)
    district_names = list(districts)
    weights = [places.RESIDENT_WEIGHTS.get(name, 5.0) for name in district_names]
    for household in households:
        household.district = rng.choices(district_names, weights=weights)[0]
        name_household(rng, household, today)
    for index, household in enumerate(households):
        for member in household.members:
            member.household = index
    _mark_deceased(rng, residents, count, today)

    ordered = [m for h in households for m in h.members]
    persons = []
    for resident in ordered:
        household = households[resident.household]
        is_adult = age_on(resident.born, today) >= 18
        person = Person(
            personal_identity_number=resident.number.value,
            number_kind=resident.number.kind,
            birth_date=resident.born,
            sex=resident.sex,
            first_name=resident.first_name,
            last_name=resident.last_name,
            first_name_key=name_key(resident.first_name),
            last_name_key=name_key(resident.last_name),
            street_address=household.street,
            postal_code=household.postal_code,
            city=household.town,
            district=districts[household.district],
            phone=rng.choice(places.FICTION_MOBILE_NUMBERS) if is_adult and rng.random() < 0.6 else "",
            is_deceased=resident.is_deceased,
            deceased_on=resident.deceased_on,
            is_synthetic=resident.is_synthetic,
        )
        resident.person = person
        persons.append(person)
    Person.objects.bulk_create(persons, batch_size=500)
    if any(p.pk is None for p in persons):  # backends that do not return keys from bulk inserts
        by_number = dict(
            Person.objects.filter(
                personal_identity_number__in=[p.personal_identity_number for p in persons]
            ).values_list("personal_identity_number", "pk")
        )
        for person in persons:
            person.pk = person.id = by_number[person.personal_identity_number]
    population = Population(residents=ordered, households=households)
    population.index()
    record_event(
        actor=actor,
        action="import_persons",
        object_type="person",
        details={"source": "seed_demo", "count": len(persons)},
    )
    population.relation_count = _save_relations(households)
    record_event(
        actor=actor,
        action="import_relations",
        object_type="relation",
        details={"source": "seed_demo", "count": population.relation_count},
    )
    return population


def _mark_deceased(rng: random.Random, residents: list[Resident], count: int, today: date) -> None:
    """About 1 % of the residents, all very old, have died; nobody in the register is older than 104."""
    very_old = [r for r in residents if age_on(r.born, today) >= VERY_OLD]
    forced = [r for r in very_old if age_on(r.born, today) > OLDEST_LIVING]
    others = [r for r in very_old if age_on(r.born, today) <= OLDEST_LIVING]
    wanted = max(0, round(count * DECEASED_SHARE) - len(forced))
    for resident in forced + rng.sample(others, min(wanted, len(others))):
        resident.is_deceased = True
        resident.deceased_on = today - timedelta(days=rng.randint(3, 700))


def _save_relations(households: list[Household]) -> int:
    """Partners, and guardian ↔ child, in both directions."""
    rows = []
    for household in households:
        parents = [p.person for p in household.parents]
        if household.is_couple:
            first, second = parents
            until = _ended(household.parents)
            rows.append(Relation(person=first, related=second, kind=RelationKind.PARTNER, valid_to=until))
            rows.append(Relation(person=second, related=first, kind=RelationKind.PARTNER, valid_to=until))
        for child in household.children:
            for parent in parents:
                rows.append(
                    Relation(
                        person=child.person, related=parent, kind=RelationKind.GUARDIAN, valid_from=child.born
                    )
                )
                rows.append(
                    Relation(
                        person=parent, related=child.person, kind=RelationKind.CHILD, valid_from=child.born
                    )
                )
    Relation.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _ended(partners: list[Resident]) -> date | None:
    dates = [p.deceased_on for p in partners if p.deceased_on]
    return min(dates) if dates else None
