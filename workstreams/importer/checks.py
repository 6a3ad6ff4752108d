"""The shared part of checking a workbook: what every sheet's checker reads and the helpers they use."""

from datetime import date

from django.contrib.auth import get_user_model
from django.utils import timezone

from changeprog import custom_fields
from workstreams.importer.plan import Plan
from workstreams.importer.reading import NAME_MAX, Column, Problem, Reader, allowed
from workstreams.models import (
    Lifecycle,
    Programme,
    Project,
    Stage,
    Workstream,
)


class Checks:
    """What every sheet's checker shares: the reader and the problems it has noted, the plan so far, and what
    ChangeProg already holds (users, programmes, workstreams, projects), read once."""

    # sheet: the kind of record whose own fields (`changeprog.custom_fields`) its rows may carry, by label
    CUSTOM_SHEETS = {"Programmes": "programme", "Workstreams": "workstream", "Projects": "project"}

    def __init__(self, book):
        self.problems: list[Problem] = []
        self.custom = {sheet: custom_fields.fields_for(record) for sheet, record in self.CUSTOM_SHEETS.items()}
        self.read = Reader(
            book, self.problems, extra={s: [Column(f.label) for f in fields] for s, fields in self.custom.items()}
        )
        self.plan = Plan()
        self.today = timezone.localdate()
        self.users = {u.get_username(): u for u in get_user_model().objects.filter(is_active=True)}
        self.lifecycles = {v.lower(): v for v in Lifecycle.values} | {
            label.lower(): value for value, label in Lifecycle.choices
        }
        self.existing_programmes = {p.code: p for p in Programme.objects.all()}
        self.known_workstreams = {(w.programme.code, w.name): w for w in Workstream.objects.select_related("programme")}
        self.known_projects = {
            (p.workstream.programme.code, p.workstream.name, p.name): p
            for p in Project.objects.select_related("workstream__programme")
        }

    def custom_values(self, row) -> dict:
        """A new item's own fields from its row, each cell read strictly by its field's type; a required field
        left empty, or a value that does not fit, is a problem on its cell."""
        values = {}
        people = {name.lower(): user.pk for name, user in self.users.items()}
        for field in self.custom[row.sheet]:
            value, why = custom_fields.parse_cell(field, row.values.get(field.label), people)
            if why:
                self.read.problem(row, field.label, why)
            elif value is None and field.required:
                self.read.problem(row, field.label, f"{field.label} is required for a new {field.record}.")
            elif value is not None:
                values[field.code] = value
        return values

    def stage(self, row):
        """The stage a row names, by name in any case; an unknown one is a problem listing those there are."""
        if not hasattr(self, "_stages"):
            self._stages = {s.name.lower(): s for s in Stage.objects.all()}
        word = row.text("Stage")
        if word and word.lower() not in self._stages:
            names = [s.name for s in self._stages.values()]
            self.read.problem(row, "Stage", f"Allowed values: {allowed(names)}." if names else "No stages are set up.")
        return self._stages.get(word.lower()) if word else None

    def person(self, row, header):
        name = row.text(header)
        if name and name not in self.users:
            self.read.problem(row, header, f"There is no active ChangeProg user called “{name}”.")
        return self.users.get(name)

    def name(self, row, header="Name") -> str:
        text = row.text(header)
        if len(text) > NAME_MAX:
            self.read.problem(row, header, f"A name is at most {NAME_MAX} characters; this one has {len(text)}.")
        return text

    def lifecycle_and_closure(self, row) -> tuple[str, date | None]:
        word = row.text("Lifecycle")
        value = self.lifecycles.get(word.lower()) if word else Lifecycle.ACTIVE
        if value is None:
            self.read.problem(row, "Lifecycle", f"Allowed values: {allowed(label for _, label in Lifecycle.choices)}.")
            value = Lifecycle.ACTIVE
        closed_on = self.read.date(row, "Closed on")
        if value == Lifecycle.CLOSED and closed_on is None and not row.text("Closed on"):
            self.read.problem(row, "Closed on", "A closed item needs the date it closed.")
        if closed_on and value != Lifecycle.CLOSED:
            self.read.problem(
                row, "Lifecycle", f"A Closed on date is given, so the lifecycle must be Closed, not {word or 'empty'}."
            )
        if closed_on and closed_on > self.today:
            self.read.problem(row, "Closed on", "An item cannot have closed on a day in the future.")
        return value, closed_on

    def programme_for(self, row):
        code = row.text("Programme code")
        if code in self.plan.programmes:
            return code
        if code in self.existing_programmes:
            self.plan.programmes[code] = self.existing_programmes[code]
            return code
        if code:
            self.read.problem(row, "Programme code", f"No programme has the code “{code}”; add it to Programmes.")
        return None

    def workstream_for(self, row, code):
        name = row.text("Workstream")
        key = (code, name)
        if key in self.plan.workstreams:
            return key
        if key in self.known_workstreams:
            self.plan.workstreams[key] = self.known_workstreams[key]
            return key
        if name:
            self.read.problem(row, "Workstream", f"Programme {code} has no workstream “{name}”; add it to Workstreams.")
        return None
