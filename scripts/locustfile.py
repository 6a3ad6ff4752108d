"""The mixed load scenario: viewers reading the board, the dashboard and a report; the programme office
recording status updates. Every request is also written to LOAD_LOG (time, name, ok) for scripts/load.py."""

import itertools
import json
import os
import re
import time
from datetime import date, timedelta

from locust import HttpUser, between, events, task

LOG = open(os.environ["LOAD_LOG"], "a", buffering=1) if os.environ.get("LOAD_LOG") else None  # noqa: SIM115
PASSWORD = os.environ.get("LOAD_PASSWORD", "")
PROGRAMME = os.environ.get("LOAD_PROGRAMME", "1")
# The open projects the office users record for, one each in turn: an item takes one update per date, and a form
# saved over someone else's later update is refused (no lost updates), so users sharing one project would be
# refused by design, which is not what the load test measures.
PROJECTS = (os.environ.get("LOAD_PROJECTS") or os.environ.get("LOAD_PROJECT", "1")).split(",")
_next_project = itertools.count()
REPORT = os.environ.get("LOAD_REPORT", "1")


@events.request.add_listener
def record(request_type, name, response_time, response_length, exception=None, **kwargs):
    if LOG:
        entry = {"t": time.time(), "name": name, "ok": exception is None, "ms": response_time}
        if exception is not None:
            entry["error"] = str(exception)[:200]
        LOG.write(json.dumps(entry) + "\n")


def csrf(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return found.group(1) if found else ""


class SignedIn(HttpUser):
    abstract = True
    username = ""

    def on_start(self):
        page = self.client.get("/accounts/login/", name="login form")
        self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": csrf(page.text)},
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="sign in",
        )


class Viewer(SignedIn):
    weight = 4
    wait_time = between(0.5, 2)
    username = "viewer"

    @task(3)
    def board(self):
        self.client.get(f"/programmes/{PROGRAMME}/board/", name="board")

    @task(2)
    def dashboard(self):
        self.client.get(f"/reports/programmes/{PROGRAMME}/dashboard/", name="dashboard")

    @task(1)
    def report(self):
        self.client.get(f"/reports/{REPORT}/", name="report")


class ProgrammeOffice(SignedIn):
    weight = 1
    wait_time = between(1, 3)
    username = "pmo"

    def on_start(self):
        super().on_start()
        self.project = PROJECTS[next(_next_project) % len(PROJECTS)]
        # Today (or LOAD_DAYS_BACK_FROM days ago), then each day before: one update per date per item.
        self.days_back = itertools.count(int(os.environ.get("LOAD_DAYS_BACK_FROM", "0")))

    @task
    def record_update(self):
        url = f"/projects/{self.project}/record-update/"
        page = self.client.get(url, name="record update form")
        if page.status_code != 200:
            return  # already counted as a failure; posting without the form's token would only add another
        form = page.text
        as_of = date.today() - timedelta(days=next(self.days_back))
        data = {"csrfmiddlewaretoken": csrf(form), "as_of": as_of.isoformat(), "reason": "Load test update"}
        seen = re.search(r'name="seen_version" value="([^"]*)"', form)
        if seen:
            data["seen_version"] = seen.group(1)
        for name in sorted(set(re.findall(r'type="radio" name="(rating_[^"]+)"', form))):
            values = re.findall(rf'name="{name}"[^>]*?value="(\d+)"', form)
            if values:
                data[name] = values[0]
                data[name.replace("rating_", "reason_")] = "Load test reason"
        with self.client.post(
            url,
            data,
            headers={"Referer": f"{self.host}{url}"},
            name="record update",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code != 302:
                response.failure(f"HTTP {response.status_code}")
