"""The load mix for ``python -m bench.load``: caseworkers, each signed in as one of the identities that
bench.load prepared (SOCIALA_LOAD_FIXTURES), searching, opening persons, cases and the start page,
signing journal entries in their own cases, and an API client reading persons.

The weights follow a caseworker's day: mostly reading (search, person, case), a signed entry now
and then; every simulated user waits 0–50 ms between requests, so the figure is what the server
sustains, not what 22,000 people at their desks would ask of it (a few requests a minute each).
"""

import datetime
import itertools
import json
import os
import random
import re

from locust import HttpUser, between, task

FIXTURES = json.loads(open(os.environ["SOCIALA_LOAD_FIXTURES"], encoding="utf-8").read())  # noqa: SIM115
IDENTITIES = itertools.cycle(FIXTURES["identities"])
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Caseworker(HttpUser):
    wait_time = between(0.0, 0.05)

    def on_start(self):
        self.me = next(IDENTITIES)
        self.client.cookies.set("sessionid", self.me["session"])
        self.rng = random.Random()
        self.csrf = ""

    @task(3)
    def search_by_number(self):
        self.client.get(
            "/persons/",
            params={"q": self.rng.choice(self.me["numbers"])},
            headers={"HX-Request": "true"},
            name="search number",
        )

    @task(2)
    def search_by_name(self):
        self.client.get(
            "/persons/",
            params={"q": self.rng.choice(FIXTURES["prefixes"])},
            headers={"HX-Request": "true"},
            name="search name",
        )

    @task(3)
    def person_page(self):
        self.client.get(f"/persons/{self.rng.choice(self.me['persons'])}/", name="person page")

    @task(2)
    def case_page(self):
        self.client.get(f"/cases/{self.rng.choice(self.me['cases'])}/", name="case page")

    @task(1)
    def start_page(self):
        self.client.get("/", name="start page")

    @task(1)
    def sign_journal_entry(self):
        case = self.rng.choice(self.me["cases"])
        if not self.csrf:
            form = self.client.get(f"/cases/{case}/journal/new/", name="journal form")
            found = CSRF.search(form.text)
            if not found:
                return
            self.csrf = found.group(1)
        self.client.post(
            f"/cases/{case}/journal/save/",
            data={
                "csrfmiddlewaretoken": self.csrf,
                "category": "contact",
                "title": "Telefonsamtal",
                "text": "Samtal med den enskilde om ansökan.",
                "occurred_on": datetime.date.today().isoformat(),
                "action": "sign",
            },
            headers={"Referer": f"{self.host}/cases/{case}/"},
            allow_redirects=False,
            name="sign journal entry",
        )

    @task(2)
    def api_person(self):
        self.client.get(
            f"/api/v1/persons/{self.rng.choice(self.me['persons'])}",
            headers={"Authorization": self.me["authorization"]},
            name="api person",
        )
