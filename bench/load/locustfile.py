"""The load mix for ``python -m bench.load``: a signed-in caseworker searching, opening persons, cases
and the start page, and an API client reading persons. Reads the ids and credentials that
bench.load prepared (SOCIALA_LOAD_FIXTURES)."""

import json
import os
import random

from locust import HttpUser, between, task

FIXTURES = json.loads(open(os.environ["SOCIALA_LOAD_FIXTURES"], encoding="utf-8").read())  # noqa: SIM115


class Caseworker(HttpUser):
    wait_time = between(0.0, 0.05)

    def on_start(self):
        self.client.cookies.set("sessionid", FIXTURES["session"])
        self.rng = random.Random()

    @task(3)
    def search_by_number(self):
        self.client.get(
            "/persons/",
            params={"q": self.rng.choice(FIXTURES["numbers"])},
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
        self.client.get(f"/persons/{self.rng.choice(FIXTURES['persons'])}/", name="person page")

    @task(2)
    def case_page(self):
        self.client.get(f"/cases/{self.rng.choice(FIXTURES['cases'])}/", name="case page")

    @task(1)
    def start_page(self):
        self.client.get("/", name="start page")

    @task(2)
    def api_person(self):
        person = self.rng.choice(FIXTURES["persons"])
        self.client.get(
            f"/api/v1/persons/{person}",
            headers={"Authorization": FIXTURES["authorization"]},
            name="api person",
        )
