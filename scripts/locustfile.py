"""The mixed load scenario: chief officers and other viewers reading programmes' boards, dashboards, *what
changed* and published papers across the portfolio; the programme office recording status updates. Every request
is also written to LOAD_LOG (time, name, ok, ms) for scripts/load.py."""

import itertools
import json
import os
import random
import re
import time
from datetime import date, timedelta

from locust import FastHttpUser, between, events, task

LOG = open(os.environ["LOAD_LOG"], "a", buffering=1) if os.environ.get("LOAD_LOG") else None  # noqa: SIM115
PASSWORD = os.environ.get("LOAD_PASSWORD", "")


def _ids(name: str, default: str = "1") -> list[str]:
    return [i for i in (os.environ.get(name) or default).split(",") if i]


PROGRAMMES = _ids("LOAD_PROGRAMMES")
REPORTS = _ids("LOAD_REPORTS")
# The open projects the office users record for, one each in turn: an item takes one update per date, and a form
# saved over someone else's later update is refused (no lost updates), so users sharing one project would be
# refused by design, which is not what the load test measures.
PROJECTS = _ids("LOAD_PROJECTS")
_next_project = itertools.count()


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


class SignedIn(FastHttpUser):
    abstract = True
    username = ""

    def on_start(self):
        page = self.client.get("/accounts/login/", name="login form")
        self.client.post(
            "/accounts/login/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": csrf(page.text)},
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="sign in",
        )


class Viewer(SignedIn):
    """Reads a programme's pages one after another, with a short pause between (a morning's briefing)."""

    weight = 4
    wait_time = between(0.1, 0.5)
    username = "viewer"

    @task(3)
    def board(self):
        self.client.get(f"/programmes/{random.choice(PROGRAMMES)}/board/", name="board")  # noqa: S311  # nosec B311

    @task(2)
    def dashboard(self):
        self.client.get(f"/reports/programmes/{random.choice(PROGRAMMES)}/dashboard/", name="dashboard")  # noqa: S311  # nosec B311

    @task(1)
    def changes(self):
        self.client.get(f"/programmes/{random.choice(PROGRAMMES)}/changes/", name="what changed")  # noqa: S311  # nosec B311

    @task(1)
    def report(self):
        self.client.get(f"/reports/{random.choice(REPORTS)}/", name="report")  # noqa: S311  # nosec B311


class ProgrammeOffice(SignedIn):
    """Records a project's status: opens the form, fills it in, saves it. One in five users; each records an
    update every 10 to 30 seconds (LOAD_OFFICE_PAUSE="10,30"): ten people recording, between them, about 1,800
    updates an hour, the large portfolio's whole month of updates in a little over an hour."""

    weight = int(os.environ.get("LOAD_OFFICE_WEIGHT", "1"))
    wait_time = between(*(float(s) for s in os.environ.get("LOAD_OFFICE_PAUSE", "10,30").split(",")))
    username = "pmo"

    def on_start(self):
        super().on_start()
        self.project = PROJECTS[next(_next_project) % len(PROJECTS)]
        # Today (or LOAD_DAYS_BACK_FROM days ago), then each day before: one update per date per item; never the
        # first of a month, when the generated portfolio (scripts/load.py) has an update of its own.
        start = int(os.environ.get("LOAD_DAYS_BACK_FROM", "0"))
        days = (date.today() - timedelta(days=back) for back in itertools.count(start))
        self.days = (day for day in days if day.day != 1)

    @task
    def record_update(self):
        url = f"/projects/{self.project}/record-update/"
        page = self.client.get(url, name="record update form")
        if page.status_code != 200:
            return  # already counted as a failure; posting without the form's token would only add another
        form = page.text
        as_of = next(self.days)
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
            data=data,
            headers={"Referer": f"{self.host}{url}"},
            name="record update",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code != 302:
                response.failure(f"HTTP {response.status_code}")
