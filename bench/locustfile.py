"""Load test (issue 7): the clerk, task-officer and monitor mix against a served instance.

Run by bench/load_test.sh (gunicorn on PostgreSQL holding the 1,000,000-petition bench
data, then Locust headless on loopback); see bench/README.md. Each simulated person signs
in through the login form (CSRF token included) as a demo account, then works as that
role does: the clerk looks citizens up as they are typed and opens petitions and lists,
the officer opens the task lists and tasks, the monitor the dashboard, summaries and
lists. Names, ID numbers and record ids are drawn from the database under test
(LOAD_DATABASE_URL), so lookups hit real data.
"""

from __future__ import annotations

import os
import random
import re

import psycopg
from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

PASSWORD = os.environ.get("DEMO_PASSWORD", "DongThap@2026")
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SAMPLE: dict[str, list] = {}


@events.init.add_listener
def _sample_the_data(environment, **_kwargs) -> None:
    """Citizens to look up and records to open, read once from the database."""
    with psycopg.connect(os.environ["LOAD_DATABASE_URL"]) as connection:
        SAMPLE["citizens"] = connection.execute(
            "SELECT full_name, coalesce(id_number, '') FROM citizen "
            "TABLESAMPLE SYSTEM (1) LIMIT 500"
        ).fetchall()
        SAMPLE["petitions"] = [
            row[0]
            for row in connection.execute(
                "SELECT p.id FROM petition p JOIN agency a ON a.id = p.agency_id "
                "WHERE a.code = 'DT17-866-TCD' ORDER BY p.id DESC LIMIT 300"
            )
        ]
        SAMPLE["tasks"] = [
            row[0]
            for row in connection.execute(
                "SELECT t.id FROM task t JOIN assignment_document d ON d.id = t.document_id "
                "JOIN agency a ON a.id = d.office_agency_id WHERE a.code = 'DT17-VPUB' "
                "ORDER BY t.id DESC LIMIT 300"
            )
        ]


class Official(FastHttpUser):
    """A signed-in official; subclasses say who and what they do. Locust's gevent HTTP
    client (FastHttpUser) costs the shared CPUs far less than python-requests."""

    abstract = True
    wait_time = between(1, 3)
    username = ""

    def on_start(self) -> None:
        page = self.client.get("/login/", name="/login/").text
        token = CSRF.search(page).group(1)
        response = self.client.post(
            "/login/",
            data={"username": self.username, "password": PASSWORD, "csrf_token": token},
            name="/login/ (POST)",
        )
        if 'name="password"' in response.text:
            raise RuntimeError(f"login of {self.username} refused")


class Clerk(Official):
    """A reception-board clerk: lookup first, then the petition pages (R6, R12)."""

    weight = 3
    username = "caolanh.tcd"

    @task(5)
    def look_up_a_citizen(self) -> None:
        name, id_number = random.choice(SAMPLE["citizens"])
        words = name.split()
        for typed in (" ".join(words[:2]), name):
            self.client.get(
                "/petitions/intake/matches",
                params={"full_name": typed},
                name="/petitions/intake/matches (name)",
            )
        if id_number:
            self.client.get(
                "/petitions/intake/matches",
                params={"full_name": name, "id_number": id_number},
                name="/petitions/intake/matches (name + ID)",
            )

    @task(2)
    def open_a_petition(self) -> None:
        pk = random.choice(SAMPLE["petitions"])
        self.client.get(f"/petitions/{pk}", name="/petitions/<id>")

    @task(1)
    def open_the_queue(self) -> None:
        self.client.get("/petitions/queue/", name="/petitions/queue/")

    @task(1)
    def search_the_list(self) -> None:
        name, _id_number = random.choice(SAMPLE["citizens"])
        self.client.get(
            "/petitions/list/", params={"q": name.split()[-1]}, name="/petitions/list/?q="
        )


class TaskOfficer(Official):
    """An officer of the Provincial PC Office following the tasks it assigned (R17)."""

    weight = 1
    username = "vpub.nhiemvu"

    @task(2)
    def assigned_tasks(self) -> None:
        self.client.get("/tasks/assigned/", name="/tasks/assigned/")

    @task(1)
    def reports_to_review(self) -> None:
        self.client.get("/tasks/review/", name="/tasks/review/")

    @task(1)
    def overdue_tasks(self) -> None:
        self.client.get("/tasks/overdue/", name="/tasks/overdue/")

    @task(3)
    def open_a_task(self) -> None:
        if SAMPLE["tasks"]:
            self.client.get(f"/tasks/{random.choice(SAMPLE['tasks'])}", name="/tasks/<id>")


class Monitor(Official):
    """The Citizen Reception Board's monitor (R24)."""

    weight = 1
    username = "btcd.giamsat"

    @task(1)
    def dashboard(self) -> None:
        self.client.get("/reports/dashboard/", name="/reports/dashboard/")

    @task(2)
    def summaries(self) -> None:
        self.client.get("/reports/summaries/", name="/reports/summaries/")

    @task(2)
    def petition_list(self) -> None:
        self.client.get("/petitions/list/", name="/petitions/list/")

    @task(1)
    def home(self) -> None:
        self.client.get("/", name="/")
